// Leads in the portal, end to end: Nora (Northwind) puts acme.example on her customers list and
// launches a campaign (over the API with her token); Dana at Acme clicks the email's link and
// registers on the co-branded landing page (with script: thanked in place), and Sam registers
// with script turned off (a thank-you page). Nora sees Dana as an EQL in her inbox, with the
// overlap naming Northwind as "customer"; Maya (marketing) accepts the lead after a stale-version
// prompt, marks it an opportunity and won with an amount, and the EQL funnel counts the revenue.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARTIFACTS, navLinks, type OpenedPage, type Portal, startPortal } from './harness.ts';

const DANA = 'dana.okafor@acme.example';
const SAM = 'sam.lee@initrode.example';
const CAMPAIGN_NAME = 'Zero Trust webinar for leads';

const idSchema = z.looseObject({ id: z.string() });
const statusSchema = z.looseObject({ id: z.string(), status: z.string() });
const campaignSchema = z.looseObject({ id: z.string(), slug: z.string(), status: z.string() });
const listsSchema = z.looseObject({
  items: z.array(z.looseObject({ kind: z.string(), status: z.string(), accounts: z.number() })),
});
const outboxSchema = z.object({
  emails: z.array(
    z.looseObject({
      destination: z.looseObject({ to: z.array(z.string()) }),
      body: z.looseObject({ html: z.string().optional() }),
    }),
  ),
});
const leadSchema = z.looseObject({ id: z.string(), version: z.number(), status: z.string() });

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

