// From contacts to sent email through the portal: Nora checks her brand, creates a list,
// imports a CSV into it (with a rejected row), launches a campaign of the Zero Trust webinar kit
// from the library through the wizard (audience, schedule, review), watches the counters, and
// the SES emulator holds the co-branded emails. Then the bounced address shows as suppressed
// platform-wide, and a second campaign is scheduled in New York time and cancelled.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARTIFACTS, navLinks, type OpenedPage, type Portal, startPortal } from './harness.ts';

const CONTACTS = [
  'ada@contoso.example',
  'grace@contoso.example',
  'bounce@simulator.amazonses.com',
  'linus@contoso.example',
  'margaret@contoso.example',
];
// Line 1 is the header; the invalid row is on line 5.
const CSV = [
  'email,first_name,company',
  `${CONTACTS[0]},Ada,Contoso`,
  `${CONTACTS[1]},Grace,Contoso`,
  `${CONTACTS[2]},Bounce,Simulator`,
  'not-an-email,Broken,Row',
  `${CONTACTS[3]},Linus,Contoso`,
  `${CONTACTS[4]},Margaret,Contoso`,
  '',
].join('\n');
const INVALID_LINE = 5;

const outboxSchema = z.object({
  emails: z.array(
    z.looseObject({
      destination: z.looseObject({ to: z.array(z.string()) }),
      body: z.looseObject({ html: z.string().optional() }),
    }),
  ),
});

