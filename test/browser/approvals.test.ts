// Brand approval through the portal: Nora (gold, NA) submits a campaign of a kit that needs
// approval (set up over the API with her token), Maya reviews its render in the approval queue
// and rejects it with a comment, and Nora sees the rejection and the comment.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARTIFACTS, navLinks, type OpenedPage, type Portal, startPortal } from './harness.ts';

const CAMPAIGN_NAME = 'Marketplace private offer, spring';
const COMMENT = 'Please use the approved discount wording: "up to 10%", not 15%.';

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

const idSchema = z.looseObject({ id: z.string() });
const campaignSchema = z.looseObject({ id: z.string(), status: z.string() });

describe('brand approval in the portal', () => {
  let portal: Portal | undefined;
  const pages: OpenedPage[] = [];
  let campaignId = '';

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
  };
  const open = async (name: string): Promise<OpenedPage> => {
    const opened = await started().openPage();
    pages.push(opened);
    await started().signIn(opened.page, started().user(name));
    return opened;
  };

  beforeAll(async () => {
    portal = await startPortal();
    const token = await portal.devToken(portal.user('Nora Northwind'));
    const api = async (path: string, body?: unknown) => {
      const response = await fetch(`${started().url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const list = idSchema.parse(await api('/api/lists', { name: 'Marketplace buyers' }));
    const created = campaignSchema.parse(
      await api('/api/campaigns', {
        name: CAMPAIGN_NAME,
        kitId: 'marketplace-private-offer',
        listId: list.id,
      }),
    );
    campaignId = created.id;
    const submitted = campaignSchema.parse(await api(`/api/campaigns/${campaignId}/submit`));
    expect(submitted.status).toBe('pending-approval');
  }, 120_000);

  afterAll(async () => {
    for (const opened of pages) await opened.close();
    await portal?.stop();
  }, 60_000);

  it('shows the submitted campaign and its render in Maya’s queue; a reject needs a comment', async () => {
    const { page, errors } = await open('Maya Marketing');
    await navLinks(page).filter({ hasText: 'Approvals' }).click();
    const row = page.getByTestId('approvals-table').locator(`tr[data-campaign-id="${campaignId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Northwind');
    expect(await row.textContent()).toContain('marketplace-private-offer@1.0.0');
    await row.getByRole('button', { name: CAMPAIGN_NAME }).click();

    const review = page.locator(`[data-testid="approval-review"][data-campaign-id="${campaignId}"]`);
    await review.waitFor();
    expect(await review.getByTestId('preview-subject').textContent()).not.toBe('');
    const frame = review.getByTestId('email-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toContain('Northwind');
    const tabs = await review.getByRole('tab').allTextContents();
    expect(tabs).toEqual(['Email', 'Plain text', 'Landing page']);
    await review.getByRole('tab', { name: 'Landing page' }).click();
    await review.getByTestId('landing-frame').waitFor();
    await review.getByRole('tab', { name: 'Email' }).click();

    // Rejecting without a comment stops at the form.
    await review.getByRole('button', { name: 'Reject' }).click();
    await review.locator('.field-error').waitFor();
    expect(await review.getByLabel('Comment').getAttribute('aria-invalid')).toBe('true');

    await review.getByLabel('Comment').fill(COMMENT);
    await shot(page, 'approvals.png');
    await review.getByRole('button', { name: 'Reject' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reject this campaign?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await page.getByTestId('decision-notice').waitFor();
    expect(await row.count()).toBe(0);
    await page.getByTestId('approvals-empty').waitFor();
    expect(errors).toEqual([]);
  });

  it('tells Nora about the rejection, with the comment, and shows it on the campaign', async () => {
    const { page, errors } = await open('Nora Northwind');
    await navLinks(page).filter({ hasText: 'Notifications' }).click();
    const notification = page.locator(`[data-testid="notification"][data-campaign-id="${campaignId}"]`);
    await notification.waitFor();
    expect(await notification.getAttribute('data-kind')).toBe('campaign-rejected');
    expect(await notification.getByTestId('notification-comment').textContent()).toBe(COMMENT);
    await shot(page, 'notifications.png');

    await notification.getByRole('link', { name: CAMPAIGN_NAME }).click();
    const decision = page.getByTestId('campaign-decision');
    await decision.waitFor();
    expect(await decision.getAttribute('data-outcome')).toBe('rejected');
    expect(await decision.getByTestId('campaign-decision-comment').textContent()).toBe(COMMENT);
    expect(await page.getByTestId('campaign').getAttribute('data-status')).toBe('rejected');
    await shot(page, 'campaign-rejected.png');
    expect(errors).toEqual([]);
  });
});
