// Contacts in the portal: Nora (Northwind) finds contacts by email prefix and opens one with its
// consent, builds a list by hand (adding and removing members), suppresses an address and sees
// it on the Suppressions view of Contacts, and the partner header stays on one line at 1280 px.
// Contacts are imported over the API with her token; Globex has a look-alike contact she must
// never see.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARTIFACTS, navLinks, type OpenedPage, type Portal, startPortal } from './harness.ts';

const NORTHWIND_CSV = [
  'email,first_name,last_name,company',
  'ada@contoso.example,Ada,Lovelace,Contoso',
  'grace@contoso.example,Grace,Hopper,Contoso',
  'linus@contoso.example,Linus,Torvalds,Contoso',
  'margaret@contoso.example,Margaret,Hamilton,Contoso',
  'forget.me@contoso.example,Forget,Me,Contoso',
  '',
].join('\n');
const CONSENT_SOURCE = 'event:spring-summit-2026';

const idSchema = z.looseObject({ id: z.string() });
const importSchema = z.looseObject({ id: z.string(), status: z.string() });
const contactSchema = z.looseObject({ id: z.string(), email: z.string(), lists: z.array(z.string()) });
const pageSchema = z.looseObject({ items: z.array(z.looseObject({ email: z.string() })) });

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

