// Market development funds in the portal: Maya (marketing) allocates USD 10,000.00 at 50%
// co-funding to Northwind for the current quarter; Nora (Northwind) asks for pre-approval of
// USD 6,000.00 for one of her campaigns and of USD 16,000.00 for a planned event; Maya approves
// the first (committing the vendor's 50%, USD 3,000.00, leaving USD 7,000.00), cannot lower the
// allocation below what is committed, and is refused the second with the API's message (its
// commitment, USD 8,000.00, exceeds what remains), which Nora then withdraws. The auditor sees
// both, read-only, and Northwind's audit chain intact.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARTIFACTS, type OpenedPage, type Portal, startPortal } from './harness.ts';

const CAMPAIGN_NAME = 'Northwind Zero Trust webinar';
const idSchema = z.looseObject({ id: z.string() });

/** The quarter the API's periods name for today (UTC): 2026-11-25 is 2026-Q4. */
const currentQuarter = () => {
  const now = new Date();
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
};

/** A full-page shot at the page's own height (the sticky header stays at the top). */
async function shot(page: Page, name: string) {
  const height = await page.evaluate(() => {
    window.scrollTo(0, 0);
    return document.documentElement.scrollHeight;
  });
  await page.setViewportSize({ width: 1280, height: Math.max(800, height) });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

const fundRow = (page: Page) => page.locator('[data-testid="mdf-fund-row"][data-partner-id="northwind"]');
const balance = (page: Page, key: string) =>
  fundRow(page).locator(`[data-testid="fund-${key}"]`).getAttribute('data-amount-minor');
const fundActions = (page: Page) =>
  page.locator('[data-testid="mdf-fund-actions"][data-partner-id="northwind"]');
const requestRow = (page: Page, plannedMinor: number) =>
  page.locator(`[data-testid="mdf-request-row"][data-planned-minor="${plannedMinor}"]`);
/** The row beneath a request with what the viewer may do to it (only while it is submitted). */
const requestActions = (page: Page, plannedMinor: number) =>
  page.locator(`[data-testid="mdf-request-actions"][data-planned-minor="${plannedMinor}"]`);

describe('MDF: allocate, request, approve within the balance, audit', () => {
  let portal: Portal | undefined;
  const opened: OpenedPage[] = [];
  let campaignId = '';

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
  };
  const api = async (token: string, path: string, body: unknown) => {
    const response = await fetch(`${started().url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  /** A signed-in page for the named demo user, on /mdf through the link on their home page. */
  const openMdf = async (name: string) => {
    const session = await started().openPage();
    opened.push(session);
    await started().signIn(session.page, started().user(name));
    await session.page.getByTestId('home-mdf').click();
    await session.page.getByTestId('mdf-page').waitFor();
    return session;
  };

  beforeAll(async () => {
    portal = await startPortal();
    // Nora's draft campaign (an empty list is enough for a draft): the activity she asks funds for.
    const nora = await portal.devToken(portal.user('Nora Northwind'));
    const list = idSchema.parse(await api(nora, '/api/lists', { name: 'Webinar invitees' }));
    const campaign = idSchema.parse(
      await api(nora, '/api/campaigns', {
        name: CAMPAIGN_NAME,
        kitId: 'zero-trust-webinar',
        listId: list.id,
      }),
    );
    campaignId = campaign.id;
  }, 180_000);

  afterAll(async () => {
    for (const session of opened) await session.close();
    await portal?.stop();
  }, 60_000);

  it('lets marketing allocate USD 10,000.00 at 50% to Northwind for the current quarter', async () => {
    const { page, errors } = await openMdf(started().userFor('marketing').name);
    const form = page.getByTestId('mdf-allocate-form');
    await form.getByLabel('Partner').selectOption('northwind');
    expect(await form.getByLabel('Period').inputValue()).toBe(currentQuarter());
    await form.getByLabel('Currency').selectOption('USD');
    await form.getByLabel('Amount').fill('10000.00');
    await form.getByLabel('Reimbursement share (%)').fill('50');
    await form.getByRole('button', { name: 'Allocate' }).click();

    await fundRow(page).waitFor();
    expect(await fundRow(page).getAttribute('data-period')).toBe(currentQuarter());
    expect(await balance(page, 'allocatedMinor')).toBe('1000000');
    expect(await balance(page, 'remainingMinor')).toBe('1000000');
    expect(await fundRow(page).textContent()).toContain('$10,000.00');
    await shot(page, 'mdf-marketing-allocated.png');
    expect(errors).toEqual([]);
  });

  it('lets Nora request pre-approval for her campaign and for a planned event', async () => {
    const { page, errors } = await openMdf('Nora Northwind');
    expect(await balance(page, 'remainingMinor')).toBe('1000000');
    const form = page.getByTestId('mdf-request-form');
    await form.getByLabel('Campaign').selectOption(campaignId);
    expect(await form.getByLabel('Activity name').inputValue()).toBe(CAMPAIGN_NAME);
    await form.getByLabel('Starts').fill('2026-12-01');
    await form.getByLabel('Ends').fill('2026-12-15');
    await form.getByLabel('Planned spend (USD)').fill('6000.00');
    await form.getByLabel('Expected leads').fill('120');
    await form.getByLabel('Expected EQLs').fill('30');
    await form.getByLabel('Expected pipeline (USD)').fill('250000');
    await form.getByLabel('What the activity is').fill('Promoted webinar with paid social.');
    await form.getByRole('button', { name: 'Request pre-approval' }).click();
    await requestRow(page, 600_000).waitFor();
    expect(await requestRow(page, 600_000).getAttribute('data-status')).toBe('submitted');
    expect(await requestRow(page, 600_000).textContent()).toContain(`Campaign: ${CAMPAIGN_NAME}`);

    await form.getByLabel('Campaign').selectOption('');
    await form.getByLabel('Activity name').fill('Northwind security summit booth');
    await form.getByLabel('Planned spend (USD)').fill('16000.00');
    await form.getByRole('button', { name: 'Request pre-approval' }).click();
    await requestRow(page, 1_600_000).waitFor();
    expect(await requestRow(page, 1_600_000).textContent()).toContain('Planned activity');
    expect(await page.getByTestId('mdf-withdraw').count()).toBe(2);
    await shot(page, 'mdf-partner-requests.png');
    expect(errors).toEqual([]);
  });

  it('lets marketing approve 6,000.00 (committing 3,000.00) and refuses 16,000.00 with the API’s reason', async () => {
    const { page, errors } = await openMdf(started().userFor('marketing').name);
    // The queue: submitted first, oldest first (once it has loaded).
    await requestRow(page, 1_600_000).waitFor();
    const planned = await page
      .getByTestId('mdf-request-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-planned-minor')));
    expect(planned).toEqual(['600000', '1600000']);

    const first = requestActions(page, 600_000);
    await first.getByTestId('mdf-approve').click();
    expect(await first.getByLabel('Approved spend (USD)').inputValue()).toBe('6000.00');
    await first.getByTestId('mdf-decision-submit').click();
    await page.locator('[data-testid="mdf-request-row"][data-status="approved"]').waitFor();
    // Decided: no more actions beneath it.
    expect(await requestActions(page, 600_000).count()).toBe(0);
    await expect.poll(() => balance(page, 'committedMinor')).toBe('300000');
    expect(await balance(page, 'remainingMinor')).toBe('700000');
    expect(
      await requestRow(page, 600_000).getByTestId('request-committed').getAttribute('data-amount-minor'),
    ).toBe('300000');

    // Lowering the allocation below what is committed: the API's 409, shown where it was tried.
    await fundActions(page).getByTestId('mdf-adjust').click();
    const adjust = fundActions(page).getByTestId('mdf-adjust-form');
    await adjust.getByLabel('New allocation (USD)').fill('2000.00');
    await adjust.getByRole('button', { name: 'Save' }).click();
    const adjustProblem = adjust.getByTestId('problem');
    await adjustProblem.waitFor();
    expect(await adjustProblem.getAttribute('data-status')).toBe('409');
    expect(await adjustProblem.textContent()).toContain('cannot go below what is committed (USD 3,000.00)');
    await adjust.getByRole('button', { name: 'Cancel' }).click();

    const second = requestActions(page, 1_600_000);
    await second.getByTestId('mdf-approve').click();
    await second.getByTestId('mdf-decision-submit').click();
    const problem = second.getByTestId('problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-status')).toBe('409');
    expect(await problem.textContent()).toContain(
      "approving commits USD 8,000.00 but the fund's remaining balance is USD 7,000.00",
    );
    expect(await requestRow(page, 1_600_000).getAttribute('data-status')).toBe('submitted');
    expect(await balance(page, 'remainingMinor')).toBe('700000');
    await shot(page, 'mdf-marketing-decisions.png');
    expect(errors).toEqual([]);
  });

  it('shows Nora the approval and her remaining balance, and lets her withdraw the refused request', async () => {
    const { page, errors } = await openMdf('Nora Northwind');
    expect(await balance(page, 'committedMinor')).toBe('300000');
    expect(await balance(page, 'remainingMinor')).toBe('700000');
    expect(await requestRow(page, 600_000).getAttribute('data-status')).toBe('approved');
    expect(await requestActions(page, 600_000).count()).toBe(0);

    await requestActions(page, 1_600_000).getByTestId('mdf-withdraw').click();
    await page.locator('[data-testid="mdf-request-row"][data-status="withdrawn"]').waitFor();
    expect(await requestRow(page, 1_600_000).getAttribute('data-status')).toBe('withdrawn');
    expect(await page.getByTestId('mdf-withdraw').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows the auditor funds and requests read-only and Northwind’s audit chain intact', async () => {
    const { page, errors } = await openMdf(started().userFor('auditor').name);
    const chain = page
      .locator('[data-testid="mdf-chain"][data-partner-id="northwind"]')
      .getByTestId('chain-status');
    await chain.waitFor();
    expect(await chain.getAttribute('data-ok')).toBe('true');
    expect(await chain.textContent()).toContain('Chain intact');
    await expect.poll(() => balance(page, 'committedMinor')).toBe('300000');
    await expect.poll(() => page.getByTestId('mdf-request-row').count()).toBe(2);
    // Read-only: no form and no action anywhere on the page.
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.locator('main button').count()).toBe(0);
    await shot(page, 'mdf-auditor.png');
    expect(errors).toEqual([]);
  });
});
