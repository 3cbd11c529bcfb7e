import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { demoUsers } from '#functions/local/demo-data';
import { freePort } from '#functions/local/free-port';
import { type Runtime, startRuntime } from '#functions/local/runtime';

/*
 * Issue 4's path through the embedded runtime, as a partner would take it: import contacts
 * into a list, launch a campaign, and find the co-branded emails in the SES emulator's outbox
 * with their unsubscribe headers; suppressed and bouncing addresses handled; one-click
 * unsubscribe takes effect at once. Everything runs through the same consumers as on Lambda.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'ck-e2e-'));
let runtime: Runtime;
let auth: Record<string, string>;

const outboxSchema = z.object({
  emails: z.array(
    z.looseObject({
      from: z.string(),
      destination: z.looseObject({ to: z.array(z.string()) }),
      subject: z.string(),
      body: z.looseObject({ html: z.string().optional(), text: z.string().optional() }),
      headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    }),
  ),
});

const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${runtime.url.replace('localhost', '127.0.0.1')}${path}`, {
    ...init,
    headers: {
      ...auth,
      ...(init.body && typeof init.body === 'string' && !init.headers
        ? { 'content-type': 'application/json' }
        : {}),
      ...init.headers,
    },
  });
  return res;
};
const json = async (path: string, init: RequestInit = {}) => {
  const res = await api(path, init);
  const body = await res.json();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
};
const until = async <T>(probe: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};
const outbox = async () =>
  outboxSchema.parse(await (await fetch(`${runtime.outboxUrl}/store`)).json()).emails;

beforeAll(async () => {
  runtime = await startRuntime({ port: await freePort(), dataDir, fresh: true, quiet: true });
  const nora = demoUsers.find((u) => u.id === 'u-northwind-1');
  if (!nora) throw new Error('no demo partner user');
  auth = { authorization: `Bearer ${await runtime.issuer.sign(nora)}` };
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const recipients = [
  ...Array.from({ length: 40 }, (_, i) => `buyer${i}@contoso.example`),
  'success@simulator.amazonses.com',
  'bounce@simulator.amazonses.com',
  'manually.suppressed@contoso.example',
];

describe('from contacts to delivered email, on the embedded runtime', () => {
  let listId: string;
  let campaignId: string;

  it('imports a CSV into a list', async () => {
    listId = (
      await json('/api/lists', { method: 'POST', body: JSON.stringify({ name: 'Spring webinar invitees' }) })
    ).id;
    const csv = `\uFEFFEmail,First name,Company\n${recipients.map((email, i) => `${email},Alex${i},Contoso`).join('\n')}\nnot-an-email,Bad,Row\n`;
    const query = new URLSearchParams({
      listId,
      consentSource: 'form:webinar-2026',
      consentAt: '2026-10-01',
    });
    const job = await json(`/api/contacts/imports?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    const done = await until(async () => {
      const current = await json(`/api/contacts/imports/${job.id}`);
      return current.status === 'done' ? current : undefined;
    }, 'the import');
    expect(done.counts).toMatchObject({ imported: recipients.length, rejected: 1 });
    expect(done.errors).toEqual([expect.objectContaining({ line: recipients.length + 2 })]);
  });

  it('launches a campaign that sends once to every deliverable contact, co-branded, with RFC 8058 headers', async () => {
    await json('/api/suppressions', {
      method: 'POST',
      body: JSON.stringify({ email: 'manually.suppressed@contoso.example' }),
    });
    const campaign = await json('/api/campaigns', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Zero Trust spring webinar',
        kitId: 'zero-trust-webinar',
        listId,
        slots: {},
      }),
    });
    campaignId = campaign.id;
    await json(`/api/campaigns/${campaignId}/submit`, { method: 'POST' });
    await json(`/api/campaigns/${campaignId}/launch`, { method: 'POST' });
    // A double-clicked launch changes nothing.
    expect((await api(`/api/campaigns/${campaignId}/launch`, { method: 'POST' })).status).toBeLessThan(500);

    const expected = recipients.length - 1;
    const emails = await until(async () => {
      const sent = await outbox();
      return sent.length >= expected ? sent : undefined;
    }, `${expected} emails in the SES emulator`);
    await new Promise((r) => setTimeout(r, 1500));
    const all = await outbox();
    const to = all.flatMap((e) => e.destination.to);
    expect(to).toHaveLength(expected);
    expect(new Set(to).size).toBe(expected);
    expect(to).not.toContain('manually.suppressed@contoso.example');

    const [first] = emails;
    if (!first) throw new Error('no email');
    expect(first.from).toMatch(/via Vendor/);
    expect(first.body.html).toContain('Northwind Networks');
    expect(first.body.html).toContain('1200 Harbor Avenue');
    const header = (name: string) =>
      first.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header('List-Unsubscribe')).toMatch(/^<http:\/\/localhost:\d+\/u\/[^>]+>, <mailto:/);
  });

  it('counts delivery and the simulator’s hard bounce, which suppresses the address for everyone', async () => {
    const detail = await until(async () => {
      const current = await json(`/api/campaigns/${campaignId}`);
      return current.counters?.bounced >= 1 && current.counters?.delivered >= recipients.length - 3
        ? current
        : undefined;
    }, 'delivery and bounce counters');
    expect(detail.counters).toMatchObject({ sent: recipients.length - 1, suppressed: 1, bounced: 1 });
    const why = await json('/api/suppressions/bounce@simulator.amazonses.com');
    expect(why.suppressed).toBe(true);
  });

  it('gives the campaign’s counters hour by hour, to its partner only', async () => {
    const series = await json(`/api/campaigns/${campaignId}/series`);
    const sent = series.hours.reduce(
      (sum: number, h: { counters: { sent: number } }) => sum + h.counters.sent,
      0,
    );
    expect(sent).toBe(recipients.length - 1);
    expect(series.hours[0].hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}$/);
    const gus = demoUsers.find((u) => u.id === 'u-globex-1');
    if (!gus) throw new Error('no second partner');
    const other = await api(`/api/campaigns/${campaignId}/series`, {
      headers: { authorization: `Bearer ${await runtime.issuer.sign(gus)}` },
    });
    expect(other.status).toBe(404);
  });

  it('redirects a tracked link to the co-branded landing page, and refuses a tampered one', async () => {
    const [email] = await outbox();
    const tracked = /href="(http:\/\/localhost:\d+\/t\/c\/[^"]+)"/.exec(email?.body.html ?? '')?.[1];
    if (!tracked)
      throw new Error(
        `no tracked link in the email: ${(email?.body.html ?? '').match(/href="[^"]*"/g)?.slice(0, 3)}`,
      );
    const hop = await fetch(tracked.replace('localhost', '127.0.0.1'), { redirect: 'manual' });
    expect(hop.status).toBe(302);
    const target = hop.headers.get('location') ?? '';
    // The landing page gets the click's token, so a lead submitted there is attributed to this send.
    const token = tracked.split('/t/c/')[1] ?? '';
    expect(target).toMatch(/\/p\/[a-z0-9-]+\?ck=/);
    expect(new URL(target).searchParams.get('ck')).toBe(token);
    const page = await fetch(target.replace('localhost', '127.0.0.1'));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Northwind Networks');
    expect(html).toContain('name="email"');
    expect(html).toContain(`name="ck_click" value="${token}"`);
    const tampered = await fetch(`${tracked.slice(0, -3)}xyz`.replace('localhost', '127.0.0.1'), {
      redirect: 'manual',
    });
    expect(tampered.status).toBe(404);
    expect(tampered.headers.get('location')).toBeNull();
  });

  it('unsubscribes in one click (RFC 8058 POST) before answering', async () => {
    const email = (await outbox()).find((e) => e.destination.to.includes('buyer7@contoso.example'));
    const link = /^<([^>]+)>/.exec(
      email?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value ?? '',
    )?.[1];
    if (!link) throw new Error('no List-Unsubscribe link');
    const url = link.replace('localhost', '127.0.0.1');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect((await json('/api/suppressions/buyer7@contoso.example')).suppressed).toBe(false);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect((await json('/api/suppressions/buyer7@contoso.example')).suppressed).toBe(true);
  });
});
