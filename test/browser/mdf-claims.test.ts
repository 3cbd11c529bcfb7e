// An MDF claim from request to payment in the portal. Maya (marketing) has allocated Northwind
// USD 10,000.00 at 50% (over the API); Nora asks for pre-approval of USD 6,000.00 for her webinar
// campaign and Maya approves it (committing USD 3,000.00). Nora launches the campaign (over the
// API), it is delivered, opened and clicked, and two people register on its landing page. Nora
// files a claim through the portal: a file that is not a PDF is refused by content, a real PDF
// invoice is accepted, and she previews the proof of performance before filing. The auditor
// finds the claim in the queue, reads the frozen pack (the email in a sandboxed iframe, the
// metrics equal to the campaign's counters, integrity intact), approves it and marks it paid;
// Nora sees it paid, and marketing's ROPI dashboard counts the payment.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARTIFACTS, type OpenedPage, type Portal, startPortal } from './harness.ts';

const CAMPAIGN_NAME = 'Northwind Zero Trust webinar';
const CONTACTS = ['ada@contoso.example', 'grace@contoso.example', 'linus@contoso.example'];
const PAYMENT_REFERENCE = 'PAY-2026-0042';

const idSchema = z.looseObject({ id: z.string() });
const statusSchema = z.looseObject({ id: z.string(), status: z.string() });
const campaignSchema = z.looseObject({ id: z.string(), slug: z.string() });
const detailSchema = z.looseObject({
  status: z.string(),
  counters: z.looseObject({
    sent: z.number(),
    delivered: z.number(),
    complained: z.number(),
    unsubscribed: z.number(),
    uniqueOpened: z.number(),
    uniqueClicked: z.number(),
  }),
});
const outboxSchema = z.object({
  emails: z.array(
    z.looseObject({
      destination: z.looseObject({ to: z.array(z.string()) }),
      body: z.looseObject({ html: z.string().optional() }),
    }),
  ),
});
const leadsSchema = z.looseObject({ items: z.array(z.unknown()) });

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const currentQuarter = () => {
  const now = new Date();
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
};

/**
 * The smallest PDF the invoice check accepts: the header, a catalog, a page tree with one
 * `/Type /Page` object, a cross-reference table with true offsets, startxref and %%EOF.
 */
function minimalPdf(note = 'Agency invoice'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
  ];
  let body = `%PDF-1.4\n% ${note}\n`;
  const offsets: number[] = [];
  for (const [i, object] of objects.entries()) {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

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

/** Waits in beforeAll-style steps (outside expect.poll) until `check` answers. */
async function until<T>(what: string, check: () => Promise<T | undefined>, tries = 600): Promise<T> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen`);
}

type Mail = z.infer<typeof outboxSchema>['emails'];
const htmlTo = (mail: Mail, to: string) => mail.find((m) => m.destination.to.includes(to))?.body.html ?? '';
/** The emulator's links name localhost; 127.0.0.1 avoids an IPv6 detour. */
const local = (url: string) => url.replaceAll('&amp;', '&').replace('localhost', '127.0.0.1');

/** Follows the email's tracked link (a click) and answers the click token it carries. */
async function clickThrough(mail: Mail, to: string): Promise<string> {
  const tracked = /href="([^"]*\/t\/c\/[^"]+)"/.exec(htmlTo(mail, to))?.[1] ?? '';
  expect((await fetch(local(tracked), { redirect: 'manual' })).status).toBe(302);
  return local(tracked).split('/t/c/')[1]?.split(/[?#]/)[0] ?? '';
}

/** Loads the email's open pixel (an open). */
async function openPixel(mail: Mail, to: string) {
  const pixel = /src="([^"]*\/t\/o\/[^"]+)"/.exec(htmlTo(mail, to))?.[1] ?? '';
  expect((await fetch(local(pixel))).status).toBe(200);
}

/** Registers on the campaign's landing page as its form would post (each from its own address). */
async function register(
  base: string,
  slug: string,
  n: number,
  who: { email: string; first: string; company: string; clickToken?: string },
) {
  const response = await fetch(`${base}/p/${slug}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'cloudfront-viewer-address': `198.51.100.${n}:443`,
    },
    body: new URLSearchParams({
      email: who.email,
      first_name: who.first,
      last_name: 'Tester',
      company: who.company,
      job_title: 'CISO',
      country: 'US',
      consent: 'yes',
      ...(who.clickToken ? { ck_click: who.clickToken } : {}),
    }).toString(),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