describe('contacts in the portal', () => {
  let portal: Portal | undefined;
  let opened: OpenedPage | undefined;
  let noraToken = '';

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
  };
  const page = (): Page => {
    if (!opened) throw new Error('no page');
    return opened.page;
  };
  const api = async (token: string, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    if (typeof init.body === 'string' && !headers.has('content-type')) {
      headers.set('content-type', 'application/json');
    }
    const response = await fetch(`${started().url}${path}`, { ...init, headers });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
  const importCsv = async (token: string, csv: string) => {
    const query = new URLSearchParams({ consentSource: CONSENT_SOURCE, consentAt: '2026-01-15' });
    const job = importSchema.parse(
      await api(token, `/api/contacts/imports?${query}`, {
        method: 'POST',
        body: csv,
        headers: { 'content-type': 'text/csv' },
      }),
    );
    // beforeAll cannot use expect.poll: a plain wait for the in-process import worker.
    for (let attempt = 0; attempt < 300; attempt += 1) {
      const current = importSchema.parse(await api(token, `/api/contacts/imports/${job.id}`));
      if (current.status === 'done') return;
      if (current.status === 'failed') throw new Error(`import ${job.id} failed`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`import ${job.id} did not finish`);
  };
  const contactByEmail = async (email: string) => {
    const found = pageSchema.parse(await api(noraToken, `/api/contacts?prefix=${encodeURIComponent(email)}`));
    const summary = idSchema.parse(found.items[0]);
    return contactSchema.parse(await api(noraToken, `/api/contacts/${summary.id}`));
  };

  beforeAll(async () => {
    portal = await startPortal();
    noraToken = await portal.devToken(portal.user('Nora Northwind'));
    await importCsv(noraToken, NORTHWIND_CSV);
    // Another partner's contact that starts like Nora's must never show up for her.
    const globex = await portal.devToken(portal.user('Gus Globex'));
    await importCsv(globex, 'email,first_name\nada.globex@contoso.example,Ada\n');
    // An erased contact leaves a suppression Nora cannot lift.
    const forget = await contactByEmail('forget.me@contoso.example');
    await api(noraToken, `/api/contacts/${forget.id}`, { method: 'DELETE' });
    opened = await portal.openPage();
    await portal.signIn(opened.page, portal.user('Nora Northwind'));
  }, 120_000);

  afterAll(async () => {
    await opened?.close();
    await portal?.stop();
  }, 60_000);

  it('keeps the partner header on one line at 1280×800', async () => {
    const nav = page().getByRole('navigation', { name: 'Main' });
    const links = navLinks(page());
    expect(await links.allTextContents()).toEqual([
      'Home',
      'Library',
      'Campaigns',
      'Contacts',
      'Brand',
      'Leads',
      'API',
      'Notifications',
    ]);
    const navBox = await nav.boundingBox();
    const linkBox = await links.first().boundingBox();
    if (!navBox || !linkBox) throw new Error('the navigation is not on screen');
    // One row of links: the list is as tall as one link, and every link shares its top.
    expect(navBox.height).toBeLessThanOrEqual(linkBox.height + 1);
    const tops = new Set(
      await links.evaluateAll((elements) => elements.map((e) => Math.round(e.getBoundingClientRect().top))),
    );
    expect(tops.size).toBe(1);
    // Brand, navigation and account sit side by side in the same band.
    const banner = await page().getByRole('banner').boundingBox();
    const account = await page().getByTestId('account').boundingBox();
    if (!banner || !account) throw new Error('no header');
    expect(account.y).toBeLessThan(navBox.y + navBox.height);
    expect(navBox.y).toBeLessThan(account.y + account.height);
    expect(banner.height).toBeLessThan(80);
    await page().screenshot({
      path: join(ARTIFACTS, 'header-1280.png'),
      clip: { x: 0, y: 0, width: 1280, height: 90 },
    });
  });

  it('finds contacts by the start of their email, whatever the case, and opens one with its consent', async () => {
    await navLinks(page()).filter({ hasText: 'Contacts' }).click();
    const search = page().getByTestId('contact-search');
    await search.getByTestId('contacts-table').waitFor();
    // Everyone of Nora's, nobody of Globex's.
    await expect.poll(() => search.getByTestId('contact-row').count()).toBe(4);

    await search.getByLabel('Search by email').fill('GRACE@Con');
    await page().waitForURL('**/contacts?q=GRACE%40Con');
    await expect.poll(() => search.getByTestId('contact-row').count()).toBe(1);
    expect(await search.getByTestId('contact-row').getByRole('rowheader').textContent()).toBe(
      'grace@contoso.example',
    );
    await search.getByLabel('Search by email').fill('ada');
    await expect
      .poll(() => search.getByTestId('contact-row').allTextContents())
      .toEqual([expect.stringContaining('ada@contoso.example')]);
    await search.getByLabel('Search by email').fill('nobody');
    await search.getByTestId('contacts-empty').waitFor();
    await shot(page(), 'contacts-search.png');

    await search.getByLabel('Search by email').fill('grace');
    await search.getByRole('link', { name: 'grace@contoso.example' }).click();
    await page().waitForURL('**/contacts/*');
    const contact = page().getByTestId('contact');
    await contact.waitFor();
    expect(await page().getByRole('heading', { level: 1 }).textContent()).toBe('grace@contoso.example');
    expect(await contact.getByTestId('consent-source').textContent()).toBe(CONSENT_SOURCE);
    expect(await contact.getByTestId('consent-at').textContent()).toMatch(/2026/);
    await contact.locator('[data-testid="suppression-state"][data-suppressed="false"]').waitFor();
    await shot(page(), 'contact.png');
    await page().goBack();
    await page().getByTestId('contact-search').waitFor();
  });

  it('builds a list by hand: adds members from a search, then takes one off', async () => {
    const list = idSchema.parse(
      await api(noraToken, '/api/lists', { method: 'POST', body: JSON.stringify({ name: 'Summit VIPs' }) }),
    );
    await page().goto(`${started().url}/contacts`);
    await page().getByTestId('lists-table').getByRole('link', { name: 'Summit VIPs' }).click();
    await page().waitForURL(`**/contacts/lists/${list.id}`);
    await page().getByTestId('members-empty').waitFor();

    const adder = page().getByTestId('add-members');
    await adder.getByLabel('Find contacts by email').fill('ada@');
    await adder.getByTestId('pick-contact').first().waitFor();
    expect(await adder.getByTestId('pick-contact').count()).toBe(1);
    await adder.getByLabel('ada@contoso.example').check();
    await adder.getByLabel('Find contacts by email').fill('linus');
    await adder.getByLabel('linus@contoso.example').check();
    await adder.getByRole('button', { name: 'Add 2 contacts to list' }).click();
    await page().getByTestId('list-message').waitFor();
    expect(await page().getByTestId('list-message').textContent()).toContain('Added 2 contacts');
    const rows = page().getByTestId('member-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page().getByTestId('list-summary').textContent()).toMatch(/^2 members/);
    await shot(page(), 'contacts-list.png');

    await page()
      .getByTestId('members-table')
      .getByRole('button', { name: 'Remove ada@contoso.example' })
      .click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.getByRole('rowheader').textContent()).toBe('linus@contoso.example');
    expect(await page().getByTestId('list-summary').textContent()).toMatch(/^1 member /);
    // The contact itself stays, off this list only.
    const ada = await contactByEmail('ada@contoso.example');
    expect(ada.lists).not.toContain(list.id);
    const linus = await contactByEmail('linus@contoso.example');
    expect(linus.lists).toContain(list.id);
  });

  it('suppresses an address by hand, shows it with its reason, and lifts it again', async () => {
    await page().goto(`${started().url}/contacts`);
    await page()
      .getByRole('navigation', { name: 'Contacts sections' })
      .getByRole('link', { name: 'Suppressions' })
      .click();
    await page().waitForURL('**/contacts/suppressions');
    // Contacts stays the current main entry: Suppressions lives under it.
    expect(await navLinks(page()).filter({ hasText: 'Contacts' }).getAttribute('aria-current')).toBe('page');
    const table = page().getByTestId('suppressions-table');
    const erased = table.locator('[data-testid="suppression-row"][data-email="forget.me@contoso.example"]');
    await erased.waitFor();
    expect(await erased.getAttribute('data-reason')).toBe('erasure');
    expect(await erased.getByRole('button').count()).toBe(0);
    expect(await erased.getByTestId('cannot-remove').textContent()).toMatch(/erased at their request/);

    await page()
      .getByRole('form', { name: 'Suppress an address' })
      .getByLabel('Email address')
      .fill('not-an-email');
    await page().getByRole('button', { name: 'Suppress', exact: true }).click();
    await page().getByRole('form', { name: 'Suppress an address' }).locator('.field-error').waitFor();

    await page()
      .getByRole('form', { name: 'Suppress an address' })
      .getByLabel('Email address')
      .fill('Margaret@Contoso.example');
    await page().getByRole('button', { name: 'Suppress', exact: true }).click();
    await page().getByTestId('suppression-message').waitFor();
    const manual = table.locator('[data-testid="suppression-row"][data-email="margaret@contoso.example"]');
    await manual.waitFor();
    expect(await manual.getAttribute('data-reason')).toBe('manual');
    expect(await manual.textContent()).toContain('Added by you');
    await shot(page(), 'suppressions.png');

    // The contact page agrees.
    const margaret = await contactByEmail('margaret@contoso.example');
    await page().goto(`${started().url}/contacts/${margaret.id}`);
    const state = page().getByTestId('suppression-state');
    await state.waitFor();
    expect(await state.getAttribute('data-suppressed')).toBe('true');
    expect(await page().getByTestId('contact-suppression').textContent()).toContain('Added by you');

    await page().goto(`${started().url}/contacts/suppressions`);
    await manual.getByRole('button', { name: 'Remove margaret@contoso.example' }).click();
    await manual.waitFor({ state: 'detached' });
    const check = page().getByTestId('check-address');
    await check.getByLabel('Email address').fill('margaret@contoso.example');
    await check.getByRole('button', { name: 'Check' }).click();
    await check.locator('[data-testid="check-result"][data-suppressed="false"]').waitFor();
    expect(opened?.errors).toEqual([]);
  });

  it('fits the contacts pages on a phone', async () => {
    const phone = await started().openPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      await started().signIn(phone.page, started().user('Nora Northwind'));
      for (const path of ['/contacts', '/contacts/suppressions']) {
        await phone.page.goto(`${started().url}${path}`);
        await phone.page.getByRole('navigation', { name: 'Contacts sections' }).waitFor();
        await phone.page.getByTestId('loading').first().waitFor({ state: 'detached' });
        const overflow = await phone.page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await phone.page.screenshot({ path: join(ARTIFACTS, 'suppressions-phone.png'), fullPage: true });
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
