import { randomUUID } from 'node:crypto';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandStore } from '#functions/brand/store';
import type { Campaign } from '#functions/campaigns/schema';
import { campaignStore } from '#functions/campaigns/store';
import { leadStore } from '#functions/leads/lead-store';
import { newId } from '#platform/ids';
import { northwindBrand } from '#test/support/brand-fixture';
import { loadSampleKit } from '#test/support/kit-fixtures';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * The landing page's lead form and the lead API over HTTP, as the Lambda builds them: the form
 * without script (a page back) and with it (JSON), bad input answered 4xx never 500, bursts
 * refused per address, and every lead route refusing another partner's leads.
 */
let api: TestApi;
let northwind: Campaign;
let globex: Campaign;

const liveCampaign = (partnerId: string): Campaign => {
  const now = new Date().toISOString();
  return {
    id: newId(),
    partnerId,
    name: 'Zero trust webinar',
    kitId: 'zero-trust-webinar',
    kitVersion: '1.0.0',
    kitName: 'Zero trust webinar',
    approvalRequired: false,
    slots: {},
    listId: newId(),
    slug: `${partnerId}-zt-${randomUUID().slice(0, 6)}`,
    status: 'sending',
    scheduledAt: null,
    submittedAt: null,
    decisions: [],
    launchedAt: now,
    pausedAt: null,
    pauseReason: null,
    cancelledAt: null,
    sentAt: null,
    audienceSize: 3,
    createdAt: now,
    createdBy: `u-${partnerId}-1`,
    updatedAt: now,
    version: 1,
  };
};

let address = 0;
/** Each call comes from its own client address unless one is given. */
const post = async (
  slug: string,
  body: string,
  type: string,
  init: { accept?: string; from?: string } = {},
) => {
  address += 1;
  return api.app.request(`/p/${slug}`, {
    method: 'POST',
    headers: {
      'content-type': type,
      accept: init.accept ?? 'text/html',
      'cloudfront-viewer-address': `${init.from ?? `192.0.2.${address % 250}`}:443`,
    },
    body,
  });
};
const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const person = (email: string, extra: Record<string, string> = {}) => ({
  email,
  first_name: 'Ada',
  last_name: 'Byron',
  company: 'Analytical Engines',
  job_title: 'CTO',
  country: 'US',
  consent: 'yes',
  ...extra,
});

beforeAll(async () => {
  api = await startTestApi();
  const upload = await api.request('/api/kits', {
    as: 'marketing',
    method: 'POST',
    headers: { 'content-type': 'application/zip' },
    body: Buffer.from(
      zipSync(Object.fromEntries([...(await loadSampleKit())].map(([p, b]) => [p, new Uint8Array(b)]))),
    ),
  });
  const { id, version } = await upload.json();
  expect(
    (await api.request(`/api/kits/${id}/versions/${version}/publish`, { as: 'marketing', method: 'POST' }))
      .status,
  ).toBe(200);
  await brandStore(api.table).create('northwind', { ...northwindBrand, version: 1 });
  northwind = liveCampaign('northwind');
  globex = liveCampaign('globex');
  await campaignStore(api.table).create(northwind);
  await campaignStore(api.table).create(globex);
});
afterAll(() => api.close());