describe('an MDF claim: request, approve, launch, leads, claim, audit, pay', () => {
  let portal: Portal | undefined;
  const opened: OpenedPage[] = [];
  let noraToken = '';
  let marketingToken = '';
  let campaignId = '';
  let slug = '';
  let requestId = '';
  let claimId = '';

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
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
  const campaign = async () => detailSchema.parse(await api(noraToken, `/api/campaigns/${campaignId}`));
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
    noraToken = await portal.devToken(portal.user('Nora Northwind'));
    marketingToken = await portal.devToken(portal.userFor('marketing'));

    // The fund (the allocation form has its own test in mdf.test.ts).
    await api(marketingToken, '/api/mdf/funds', {
      method: 'POST',
      body: JSON.stringify({
        partnerId: 'northwind',
        period: currentQuarter(),
        currency: 'USD',
        allocatedMinor: 1_000_000,
        reimbursementShareBps: 5000,
        claimDeadlineDays: 60,
      }),
    });
    // Nora's list of three and her draft campaign: the activity she asks funds for.
    const list = idSchema.parse(
      await api(noraToken, '/api/lists', {
        method: 'POST',
        body: JSON.stringify({ name: 'Webinar invitees' }),
      }),
    );
    const query = new URLSearchParams({
      listId: list.id,
      consentSource: 'event:summit-2026',
      consentAt: '2026-01-15',
    });
    const job = statusSchema.parse(
      await api(noraToken, `/api/contacts/imports?${query}`, {
        method: 'POST',
        body: `email,first_name,company\n${CONTACTS.map((email) => `${email},Reader,Contoso`).join('\n')}\n`,
        headers: { 'content-type': 'text/csv' },
      }),
    );
    await until('the import is done', async () => {
      const current = statusSchema.parse(await api(noraToken, `/api/contacts/imports/${job.id}`));
      if (current.status === 'failed') throw new Error('the import failed');
      return current.status === 'done' ? true : undefined;
    });
    const created = campaignSchema.parse(
      await api(noraToken, '/api/campaigns', {
        method: 'POST',
        body: JSON.stringify({ name: CAMPAIGN_NAME, kitId: 'zero-trust-webinar', listId: list.id }),
      }),
    );
    campaignId = created.id;
    slug = created.slug;
  }, 180_000);

  afterAll(async () => {
    for (const session of opened) await session.close();
    await portal?.stop();
  }, 60_000);

  it('lets Nora request pre-approval for her campaign, running from today', async () => {
    const { page, errors } = await openMdf('Nora Northwind');
    const form = page.getByTestId('mdf-request-form');
    await form.getByLabel('Campaign').selectOption(campaignId);
    await form.getByLabel('Starts').fill(today());
    await form.getByLabel('Ends').fill(inDays(14));
    await form.getByLabel('Planned spend (USD)').fill('6000.00');
    await form.getByLabel('Expected leads').fill('2');
    await form.getByLabel('Expected EQLs').fill('1');
    await form.getByLabel('What the activity is').fill('Promoted webinar with paid social.');
    await form.getByRole('button', { name: 'Request pre-approval' }).click();
    const row = page.locator('[data-testid="mdf-request-row"][data-planned-minor="600000"]');
    await row.waitFor();
    requestId = (await row.getAttribute('data-request-id')) ?? '';
    expect(await row.getAttribute('data-status')).toBe('submitted');
    expect(errors).toEqual([]);
  });

  it('lets marketing approve it, committing the vendor’s 50%', async () => {
    const { page, errors } = await openMdf(started().userFor('marketing').name);
    const actions = page.locator('[data-testid="mdf-request-actions"][data-planned-minor="600000"]');
    await actions.getByTestId('mdf-approve').click();
    await actions.getByTestId('mdf-decision-submit').click();
    await page.locator('[data-testid="mdf-request-row"][data-status="approved"]').waitFor();
    expect(
      await page
        .locator(`[data-testid="mdf-request-row"][data-request-id="${requestId}"]`)
        .getByTestId('request-committed')
        .getAttribute('data-amount-minor'),
    ).toBe('300000');
    expect(errors).toEqual([]);
  });

  it('delivers the launched campaign, and it is opened, clicked and brings two leads', async () => {
    await api(noraToken, `/api/campaigns/${campaignId}/launch`, { method: 'POST' });
    const { outboxUrl } = started();
    const outbox = async () => outboxSchema.parse(await (await fetch(`${outboxUrl}/store`)).json()).emails;
    await until('the emails', async () => ((await outbox()).length >= CONTACTS.length ? true : undefined));
    await until('the campaign is sent', async () => {
      const detail = await campaign();
      return detail.status === 'sent' && detail.counters.delivered === CONTACTS.length ? true : undefined;
    });
    // Ada clicks through (and so registers with the click on her lead); Grace opens.
    const mail = await outbox();
    const clickToken = await clickThrough(mail, CONTACTS[0] ?? '');
    await openPixel(mail, CONTACTS[1] ?? '');
    await until('the open and the click are counted', async () => {
      const { counters } = await campaign();
      return counters.uniqueClicked >= 1 && counters.uniqueOpened >= 1 ? true : undefined;
    });

    await register(started().url, slug, 1, {
      email: CONTACTS[0] ?? '',
      first: 'Ada',
      company: 'Contoso',
      clickToken,
    });
    await register(started().url, slug, 2, {
      email: 'sam.lee@initrode.example',
      first: 'Sam',
      company: 'Initrode',
    });
    await until('the leads are listed', async () => {
      const leads = leadsSchema.parse(await api(noraToken, `/api/leads?campaignId=${campaignId}`));
      return leads.items.length === 2 ? true : undefined;
    });
  }, 120_000);

  it('lets Nora file a claim with a checked invoice after previewing the proof of performance', async () => {
    const { page, errors } = await openMdf('Nora Northwind');
    const claimable = page.locator(`[data-testid="mdf-claimable"][data-request-id="${requestId}"]`);
    await claimable.getByTestId('mdf-file-claim').click();
    const form = page.getByTestId('claim-form');
    await form.waitFor();
    expect(await page.getByTestId('claim-approved-max').getAttribute('data-amount-minor')).toBe('300000');
    expect(await form.getByLabel('Amount claimed (USD)').inputValue()).toBe('3000.00');

    // A text file that calls itself a PDF: refused by its content, the problem on its row.
    const uploads = form.getByTestId('invoice-uploads');
    await uploads.getByTestId('invoice-file').setInputFiles({
      name: 'notes.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('these are not the invoices you are looking for\n'),
    });
    const refused = uploads.locator('[data-testid="invoice-row"][data-state="failed"]');
    await refused.waitFor();
    expect(await refused.getByTestId('problem').getAttribute('data-status')).toBe('422');
    expect(await refused.getByTestId('problem').textContent()).toContain('not a PDF, PNG, JPEG or WebP');
    await refused.getByRole('button', { name: 'Remove notes.pdf' }).click();

    await uploads.getByTestId('invoice-file').setInputFiles({
      name: 'agency-invoice.pdf',
      mimeType: 'application/pdf',
      buffer: minimalPdf(),
    });
    const accepted = uploads.locator('[data-testid="invoice-row"][data-state="done"]');
    await accepted.waitFor();
    expect(await accepted.getAttribute('data-sha256')).toMatch(/^[0-9a-f]{64}$/);
    expect(await accepted.getByTestId('invoice-checked').textContent()).toContain('1 page');
    await accepted.getByLabel('Spend it shows (USD)').fill('6000.00');
    await form.getByLabel('Notes for the auditor').fill('Paid social and the webinar platform.');

    await form.getByTestId('claim-preview').click();
    const preview = page.getByTestId('pop-preview');
    await preview.waitFor();
    const detail = await campaign();
    expect(await preview.getByTestId('pop-metric-sent').textContent()).toBe(String(detail.counters.sent));
    expect(await preview.getByTestId('pop-leads-total').textContent()).toBe('2');
    expect(await preview.getByTestId('pop-email-frame').getAttribute('sandbox')).toBe('');
    await shot(page, 'mdf-claim-preview.png');

    await form.getByTestId('claim-file').click();
    await page.waitForURL('**/mdf/claims/*');
    const claim = page.getByTestId('mdf-claim');
    await claim.waitFor();
    claimId = (await claim.getAttribute('data-claim-id')) ?? '';
    expect(await claim.getAttribute('data-status')).toBe('submitted');
    expect(await claim.getByTestId('claim-amount').getAttribute('data-amount-minor')).toBe('300000');
    expect(await claim.getByTestId('claim-invoice').count()).toBe(1);
    // Partners neither decide nor pay.
    expect(await page.getByTestId('claim-decision-form').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows the auditor the claim in the queue with the frozen pack, its metrics and integrity', async () => {
    const { page, errors } = await openMdf(started().userFor('auditor').name);
    await page.getByTestId('mdf-claims-link').click();
    const row = page.locator(`[data-testid="claim-row"][data-claim-id="${claimId}"]`);
    await row.waitFor();
    await page.getByTestId('claims-sort-amount').click();
    await page.waitForURL('**/mdf/claims?sort=amount');
    expect(await page.getByTestId('claims-sort-amount').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('claims-status').selectOption('submitted');
    await page.waitForURL('**/mdf/claims?sort=amount&status=submitted');
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('submitted');
    await shot(page, 'mdf-claims-queue.png');
    await row.getByTestId('claim-link').click();

    const claim = page.getByTestId('mdf-claim');
    await claim.waitFor();
    const viewer = claim.getByTestId('pop-viewer');
    await viewer.waitFor();
    // The email as sent, in a sandbox with no allowances at all.
    const frame = viewer.getByTestId('pop-email-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toContain('Northwind Networks');
    expect(await viewer.getByTestId('pop-landing-frame').getAttribute('sandbox')).toBe('');

    // The pack's numbers are the campaign's own counters.
    const { counters } = await campaign();
    const metric = (key: string) => viewer.getByTestId(`pop-metric-${key}`).textContent();
    expect(await metric('sent')).toBe(String(counters.sent));
    expect(await metric('delivered')).toBe(String(counters.delivered));
    expect(await metric('complained')).toBe(String(counters.complained));
    expect(await metric('unsubscribed')).toBe(String(counters.unsubscribed));
    expect(await metric('uniqueOpens')).toBe(String(counters.uniqueOpened));
    expect(await metric('uniqueClicks')).toBe(String(counters.uniqueClicked));
    expect(await viewer.getByTestId('pop-lead').count()).toBe(2);

    const integrity = claim.getByTestId('claim-integrity');
    await integrity.locator('[data-testid="claim-chain"]').waitFor();
    expect(await integrity.getAttribute('data-ok')).toBe('true');
    expect(await integrity.getByTestId('claim-chain').getAttribute('data-ok')).toBe('true');
    const files = integrity.getByTestId('claim-file');
    expect(await files.count()).toBeGreaterThan(0);
    expect(new Set(await files.evaluateAll((all) => all.map((f) => f.getAttribute('data-ok'))))).toEqual(
      new Set(['true']),
    );
    expect(await claim.getByTestId('partner-claims-empty').count()).toBe(1);

    // The archive downloads through the authed fetch.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      claim.getByTestId('claim-pop-zip').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    await shot(page, 'mdf-claim-auditor.png');
    expect(errors).toEqual([]);
  });

  it('lets the auditor ask for more information, which Nora answers from her notification', async () => {
    const auditor = await openMdf(started().userFor('auditor').name);
    await auditor.page.goto(`${started().url}/mdf/claims/${claimId}`);
    const form = auditor.page.getByTestId('claim-decision-form');
    await form.getByTestId('claim-outcome-request-info').check();
    await form.getByTestId('claim-decide').click();
    // Said nothing about what is needed: refused beside the field, nothing sent.
    expect(
      await form.getByLabel('What information is needed (shown to the partner)').getAttribute('aria-invalid'),
    ).toBe('true');
    await form
      .getByLabel('What information is needed (shown to the partner)')
      .fill('Please add the receipt for the paid social spend.');
    await form.getByTestId('claim-decide').click();
    await auditor.page.locator('[data-testid="mdf-claim"][data-status="info-requested"]').waitFor();
    expect(auditor.errors).toEqual([]);

    const { page, errors } = await openMdf('Nora Northwind');
    await page.goto(`${started().url}/notifications`);
    const asked = page.locator('[data-testid="notification"][data-kind="claim-info-requested"]');
    await asked.waitFor();
    await asked.getByTestId('notification-claim-link').click();
    const request = page.getByTestId('claim-info-request');
    await request.waitFor();
    expect(await request.getByTestId('claim-info-reason').textContent()).toBe(
      'Please add the receipt for the paid social spend.',
    );
    await request.getByLabel('Your answer').fill('The paid social receipt is attached.');
    await request.getByTestId('invoice-file').setInputFiles({
      name: 'social-receipt.pdf',
      mimeType: 'application/pdf',
      buffer: minimalPdf('Paid social, November'),
    });
    const added = request.locator('[data-testid="invoice-row"][data-state="done"]');
    await added.waitFor();
    await added.getByLabel('Spend it shows (USD)').fill('1200.00');
    await shot(page, 'mdf-claim-info-request.png');
    await request.getByTestId('claim-respond').click();
    await page.locator('[data-testid="mdf-claim"][data-status="submitted"]').waitFor();
    expect(await page.getByTestId('claim-invoice').count()).toBe(2);
    expect(await page.getByTestId('claim-response').textContent()).toContain(
      'The paid social receipt is attached.',
    );
    expect(errors).toEqual([]);
  });

  it('lets the auditor approve the claim and mark it paid with a reference', async () => {
    const { page, errors } = await openMdf(started().userFor('auditor').name);
    await page.goto(`${started().url}/mdf/claims/${claimId}`);
    const claim = page.getByTestId('mdf-claim');
    const form = claim.getByTestId('claim-decision-form');
    await form.waitFor();
    expect(await form.getByTestId('claim-outcome-approve').isChecked()).toBe(true);
    await form
      .getByLabel('Comment (optional, shown to the partner)')
      .fill('Evidence matches the approved activity.');
    await form.getByTestId('claim-decide').click();
    await page.locator('[data-testid="mdf-claim"][data-status="approved"]').waitFor();
    expect(await claim.getByTestId('claim-approved').getAttribute('data-amount-minor')).toBe('300000');
    expect(await claim.locator('[data-testid="claim-decision"][data-outcome="approved"]').count()).toBe(1);

    const payment = claim.getByTestId('claim-payment-form');
    await payment.getByLabel('Payment reference').fill(PAYMENT_REFERENCE);
    await payment.getByTestId('claim-mark-paid').click();
    await page.locator('[data-testid="mdf-claim"][data-status="paid"]').waitFor();
    expect(await claim.getByTestId('claim-payment-reference').textContent()).toBe(PAYMENT_REFERENCE);
    // Paid: nothing more to decide.
    expect(await claim.getByTestId('claim-decision-form').count()).toBe(0);
    await shot(page, 'mdf-claim-paid.png');
    expect(errors).toEqual([]);
  });

  it('shows Nora her claim paid, from the list and from the notification', async () => {
    const { page, errors } = await openMdf('Nora Northwind');
    await page.getByTestId('mdf-claims-link').click();
    const row = page.locator(`[data-testid="claim-row"][data-claim-id="${claimId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('paid');

    await page.goto(`${started().url}/notifications`);
    const paid = page.locator('[data-testid="notification"][data-kind="claim-paid"]');
    await paid.waitFor();
    await paid.getByTestId('notification-claim-link').click();
    await page.waitForURL(`**/mdf/claims/${claimId}`);
    await page.locator('[data-testid="mdf-claim"][data-status="paid"]').waitFor();
    expect(await page.getByTestId('claim-payment-reference').textContent()).toBe(PAYMENT_REFERENCE);
    await shot(page, 'mdf-claim-partner-paid.png');
    expect(errors).toEqual([]);
  });

  it('counts the payment on marketing’s ROPI dashboard, with the campaign on drill-down', async () => {
    const { page, errors } = await openMdf(started().userFor('marketing').name);
    await page.getByTestId('mdf-ropi-link').click();
    const row = page.locator('[data-testid="ropi-row"][data-key="northwind"]');
    await row.waitFor();
    const paid = () =>
      row.locator('[data-testid="ropi-paid"] [data-amount-minor]').getAttribute('data-amount-minor');
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return paid();
        },
        { timeout: 20_000 },
      )
      .toBe('300000');
    expect(await page.getByTestId('ropi-chart-won').locator('rect').count()).toBeGreaterThan(0);
    await row.getByTestId('ropi-drill').click();
    const drill = page.getByTestId('ropi-drilldown');
    await drill.locator(`[data-testid="ropi-row"][data-key="${campaignId}"]`).waitFor();
    await shot(page, 'mdf-ropi.png');
    expect(errors).toEqual([]);
  });
});