/** Waits in beforeAll (no expect.poll there) until `check` says yes. */
async function until(what: string, check: () => Promise<boolean>) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen`);
}

/** Fills the zero-trust webinar's landing form as a visitor would. */
async function fillLandingForm(
  page: Page,
  person: { email: string; first: string; last: string; company: string },
) {
  const form = page.locator('form.ck-lead-form');
  await form.getByLabel('Work email').fill(person.email);
  await form.getByLabel('First name').fill(person.first);
  await form.getByLabel('Last name').fill(person.last);
  await form.getByLabel('Company').fill(person.company);
  await form.getByLabel('Job title').fill('CISO');
  await form.getByLabel('Country').selectOption('US');
  await form.locator('input[name="consent"]').check();
  return form;
}

describe('leads from a landing page to a won EQL', () => {
  let portal: Portal | undefined;
  let nora: OpenedPage | undefined;
  let noraToken = '';
  let marketingToken = '';
  let slug = '';
  let campaignId = '';

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
  };
  const page = (): Page => {
    if (!nora) throw new Error('no page');
    return nora.page;
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

  beforeAll(async () => {
    portal = await startPortal();
    noraToken = await portal.devToken(portal.user('Nora Northwind'));
    marketingToken = await portal.devToken(portal.userFor('marketing'));

    // Northwind's customers: Acme is one (only keyed hashes of the domain are stored).
    await api(noraToken, '/api/account-lists/customer', {
      method: 'POST',
      body: 'company,domain\nAcme Robotics,acme.example\nContoso,contoso.example\n',
      headers: { 'content-type': 'text/csv' },
    });
    await until('the customers list is ready', async () => {
      const lists = listsSchema.parse(await api(noraToken, '/api/account-lists'));
      return lists.items.some((l) => l.kind === 'customer' && l.status === 'ready' && l.accounts === 2);
    });

    // A list with Dana on it, and a campaign of the webinar kit launched to it.
    const list = idSchema.parse(
      await api(noraToken, '/api/lists', { method: 'POST', body: JSON.stringify({ name: 'Acme contacts' }) }),
    );
    const query = new URLSearchParams({
      listId: list.id,
      consentSource: 'event:summit-2026',
      consentAt: '2026-01-15',
    });
    const job = statusSchema.parse(
      await api(noraToken, `/api/contacts/imports?${query}`, {
        method: 'POST',
        body: `email,first_name,last_name,company\n${DANA},Dana,Okafor,Acme Robotics\n`,
        headers: { 'content-type': 'text/csv' },
      }),
    );
    await until('the import is done', async () => {
      const current = statusSchema.parse(await api(noraToken, `/api/contacts/imports/${job.id}`));
      if (current.status === 'failed') throw new Error('the import failed');
      return current.status === 'done';
    });
    const campaign = campaignSchema.parse(
      await api(noraToken, '/api/campaigns', {
        method: 'POST',
        body: JSON.stringify({ name: CAMPAIGN_NAME, kitId: 'zero-trust-webinar', listId: list.id }),
      }),
    );
    campaignId = campaign.id;
    slug = campaign.slug;
    await api(noraToken, `/api/campaigns/${campaign.id}/launch`, { method: 'POST' });

    nora = await portal.openPage();
    await portal.signIn(nora.page, portal.user('Nora Northwind'));
  }, 180_000);

  afterAll(async () => {
    await nora?.close();
    await portal?.stop();
  }, 60_000);

  it('takes Dana from the email’s link to the landing page and thanks her in place (with script)', async () => {
    const { outboxUrl } = started();
    const emailTo = async () =>
      outboxSchema
        .parse(await (await fetch(`${outboxUrl}/store`)).json())
        .emails.find((email) => email.destination.to.includes(DANA));
    await expect.poll(async () => (await emailTo()) !== undefined, { timeout: 60_000 }).toBe(true);
    const html = (await emailTo())?.body.html ?? '';
    const link = /href="([^"]*\/t\/c\/[^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    if (!link) throw new Error('the email has no tracked link');

    const visitor = await started().openPage();
    try {
      // The email's tracked link redirects to the landing page with the click on it.
      await visitor.page.goto(link);
      await visitor.page.waitForURL(`**/p/${slug}?*`);
      const form = await fillLandingForm(visitor.page, {
        email: DANA,
        first: 'Dana',
        last: 'Okafor',
        company: 'Acme Robotics',
      });
      const before = visitor.page.url();
      await form.getByRole('button', { name: 'Register for the webinar' }).click();
      const done = visitor.page.locator('.ck-form-done');
      await done.waitFor();
      expect(await done.textContent()).toContain('Thank you');
      expect(visitor.page.url()).toBe(before);
      await visitor.page.screenshot({ path: join(ARTIFACTS, 'landing-thanks.png'), fullPage: true });
      expect(visitor.errors).toEqual([]);
    } finally {
      await visitor.close();
    }
  });

  it('thanks Sam on a page of its own when script is off', async () => {
    const visitor = await started().openPage({ javaScriptEnabled: false });
    try {
      await visitor.page.goto(`${started().url}/p/${slug}?utm_source=linkedin&utm_medium=social`);
      const form = await fillLandingForm(visitor.page, {
        email: SAM,
        first: 'Sam',
        last: 'Lee',
        company: 'Initrode',
      });
      await Promise.all([
        visitor.page.waitForNavigation(),
        form.getByRole('button', { name: 'Register for the webinar' }).click(),
      ]);
      expect(await visitor.page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you');
      expect(await visitor.page.getByRole('link', { name: 'Back to the page' }).getAttribute('href')).toBe(
        `/p/${slug}`,
      );
      await visitor.page.screenshot({
        path: join(ARTIFACTS, 'landing-thanks-no-script.png'),
        fullPage: true,
      });
    } finally {
      await visitor.close();
    }
  });

  it('keeps the partner header on one line at 1280 px with Leads in it and the bell at the end', async () => {
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
    expect(navBox.height).toBeLessThanOrEqual(linkBox.height + 1);
    const tops = new Set(
      await links.evaluateAll((elements) => elements.map((e) => Math.round(e.getBoundingClientRect().top))),
    );
    expect(tops.size).toBe(1);
    const bell = links.filter({ hasText: 'Notifications' });
    expect(await bell.getAttribute('title')).toBe('Notifications');
    await page().screenshot({
      path: join(ARTIFACTS, 'header-leads-1280.png'),
      clip: { x: 0, y: 0, width: 1280, height: 90 },
    });
  });

  it('shows Dana as an EQL in Nora’s inbox, and filters keep to the URL', async () => {
    await navLinks(page()).filter({ hasText: 'Leads' }).click();
    await page().waitForURL('**/leads');
    const dana = page().locator(`[data-testid="lead-row"][data-email="${DANA}"]`);
    await dana.waitFor();
    expect(await dana.getAttribute('data-eql')).toBe('true');
    expect(await dana.getByTestId('eql-badge').textContent()).toBe('EQL');
    expect(await dana.getByTestId('lead-attribution').getAttribute('data-attribution')).toBe(
      'partner-sourced',
    );
    expect(await dana.locator(`[data-campaign-id="${campaignId}"]`).textContent()).toBe(CAMPAIGN_NAME);
    const sam = page().locator(`[data-testid="lead-row"][data-email="${SAM}"]`);
    expect(await sam.getAttribute('data-eql')).toBe('false');
    await shot(page(), 'leads-inbox.png');

    await page().getByTestId('lead-filters').getByLabel('EQL').selectOption('true');
    await page().waitForURL('**/leads?eql=true');
    // A new filter starts again at its first page: wait for its rows.
    await sam.waitFor({ state: 'detached' });
    await dana.waitFor();
    expect(await page().getByTestId('lead-row').count()).toBe(1);
    await page().getByTestId('lead-filters').getByLabel('Campaign').selectOption(campaignId);
    await page().waitForURL(`**/leads?campaignId=${campaignId}&eql=true`);
    await dana.waitFor();
    expect(await page().getByTestId('lead-row').count()).toBe(1);
    await page().getByRole('link', { name: 'Clear filters' }).click();
    await sam.waitFor();
    expect(nora?.errors).toEqual([]);
  });

  it('opens Dana’s lead: touches, consent as shown, and the overlap naming Northwind as a customer', async () => {
    await page().locator(`[data-testid="lead-row"][data-email="${DANA}"]`).getByRole('link').click();
    const lead = page().getByTestId('lead');
    await lead.waitFor();
    expect(await lead.getAttribute('data-eql')).toBe('true');
    const overlap = page().getByTestId('overlap');
    expect(await overlap.count()).toBe(1);
    expect(await overlap.getAttribute('data-kind')).toBe('customer');
    expect(await overlap.getAttribute('data-partner-id')).toBe('northwind');
    expect(await overlap.textContent()).toBe('Northwind Networks customer');
    expect((await page().getByTestId('eql-reasons').textContent()) ?? '').toContain('acme.example');

    const kinds = await page()
      .getByTestId('touch')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toContain('email-click');
    expect(kinds).toContain('form-submit');
    expect(await page().getByTestId('touch-campaign').first().textContent()).toContain(CAMPAIGN_NAME);
    const consent = page().getByTestId('consent');
    expect(await consent.getAttribute('data-given')).toBe('true');
    expect(await consent.getByTestId('consent-text').textContent()).toContain('Northwind Networks');
    expect(await consent.getByTestId('consent-page').textContent()).toContain(`/p/${slug}`);

    const rules = page().getByTestId('rule-result');
    expect(await rules.count()).toBe(4);
    expect(await page().locator('[data-testid="rule-result"][data-outcome="failed"]').count()).toBe(0);
    const credit = page().locator('[data-testid="credit-row"][data-partner-id="northwind"]');
    expect(await credit.locator('[data-model="linear"]').textContent()).toBe('100%');
    // A partner cannot decide on a lead: that is vendor sales' call.
    expect(await page().getByTestId('lead-decisions').count()).toBe(0);
    await shot(page(), 'lead-detail-partner.png');
    expect(nora?.errors).toEqual([]);
  });

  it('lets marketing accept it after a stale-version prompt, then mark it an opportunity and won', async () => {
    const maya = await started().openPage();
    try {
      const { page: tab, errors } = maya;
      await started().signIn(tab, started().userFor('marketing'));
      expect(await navLinks(tab).allTextContents()).toEqual([
        'Home',
        'Partners',
        'Kits',
        'Approvals',
        'Leads',
        'API',
      ]);
      await navLinks(tab).filter({ hasText: 'Leads' }).click();
      const row = tab.locator(`[data-testid="lead-row"][data-email="${DANA}"]`);
      await row.getByRole('link').click();
      const lead = tab.getByTestId('lead');
      await lead.waitFor();
      const leadId = (await lead.getAttribute('data-lead-id')) ?? '';
      // Marketing sees every partner by name.
      expect(await tab.getByTestId('overlap').textContent()).toBe('Northwind Networks customer');

      // A colleague accepts it meanwhile: the version this page read is stale.
      const read = leadSchema.parse(await api(marketingToken, `/api/leads/${leadId}`));
      await api(marketingToken, `/api/leads/${leadId}/decision`, {
        method: 'POST',
        body: JSON.stringify({ action: 'accept' }),
        headers: { 'if-match': `"${read.version}"` },
      });
      const decisions = tab.getByTestId('lead-decisions');
      await decisions.getByRole('button', { name: 'Accept' }).click();
      await decisions.locator('[data-testid="problem"][data-status="412"]').waitFor();
      await shot(tab, 'lead-stale.png');
      await decisions.getByRole('button', { name: 'Reload the lead' }).click();
      await tab.locator('[data-testid="lead"][data-status="accepted"]').waitFor();

      await decisions.getByRole('button', { name: 'Mark opportunity' }).click();
      await tab.locator('[data-testid="lead"][data-status="opportunity"]').waitFor();
      expect(await tab.getByTestId('decision-notice').textContent()).toBe('The lead is now opportunity.');

      await decisions.getByRole('button', { name: 'Mark won…' }).click();
      const won = decisions.getByTestId('decision-won');
      // A float-looking amount is refused before anything is sent.
      await won.getByLabel('Amount won').fill('2500.505');
      await won.getByRole('button', { name: 'Save as won' }).click();
      expect(await won.locator('.field-error').textContent()).toContain('at most 2 decimals');
      await won.getByLabel('Amount won').fill('2500.5');
      await won.getByLabel('Currency').selectOption('USD');
      expect(await won.getByTestId('amount-preview').textContent()).toContain('250,050 minor units');
      await won.getByRole('button', { name: 'Save as won' }).click();
      await tab.locator('[data-testid="lead"][data-status="won"]').waitFor();
      const amount = tab.getByTestId('lead-won');
      expect(await amount.getAttribute('data-amount-minor')).toBe('250050');
      expect(await amount.getAttribute('data-currency')).toBe('USD');
      const stored = z
        .looseObject({ status: z.string(), won: z.object({ amountMinor: z.number(), currency: z.string() }) })
        .parse(await api(marketingToken, `/api/leads/${leadId}`));
      expect(stored).toMatchObject({ status: 'won', won: { amountMinor: 250_050, currency: 'USD' } });
      await shot(tab, 'lead-won.png');
      expect(errors).toEqual([]);
    } finally {
      await maya.close();
    }
  });

  it('counts the won EQL and its revenue in the funnel: every partner for marketing, her own for Nora', async () => {
    const maya = await started().openPage();
    try {
      const { page: tab, errors } = maya;
      await started().signIn(tab, started().userFor('marketing'));
      await tab.goto(`${started().url}/leads/funnel`);
      const northwind = tab.locator('[data-testid="funnel-row"][data-key="northwind"]');
      await northwind.waitFor();
      expect(await tab.getByTestId('funnel-row').count()).toBe(3);
      expect(await northwind.locator('[data-metric="eqls"]').textContent()).toBe('1');
      expect(await northwind.locator('[data-metric="wonEqls"]').textContent()).toBe('1');
      const revenue = northwind.locator('[data-metric="revenue"] [data-currency="USD"]');
      expect(await revenue.getAttribute('data-amount-minor')).toBe('250050');
      await shot(tab, 'funnel-marketing.png');
      await tab.getByRole('button', { name: 'By campaign' }).click();
      await tab.locator(`[data-testid="funnel-row"][data-key="${campaignId}"]`).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await maya.close();
    }

    await page()
      .getByRole('navigation', { name: 'Leads sections' })
      .getByRole('link', { name: 'EQL funnel' })
      .click();
    const own = page().getByTestId('funnel-row');
    await own.first().waitFor();
    expect(await own.count()).toBe(1);
    expect(await own.getAttribute('data-key')).toBe('northwind');
    expect(await own.locator('[data-metric="leads"]').textContent()).toBe('2');
    await shot(page(), 'funnel-partner.png');
    expect(nora?.errors).toEqual([]);
  });

  it('lets marketing change the qualification rules with the version they read', async () => {
    const maya = await started().openPage();
    try {
      const { page: tab, errors } = maya;
      await started().signIn(tab, started().userFor('marketing'));
      await tab.goto(`${started().url}/leads/rules`);
      const form = tab.getByTestId('rules-form');
      await form.waitFor();
      expect(await form.getByTestId('rules-version').textContent()).toBe('Version 1');
      await form.getByLabel('Duplicate window (days)').fill('14');
      await form.getByLabel('Domains to treat as business anyway').fill('not a domain');
      await form.getByRole('button', { name: 'Save rules' }).click();
      // The API names the bad domain; nothing is saved.
      await form.locator('[data-testid="problem"][data-status="422"]').waitFor();
      expect(await form.locator('.field-error').count()).toBe(1);
      await form.getByLabel('Domains to treat as business anyway').fill('facebook.com');
      await form.getByTestId('rule-enabled-notDuplicate').uncheck();
      await form.getByRole('button', { name: 'Save rules' }).click();
      await form.getByTestId('rules-saved').waitFor();
      expect(await form.getByTestId('rules-version').textContent()).toBe('Version 2');
      const rules = z
        .looseObject({ version: z.number(), rules: z.looseObject({}) })
        .parse(await api(marketingToken, '/api/lead-rules'));
      expect(rules.version).toBe(2);
      expect(rules.rules).toMatchObject({
        notDuplicate: { enabled: false, windowDays: 14 },
        businessEmail: { allowDomains: ['facebook.com'] },
      });
      await shot(tab, 'lead-rules.png');
      expect(errors).toEqual([]);
    } finally {
      await maya.close();
    }
  });

  it('shows another partner neither the lead in its inbox nor the lead itself', async () => {
    const gus = await started().openPage();
    try {
      const inbox = z
        .looseObject({ items: z.array(z.looseObject({ leadId: z.string(), email: z.string() })) })
        .parse(await api(noraToken, '/api/leads'));
      const danaId = inbox.items.find((item) => item.email === DANA)?.leadId ?? '';
      expect(danaId).not.toBe('');
      await started().signIn(gus.page, started().user('Gus Globex'));
      await gus.page.goto(`${started().url}/leads`);
      await gus.page.getByTestId('leads-empty').waitFor();
      await gus.page.goto(`${started().url}/leads/${danaId}`);
      await gus.page.getByTestId('lead-missing').waitFor();
      expect(await gus.page.getByText('Acme Robotics').count()).toBe(0);
      expect(gus.errors).toEqual([]);
    } finally {
      await gus.close();
    }
  });

  it('fits the leads pages on a phone', async () => {
    const phone = await started().openPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      await started().signIn(phone.page, started().user('Nora Northwind'));
      await phone.page.goto(`${started().url}/leads`);
      const dana = phone.page.locator(`[data-testid="lead-row"][data-email="${DANA}"]`);
      await dana.waitFor();
      const leadId = (await dana.getAttribute('data-lead-id')) ?? '';
      for (const path of ['/leads', `/leads/${leadId}`, '/leads/funnel']) {
        await phone.page.goto(`${started().url}${path}`);
        await phone.page.getByRole('navigation', { name: 'Leads sections' }).waitFor();
        await phone.page.getByTestId('loading').first().waitFor({ state: 'detached' });
        const overflow = await phone.page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await phone.page.goto(`${started().url}/leads/${leadId}`);
      await phone.page.getByTestId('lead').waitFor();
      await phone.page.screenshot({ path: join(ARTIFACTS, 'lead-phone.png'), fullPage: true });
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