describe('launching a campaign from the portal', () => {
  let portal: Portal | undefined;
  let opened: OpenedPage | undefined;
  let listId = '';

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
  };
  const page = (): Page => {
    if (!opened) throw new Error('no page');
    return opened.page;
  };
  const shot = async (name: string) => {
    const current = page();
    const height = await current.evaluate(() => document.documentElement.scrollHeight);
    await current.setViewportSize({ width: 1280, height: Math.max(800, height) });
    await current.waitForTimeout(150);
    await current.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
    await current.setViewportSize({ width: 1280, height: 800 });
  };

  beforeAll(async () => {
    portal = await startPortal();
    opened = await portal.openPage();
    await portal.signIn(opened.page, portal.user('Nora Northwind'));
  }, 120_000);

  afterAll(async () => {
    await opened?.close();
    await portal?.stop();
  }, 60_000);

  it('shows and saves the partner’s brand profile', async () => {
    await navLinks(page()).filter({ hasText: 'Brand' }).click();
    const form = page().getByTestId('brand-form');
    await form.waitFor();
    expect(await form.getByLabel('Company name').inputValue()).toBe('Northwind Networks');
    expect(await form.getByLabel('Address line 2', { exact: true }).inputValue()).toBe(
      '1200 Harbor Avenue, Suite 400',
    );
    await form.getByRole('button', { name: 'Save brand profile' }).click();
    await page().getByTestId('brand-saved').waitFor();
    expect(await page().getByTestId('brand-version').textContent()).toMatch(/Version 2/);

    // Field errors from the API land beside their fields.
    await form.getByLabel('Reply-to email').fill('not-an-email');
    await form.getByRole('button', { name: 'Save brand profile' }).click();
    await form.locator('.field-error').first().waitFor();
    expect(await form.getByLabel('Reply-to email').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Reply-to email').fill('nora@northwind.example');
    await form.getByRole('button', { name: 'Save brand profile' }).click();
    await page().getByTestId('brand-saved').waitFor();
    await shot('brand.png');
  });

  it('creates a list and imports a CSV into it, reporting the rejected row by line', async () => {
    await navLinks(page()).filter({ hasText: 'Contacts' }).click();
    await page().getByTestId('lists-empty').waitFor();
    await page().getByLabel('New list name').fill('Webinar invitees');
    await page().getByRole('button', { name: 'Create list' }).click();
    const row = page().getByTestId('lists-table').locator('tr', { hasText: 'Webinar invitees' });
    await row.waitFor();
    listId = (await row.getAttribute('data-list-id')) ?? '';
    expect(listId).not.toBe('');

    const importer = page().getByTestId('contact-import');
    await importer.getByTestId('import-file').setInputFiles({
      name: 'invitees.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    });
    await importer.getByLabel('Add to list').selectOption(listId);
    await importer.getByLabel('Consent source').fill('form:webinar-2026');
    await importer.getByLabel('Consent date').fill('2025-01-15');
    await importer.getByRole('button', { name: 'Import' }).click();
    await importer.getByTestId('import-progress').waitFor();
    await importer
      .locator('[data-testid="import-progress"][data-status="done"]')
      .waitFor({ timeout: 30_000 });
    expect(await importer.getByTestId('import-imported').textContent()).toBe('5');
    expect(await importer.getByTestId('import-rejected').textContent()).toBe('1');
    const rejected = importer.getByTestId('import-error');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.getAttribute('data-line')).toBe(String(INVALID_LINE));
    expect(await rejected.textContent()).toContain('invalid-email');
    await expect.poll(() => row.getByTestId('member-count').textContent(), { timeout: 10_000 }).toBe('5');
    await shot('contacts.png');
  });

  it('launches a campaign from the library through the wizard and counts it out', async () => {
    const { url } = started();
    await navLinks(page()).filter({ hasText: 'Library' }).click();
    await page().goto(`${url}/library/zero-trust-webinar`);
    await page().locator('[data-testid="preview-status"][data-state="ready"]').waitFor();
    await page().getByRole('button', { name: 'Launch campaign', exact: true }).click();
    // Kit and content are the page above; the wizard asks who, when, then shows a review.
    const wizard = page().getByTestId('launch-wizard');
    expect(await wizard.getAttribute('data-step')).toBe('audience');
    await wizard.getByLabel('Campaign name').fill('Zero Trust spring webinar');
    await wizard.getByLabel('Send to list').selectOption(listId);
    await wizard.getByRole('button', { name: 'Next: schedule' }).click();
    expect(await wizard.getByLabel('Now, as soon as I launch it').isChecked()).toBe(true);
    await wizard.getByRole('button', { name: 'Next: review' }).click();
    const review = wizard.getByTestId('wizard-review');
    await review.waitFor();
    expect(await review.getByTestId('review-name').textContent()).toBe('Zero Trust spring webinar');
    expect(await review.getByTestId('review-list').textContent()).toBe('Webinar invitees (5)');
    expect(await review.getByTestId('review-when').getAttribute('data-at')).toBe('now');
    await shot('wizard-review.png');
    await review.getByRole('button', { name: 'Launch now' }).click();
    await page().waitForURL('**/campaigns/*');

    const campaign = page().getByTestId('campaign');
    await expect
      .poll(() => campaign.getByTestId('counter-sent').textContent(), { timeout: 60_000 })
      .toBe(String(CONTACTS.length));
    await expect
      .poll(() => campaign.getByTestId('counter-delivered').textContent(), { timeout: 30_000 })
      .toBe(String(CONTACTS.length - 1));
    expect(await campaign.getByTestId('rate-delivery').textContent()).toBe('80.0%');
    // The hour-by-hour chart reads the same counters from the series endpoint.
    const chart = page().getByTestId('campaign-chart');
    await chart.waitFor();
    await expect
      .poll(async () =>
        (await chart.locator('rect title').allTextContents()).some((t) =>
          t.endsWith(`Sent: ${CONTACTS.length}`),
        ),
      )
      .toBe(true);
    await shot('campaign.png');

    await navLinks(page()).filter({ hasText: 'Campaigns' }).click();
    const listed = page()
      .getByTestId('campaigns-table')
      .locator('tr', { hasText: 'Zero Trust spring webinar' });
    await listed.waitFor();
    expect(['sending', 'sent']).toContain(
      await listed.getByTestId('campaign-status').getAttribute('data-status'),
    );
  });

  it('put one co-branded email per contact in the SES emulator', async () => {
    const { outboxUrl } = started();
    const outbox = async () => outboxSchema.parse(await (await fetch(`${outboxUrl}/store`)).json()).emails;
    await expect.poll(async () => (await outbox()).length, { timeout: 30_000 }).toBe(CONTACTS.length);
    const emails = await outbox();
    expect(emails.flatMap((email) => email.destination.to).sort()).toEqual([...CONTACTS].sort());
    for (const email of emails) {
      expect(email.body.html).toContain('Northwind Networks');
      expect(email.body.html).toContain('1200 Harbor Avenue');
    }
    expect(opened?.errors).toEqual([]);
  });

  it('shows the platform’s hard bounce when the partner checks the address, with no way to lift it', async () => {
    const { url } = started();
    await page().goto(`${url}/contacts/suppressions`);
    const check = page().getByTestId('check-address');
    await check.getByLabel('Email address').fill(CONTACTS[2] ?? '');
    await check.getByRole('button', { name: 'Check' }).click();
    const result = check.locator('[data-testid="check-result"][data-suppressed="true"]');
    await result.waitFor();
    const entry = result.locator('[data-reason="hard-bounce"]');
    expect(await entry.textContent()).toMatch(/for every partner.*cannot be removed here/);
    // Global entries are not the partner's to list or lift.
    expect(await page().locator(`[data-testid="suppression-row"][data-email="${CONTACTS[2]}"]`).count()).toBe(
      0,
    );
  });

  it('schedules a campaign a minute ahead in the partner’s own time zone, shows when, and cancels it', async () => {
    const { url } = started();
    const zone = 'America/New_York';
    const newYork = await started().openPage({ timezoneId: zone });
    try {
      const tab = newYork.page;
      await started().signIn(tab, started().user('Nora Northwind'));
      await tab.goto(`${url}/library/zero-trust-webinar`);
      await tab.locator('[data-testid="preview-status"][data-state="ready"]').waitFor();
      await tab.getByRole('button', { name: 'Launch campaign', exact: true }).click();
      const wizard = tab.getByTestId('launch-wizard');
      await wizard.getByLabel('Campaign name').fill('Zero Trust webinar, scheduled');
      await wizard.getByLabel('Send to list').selectOption(listId);
      await wizard.getByRole('button', { name: 'Next: schedule' }).click();
      await wizard.getByLabel('Later, at a time I pick').check();
      // The field names the zone the time is read in.
      const when = wizard.getByLabel(/^Date and time, your time zone: America\/New_York \(GMT-0[45]:00\)$/);

      // A time in the past is refused before anything is created.
      await when.fill(localInZone(new Date(Date.now() - 60 * 60_000), zone));
      await wizard.getByRole('button', { name: 'Next: review' }).click();
      expect(await wizard.locator('.field-error').textContent()).toBe('Pick a time in the future.');

      // The next whole minute but one: at least a minute ahead, at most two.
      const at = new Date(Math.floor((Date.now() + 120_000) / 60_000) * 60_000);
      await when.fill(localInZone(at, zone));
      expect(await wizard.getByTestId('schedule-utc').textContent()).toContain('UTC');
      await wizard.getByRole('button', { name: 'Next: review' }).click();
      const review = wizard.getByTestId('wizard-review');
      expect(await review.getByTestId('review-when').getAttribute('data-at')).toBe(at.toISOString());
      expect(await review.getByTestId('review-when').textContent()).toContain(zone);
      await review.getByRole('button', { name: 'Schedule campaign' }).click();

      await tab.waitForURL('**/campaigns/*');
      const campaign = tab.locator('[data-testid="campaign"][data-status="scheduled"]');
      await campaign.waitFor();
      const scheduled = campaign.getByTestId('campaign-scheduled');
      expect(await scheduled.getAttribute('data-at')).toBe(at.toISOString());
      expect(await scheduled.textContent()).toContain(zone);
      await tab.screenshot({ path: join(ARTIFACTS, 'campaign-scheduled.png'), fullPage: true });

      await navLinks(tab).filter({ hasText: 'Campaigns' }).click();
      const listed = tab
        .getByTestId('campaigns-table')
        .locator('tr', { hasText: 'Zero Trust webinar, scheduled' });
      await listed.waitFor();
      expect(await listed.getByTestId('campaign-status').getAttribute('data-status')).toBe('scheduled');
      expect(await listed.getByTestId('campaign-scheduled-at').getAttribute('data-at')).toBe(
        at.toISOString(),
      );

      await listed.getByRole('link').click();
      await campaign.waitFor();
      await campaign.getByRole('button', { name: 'Cancel campaign' }).click();
      await tab.getByRole('dialog').getByRole('button', { name: 'Cancel campaign' }).click();
      await tab.locator('[data-testid="campaign"][data-status="cancelled"]').waitFor();
      expect(Date.now()).toBeLessThan(at.getTime());
      expect(newYork.errors).toEqual([]);
    } finally {
      await newYork.close();
    }
  });
});

/** A `datetime-local` value for `date` as a clock in `zone` shows it: "2026-03-01T09:05". */
function localInZone(date: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
