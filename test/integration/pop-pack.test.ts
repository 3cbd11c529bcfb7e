import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { brandStore } from '#functions/brand/store';
import { CompileCache } from '#functions/kits/compile-cache';
import type { KitDeps } from '#functions/kits/kits';
import { kitStore } from '#functions/kits/store';
import { demoUsers } from '#functions/local/demo-data';
import { freePort } from '#functions/local/free-port';
import { fsBlobStore } from '#functions/local/fs-blob-store';
import { type Runtime, startRuntime } from '#functions/local/runtime';
import { assemblePop, type PopPack, popArchive, popSources } from '#functions/mdf/pop/index';
import { mdfRequestSchema } from '#functions/mdf/schema';
import { partnerStore } from '#functions/partners/store';

/*
 * The POP pack of a real campaign: imported into a list, approved for MDF, launched through the
 * embedded runtime (DynamoDB Local, the send queue's consumer, the SES emulator and its mailbox
 * simulator events), clicked, opened, with leads captured on its landing page. The pack's
 * numbers must equal what the send records, the SES emulator's outbox and the lead rows say,
 * each read here on its own, and its email must be the one recipients got.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'ck-pop-'));
let runtime: Runtime;
let base: string;

const tokens = new Map<string, string>();
const api = async (path: string, as: string, init: RequestInit = {}) => {
  const user = demoUsers.find((u) => u.id === as || u.role === as);
  if (!user) throw new Error(`no demo user ${as}`);
  const token = tokens.get(user.id) ?? (await runtime.issuer.sign(user));
  tokens.set(user.id, token);
  return fetch(`${base}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      ...(typeof init.body === 'string' && !init.headers ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
  });
};
const json = async (path: string, as: string, init: RequestInit = {}) => {
  const res = await api(path, as, init);
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

const outboxSchema = z.object({
  emails: z.array(
    z.looseObject({
      destination: z.looseObject({ to: z.array(z.string()) }),
      subject: z.string(),
      body: z.looseObject({ html: z.string().optional(), text: z.string().optional() }),
    }),
  ),
});
const outbox = async () =>
  outboxSchema.parse(await (await fetch(`${runtime.outboxUrl}/store`)).json()).emails;

/** Every item of a partition, paged (the records the pack must agree with). */
const partition = async (pk: string, prefix: string) => {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await runtime.table.query({ partition: pk, prefix, limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
};

const buyers = Array.from({ length: 20 }, (_, i) => `buyer${i}@contoso.example`);
const simulator = ['success', 'bounce', 'complaint'].map((box) => `${box}@simulator.amazonses.com`);
const suppressed = 'gone@contoso.example';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let campaignId: string;
let pack: PopPack;
let clickToken: string;
const leadEmails = ['ada@analytical.example', 'grace@cobol.example', 'alan@bletchley.example'];

beforeAll(async () => {
  runtime = await startRuntime({ port: await freePort(), dataDir, fresh: true, quiet: true });
  base = runtime.url.replace('localhost', '127.0.0.1');
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the POP pack of a campaign sent to the SES emulator', () => {
  it('sends an MDF-approved campaign and captures leads from it', async () => {
    const nora = 'u-northwind-1';
    const listId = (
      await json('/api/lists', nora, { method: 'POST', body: JSON.stringify({ name: 'IT leads' }) })
    ).id;
    const csv = `Email,First name,Company\n${[...buyers, ...simulator, suppressed].map((e, i) => `${e},Reader${i},Contoso`).join('\n')}\n`;
    const query = new URLSearchParams({ listId, consentSource: 'form:webinar', consentAt: '2026-10-01' });
    const job = await json(`/api/contacts/imports?${query}`, nora, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    await until(async () => {
      const current = await json(`/api/contacts/imports/${job.id}`, nora);
      return current.status === 'done' ? current : undefined;
    }, 'the import');
    await json('/api/suppressions', nora, { method: 'POST', body: JSON.stringify({ email: suppressed }) });

    const campaign = await json('/api/campaigns', nora, {
      method: 'POST',
      body: JSON.stringify({
        name: 'Zero trust, this month',
        kitId: 'zero-trust-webinar',
        listId,
        slots: {},
      }),
    });
    campaignId = campaign.id;
    const fund = await json('/api/mdf/funds', 'marketing', {
      method: 'POST',
      body: JSON.stringify({
        partnerId: 'northwind',
        period: 'FY2031',
        currency: 'USD',
        allocatedMinor: 5_000_000,
        reimbursementShareBps: 5000,
      }),
    });
    const filed = await json('/api/mdf/requests', nora, {
      method: 'POST',
      body: JSON.stringify({
        fundId: fund.id,
        campaignId,
        plannedActivity: {
          name: 'Zero trust webinar',
          description: 'Invite IT leads',
          startDate: day(-1),
          endDate: day(30),
        },
        plannedSpendMinor: 1_000_000,
        currency: 'USD',
        expectedOutcomes: { leads: 3, eqls: 1, pipelineMinor: 1_000_000 },
      }),
    });
    await json(`/api/mdf/requests/${filed.id}/decision`, 'marketing', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'if-match': `"${filed.version}"` },
      body: JSON.stringify({ decision: 'approve', approvedMinor: 800_000 }),
    });

    await json(`/api/campaigns/${campaignId}/submit`, nora, { method: 'POST' });
    await json(`/api/campaigns/${campaignId}/launch`, nora, { method: 'POST' });
    const expected = buyers.length + simulator.length;
    await until(async () => ((await outbox()).length >= expected ? true : undefined), 'the emails');
    await until(async () => {
      const detail = await json(`/api/campaigns/${campaignId}`, nora);
      const c = detail.counters;
      return c.sent === expected && c.delivered + c.bounced === expected && c.complained === 1
        ? detail
        : undefined;
    }, 'the simulator’s events');
    // The detail read marks the campaign sent once every recipient settled.
    await until(
      async () => ((await json(`/api/campaigns/${campaignId}`, nora)).status === 'sent' ? true : undefined),
      'sent',
    );

    const mail = await outbox();
    const to = (address: string) => mail.find((m) => m.destination.to.includes(address))?.body.html ?? '';
    // buyer0 clicks through to the landing page; buyer1 and buyer2 open.
    const tracked =
      /href="(http:\/\/localhost:\d+\/t\/c\/[^"]+)"/.exec(to('buyer0@contoso.example'))?.[1] ?? '';
    clickToken = tracked.split('/t/c/')[1] ?? '';
    const hop = await fetch(tracked.replace('localhost', '127.0.0.1'), { redirect: 'manual' });
    expect(hop.status).toBe(302);
    for (const who of ['buyer1@contoso.example', 'buyer2@contoso.example']) {
      const pixel = /src="(http:\/\/localhost:\d+\/t\/o\/[^"]+)"/.exec(to(who))?.[1] ?? '';
      expect((await fetch(pixel.replace('localhost', '127.0.0.1'))).status).toBe(200);
    }

    const slug = campaign.slug;
    for (const [i, email] of leadEmails.entries()) {
      const fields: Record<string, string> = {
        email,
        first_name: i === 0 ? '<script>Ada</script>' : `Person${i}`,
        last_name: 'Tester',
        company: 'Analytical Engines',
        job_title: 'CTO',
        country: 'US',
        consent: 'yes',
        ...(i === 0 ? { ck_click: clickToken } : {}),
      };
      const res = await fetch(`${base}/p/${slug}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'cloudfront-viewer-address': `198.51.100.${i + 1}:443`,
        },
        body: new URLSearchParams(fields).toString(),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(400);
    }

    const request = mdfRequestSchema.parse(await json(`/api/mdf/requests/${filed.id}`, 'marketing'));
    const kits: KitDeps = {
      kits: kitStore(runtime.table),
      blobs: fsBlobStore(join(dataDir, 'blobs')),
      partners: partnerStore(runtime.table),
      brands: brandStore(runtime.table),
      compiled: new CompileCache(),
      clock: () => new Date(),
      publicBaseUrl: runtime.url,
      vendor: { name: 'Vendor', website: 'https://vendor.example' },
    };
    pack = await assemblePop(popSources({ table: runtime.table, kits }), {
      claimId: '01JCLA1M000000000000000000',
      partnerId: 'northwind',
      request,
      campaignId,
      amountMinor: 400_000,
      invoicedSpendMinor: 800_000,
      currency: 'USD',
      filedAt: new Date().toISOString(),
    });
  }, 180_000);

  it('counts exactly what the send records and the SES outbox hold', async () => {
    const records = await partition(`SEND#${campaignId}`, 'R#');
    const count = (test: (r: Record<string, unknown>) => boolean) => records.filter(test).length;
    const delivered = (await outbox()).filter((m) =>
      m.destination.to.some((t) => [...buyers, ...simulator].includes(t)),
    );
    expect(pack.sendLog.sent).toBe(count((r) => r.status === 'sent'));
    expect(pack.sendLog.sent).toBe(delivered.length);
    expect(pack.sendLog.delivered).toBe(count((r) => r.outcome === 'delivered'));
    expect(pack.sendLog.hardBounced).toBe(count((r) => r.outcome === 'bounced'));
    expect(pack.sendLog.softBounced).toBe(count((r) => r.outcome === 'softBounced'));
    expect(pack.sendLog.complained).toBe(count((r) => typeof r.complainedAt === 'string'));
    expect(pack.sendLog.unsubscribed).toBe(count((r) => typeof r.unsubscribedAt === 'string'));
    expect(pack.sendLog.suppressed).toBe(count((r) => r.status === 'suppressed'));
    expect(pack.sendLog.failed).toBe(count((r) => r.status === 'failed'));
    expect(pack.engagement.uniqueOpens).toBe(count((r) => typeof r.openedAt === 'string'));
    expect(pack.engagement.uniqueClicks).toBe(count((r) => typeof r.clickedAt === 'string'));
    expect(pack.engagement.uniqueHumanClicks).toBe(count((r) => typeof r.humanClickedAt === 'string'));
    // The scenario itself, so the equalities above are not all zeros.
    expect(pack.sendLog).toMatchObject({ sent: 23, hardBounced: 1, complained: 1, suppressed: 1 });
    expect(pack.engagement).toMatchObject({ uniqueOpens: 2, uniqueClicks: 1 });
    const sentDelivered = count((r) => r.outcome === 'delivered');
    expect(pack.engagement.rates.uniqueOpenBps).toBe(Math.floor((2 * 10_000) / sentDelivered));
    expect(pack.engagement.rates.hardBounceBps).toBe(Math.floor(10_000 / 23));

    const sentTimes = records.flatMap((r) => (typeof r.sentAt === 'string' ? [Date.parse(r.sentAt)] : []));
    expect(Date.parse(pack.sendLog.firstSendAt ?? '')).toBeLessThanOrEqual(Math.min(...sentTimes));
    expect(Date.parse(pack.sendLog.lastSendAt ?? '')).toBeGreaterThanOrEqual(Math.max(...sentTimes));
  });

  it('knows the audience, its list and the import that filled it', async () => {
    const list = await json(`/api/lists/${pack.campaign?.listId}`, 'u-northwind-1');
    expect(pack.audience.size).toBe(buyers.length + simulator.length + 1);
    expect(pack.audience.list).toMatchObject({
      id: list.id,
      memberCount: list.memberCount,
      createdAt: list.createdAt,
    });
    expect(pack.audience.imports).toEqual([
      expect.objectContaining({ imported: buyers.length + simulator.length + 1 }),
    ]);
  });

  it('lists the campaign’s leads, with the click-through lead sourced to the partner', async () => {
    const rows = await partition(`CAMPAIGN#${campaignId}`, 'LEAD#');
    const ids = rows.map((r) => String(r.leadId)).sort();
    expect(ids).toHaveLength(leadEmails.length);
    expect(pack.leads.total).toBe(ids.length);
    expect(pack.leads.items.map((l) => l.leadId)).toEqual(ids);
    expect(pack.leads.eqls).toBe(rows.filter((r) => r.eql === true).length);
    expect(pack.leads.qualified).toBe(rows.filter((r) => r.qualified === true).length);
    const clicked = pack.leads.items.find((l) => l.email === leadEmails[0]);
    expect(clicked).toMatchObject({
      attribution: 'partner-sourced',
      creditBps: { firstTouch: 10_000, lastTouch: 10_000, linear: 10_000 },
    });
    const firstCapture = Math.min(...rows.map((r) => Date.parse(String(r.createdAt))));
    expect(Date.parse(pack.timeline.firstLeadAt ?? '')).toBe(firstCapture);
  });

  it('shows the email its recipients got: the same message but for tracking and personal values', async () => {
    const got = (await outbox()).find((m) => m.destination.to.includes('buyer5@contoso.example'));
    const normalise = (html: string) =>
      html
        .replace(/<img src="[^"]*\/t\/o\/[^"]*" width="1" height="1" alt="">/, '')
        .replace(/(href|src)="[^"]*"/g, '$1=""')
        .replace(/Reader5|\[first name\]/g, 'FIRST')
        .replace(/Contoso|\[company\]/g, 'COMPANY');
    expect(pack.campaign?.email.subject).toBe(got?.subject);
    expect(normalise(pack.campaign?.email.html ?? 'pack')).toBe(normalise(got?.body.html ?? 'outbox'));
    expect(pack.campaign?.email.html).toContain('Northwind Networks');
    // The profile frozen at launch, which every message was rendered with.
    expect(pack.campaign?.brand).toMatchObject({
      source: 'launch-snapshot',
      profileVersion: expect.any(Number),
    });
  });

  it('flags what the auditor should see, the timeline in order, and zips it all', () => {
    // One complaint in 22 delivered is far past 0.3%; one hard bounce in 23 sent is under 5%.
    expect(pack.anomalies.map((a) => a.code)).toEqual(['high-complaint-rate']);
    const t = pack.timeline;
    const order = [
      t.requestFiledAt,
      t.requestApprovedAt,
      t.campaignLaunchedAt,
      t.campaignSentAt,
      t.firstLeadAt,
      t.claimFiledAt,
    ].map((at) => Date.parse(at ?? ''));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Hourly counters, but never a send shown before the launch or after the filing.
    const sends = [t.campaignLaunchedAt, t.firstSendAt, t.lastSendAt, t.claimFiledAt].map((at) =>
      Date.parse(at ?? ''),
    );
    expect(sends).toEqual([...sends].sort((a, b) => a - b));
    const files = unzipSync(popArchive(pack));
    expect(Object.keys(files).sort()).toEqual([
      'SHA256SUMS',
      'email.html',
      'landing.html',
      'leads.csv',
      'pop.json',
      'report.html',
    ]);
    const report = Buffer.from(files['report.html'] ?? new Uint8Array()).toString('utf8');
    expect(report).toContain('&lt;script&gt;Ada&lt;/script&gt;');
    expect(report).not.toMatch(/<script/i);
  });
});