describe('the landing page and its lead form', () => {
  it('carries the visit’s UTM, the click and a signed render time in the form, and allows only its own script', async () => {
    const res = await api.app.request(
      `/p/${northwind.slug}?utm_source=newsletter&utm_medium=email&ck=k1.c~x~y~z.abcdefghijklmnopqrstuvwxyz`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<input type="hidden" name="utm_source" value="newsletter">');
    expect(html).toContain('name="ck_click" value="k1.c~x~y~z.abcdefghijklmnopqrstuvwxyz"');
    expect(html).toMatch(/name="ck_shown" value="[0-9a-z]+\.[A-Za-z0-9_-]{22}"/);
    expect(html).toContain('<script src="/p/-/lead-form.js" defer></script>');
    const script = await api.app.request('/p/-/lead-form.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain("accept: 'application/json'");
  });

  it('stores a plain form POST and answers a thank-you page; JSON gets JSON', async () => {
    const page = await post(
      northwind.slug,
      formBody(person('ada@analytical.example', { utm_source: 'newsletter' })),
      'application/x-www-form-urlencoded',
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Thank you');
    const json = await post(globex.slug, JSON.stringify(person('grace@hopper.example')), 'application/json', {
      accept: 'application/json',
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ status: 'received', message: expect.stringContaining('Thank you') });
    const leads = leadStore(api.table);
    const id = await leads.leadIdForEmail('ada@analytical.example');
    const lead = id ? await leads.get(id) : undefined;
    expect(lead?.touches.find((t) => t.kind === 'form-submit')?.utm).toEqual({ source: 'newsletter' });
    expect(lead?.partnerIds).toEqual(['northwind']);
  });

  it('answers bad input with 4xx naming the fields, as a page without script and problem+json with it', async () => {
    const invalid = formBody(person('nope', { country: 'Atlantis' }));
    const page = await post(northwind.slug, invalid, 'application/x-www-form-urlencoded');
    expect(page.status).toBe(422);
    const text = await page.text();
    expect(text).toContain('email is not an email address');
    expect(text).toContain('country is not one of the choices');
    const json = await post(northwind.slug, JSON.stringify(person('nope')), 'application/json', {
      accept: 'application/json',
    });
    expect(json.status).toBe(422);
    expect(json.headers.get('content-type')).toContain('application/problem+json');
    expect((await json.json()).errors).toEqual([{ path: 'body.email', message: 'is not an email address' }]);

    for (const [body, type, status] of [
      ['{"email":', 'application/json', 400],
      ['[1,2]', 'application/json', 400],
      ['email=a@b.example', 'text/plain', 422],
      ['--x\r\nnot a part', 'multipart/form-data; boundary=x', 400],
      [`email=${'x'.repeat(20_000)}`, 'application/x-www-form-urlencoded', 413],
    ] as const) {
      const res = await post(northwind.slug, body, type, { accept: 'application/json' });
      expect(res.status, `${type} ${body.slice(0, 20)}`).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.text()).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(
      (await post('no-such-campaign', formBody(person('a@b.example')), 'application/x-www-form-urlencoded'))
        .status,
    ).toBe(404);
  });

  it('refuses a burst from one address with 429 and Retry-After, and keeps taking everyone else', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await post(
        northwind.slug,
        formBody(person(`burst${i}@analytical.example`)),
        'application/x-www-form-urlencoded',
        { from: '198.51.100.99' },
      );
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const other = await post(
      northwind.slug,
      formBody(person('someone-else@analytical.example')),
      'application/x-www-form-urlencoded',
    );
    expect(other.status).toBe(200);
  });

  it('thanks a bot that filled the honeypot and stores nothing', async () => {
    const res = await post(
      northwind.slug,
      formBody(person('bot@spam.example', { website_url: 'https://spam.example' })),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    expect(await leadStore(api.table).leadIdForEmail('bot@spam.example')).toBeUndefined();
  });
});

describe('the lead API', () => {
  let northwindLead: string;

  beforeAll(async () => {
    await post(
      northwind.slug,
      formBody(person('=HYPERLINK@formula.example', { first_name: '=cmd|calc' })),
      'application/x-www-form-urlencoded',
    );
    const res = await post(
      northwind.slug,
      formBody(person('only-northwind@analytical.example')),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    northwindLead = (await leadStore(api.table).leadIdForEmail('only-northwind@analytical.example')) ?? '';
  });

  it('keeps each partner to the leads its campaigns touched, on every lead route', async () => {
    const ids = async (who: string) =>
      (
        (await (await api.request('/api/leads?limit=100', { as: who })).json()).items as { leadId: string }[]
      ).map((l) => l.leadId);
    expect(await ids('u-northwind-1')).toContain(northwindLead);
    expect(await ids('u-globex-1')).not.toContain(northwindLead);
    expect(await ids('marketing')).toContain(northwindLead);

    expect((await api.request(`/api/leads/${northwindLead}`, { as: 'u-northwind-1' })).status).toBe(200);
    const foreign = await api.request(`/api/leads/${northwindLead}`, { as: 'u-globex-1' });
    expect(foreign.status).toBe(404);
    expect(await (await api.request(`/api/leads/${newId()}`, { as: 'u-globex-1' })).json()).toMatchObject({
      status: 404,
    });
    const globexCsv = await (await api.request('/api/leads/export', { as: 'u-globex-1' })).text();
    expect(globexCsv).not.toContain('only-northwind@');
    // Partners may not decide on leads or change the rules, their own or not.
    for (const [path, method, body] of [
      [`/api/leads/${northwindLead}/decision`, 'POST', { action: 'accept' }],
      ['/api/lead-rules', 'PUT', {}],
      ['/api/lead-rules', 'GET', undefined],
    ] as const) {
      for (const who of ['u-northwind-1', 'u-globex-1']) {
        const res = await api.request(path, {
          as: who,
          method,
          headers: { 'content-type': 'application/json', 'if-match': '"1"' },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(res.status, `${who} ${method} ${path}`).toBe(403);
      }
    }
  });

  it('exports CSV with formula-like cells neutralised', async () => {
    const bytes = Buffer.from(
      await (await api.request('/api/leads/export', { as: 'u-northwind-1' })).arrayBuffer(),
    );
    // A BOM first, so spreadsheets read accents (TextDecoder would hide it).
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.startsWith('lead_id,email')).toBe(true);
    expect(csv).toContain("'=cmd|calc");
    expect(csv).not.toMatch(/(^|,)=cmd/m);
  });

  it('moves a lead through vendor sales’ lifecycle with If-Match; money only in integer minor units', async () => {
    const decide = async (body: object, etag: string) =>
      api.request(`/api/leads/${northwindLead}/decision`, {
        as: 'marketing',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'if-match': etag },
        body: JSON.stringify(body),
      });
    const read = await api.request(`/api/leads/${northwindLead}`, { as: 'marketing' });
    let etag = read.headers.get('etag') ?? '';
    expect((await decide({ action: 'won', amountMinor: 100, currency: 'USD' }, etag)).status).toBe(409);
    for (const body of [{ action: 'accept' }, { action: 'opportunity' }]) {
      const res = await decide(body, etag);
      expect(res.status).toBe(200);
      etag = res.headers.get('etag') ?? '';
    }
    expect((await decide({ action: 'won', amountMinor: 1999.5, currency: 'USD' }, etag)).status).toBe(422);
    expect((await decide({ action: 'won', amountMinor: 250_000, currency: 'usd' }, etag)).status).toBe(422);
    expect((await decide({ action: 'lost', reason: 'budget' }, '"1"')).status).toBe(412);
    const won = await decide({ action: 'won', amountMinor: 250_000, currency: 'EUR' }, etag);
    expect(await won.json()).toMatchObject({ status: 'won', won: { amountMinor: 250_000, currency: 'EUR' } });
    expect(api.leadEvents.at(-1)).toMatchObject({ kind: 'lead-status-changed', leadId: northwindLead });
  });

  it('applies marketing’s rule change to the next submission, without a deploy', async () => {
    const rules = await api.request('/api/lead-rules', { as: 'marketing' });
    const current = await rules.json();
    const gmail = `rules${randomUUID().slice(0, 4)}@gmail.com`;
    const saved = await api.request('/api/lead-rules', {
      as: 'marketing',
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-match': rules.headers.get('etag') ?? '' },
      body: JSON.stringify({
        rules: { ...current.rules, businessEmail: { ...current.rules.businessEmail, enabled: false } },
      }),
    });
    expect(saved.status).toBe(200);
    expect((await saved.json()).version).toBe(current.version + 1);
    // Saved through this instance: it takes effect at once (other instances within 30 s).
    expect(
      (await post(northwind.slug, formBody(person(gmail)), 'application/x-www-form-urlencoded')).status,
    ).toBe(200);
    const id = await leadStore(api.table).leadIdForEmail(gmail);
    const lead = id ? await leadStore(api.table).get(id) : undefined;
    expect(lead?.qualification.rules.find((r) => r.rule === 'businessEmail')?.outcome).toBe('skipped');
  });
});
