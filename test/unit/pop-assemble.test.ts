import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '#functions/audit/hashing';
import type { Campaign } from '#functions/campaigns/schema';
import type { ContactList, ImportJob } from '#functions/contacts/schema';
import type { Lead } from '#functions/leads/lead-schema';
import type { RenderedAsSent } from '#functions/mdf/pop/as-sent';
import {
  assemblePop,
  type PopClaimInput,
  type PopPack,
  type PopSources,
  popArchive,
  popEvidenceItems,
  popLeadsCsv,
  popPackSchema,
  popReportHtml,
} from '#functions/mdf/pop/index';
import type { MdfRequest } from '#functions/mdf/schema';
import { type AllCounters, zeroCounters } from '#functions/sending/counters';

/*
 * The POP pack from stored records (a fake of the read ports, so each fact is set by the test):
 * numbers, anomalies and their thresholds, determinism, and the CSV, HTML and zip exports.
 */
const CAMPAIGN_ID = '01JCAMPA1GN000000000000000';
const actor = { sub: 'm1', email: 'mia@vendor.example', name: 'Mia Marketing' };

const request = (extra: Partial<MdfRequest> = {}): MdfRequest => ({
  id: '01JREQUEST0000000000000000',
  partnerId: 'northwind',
  fundId: '01JFUND0000000000000000000',
  campaignId: CAMPAIGN_ID,
  plannedActivity: {
    name: 'Zero trust webinar',
    description: 'Invite 1,000 IT leads',
    startDate: '2026-11-01',
    endDate: '2026-11-30',
  },
  plannedSpendMinor: 1_000_000,
  currency: 'USD',
  expectedOutcomes: { leads: 40, eqls: 10, pipelineMinor: 25_000_000 },
  reimbursementShareBps: 5000,
  status: 'approved',
  approvedMinor: 800_000,
  committedMinor: 400_000,
  rejectionReason: null,
  decidedBy: actor,
  decidedAt: '2026-10-20T09:00:00.000Z',
  withdrawnAt: null,
  createdAt: '2026-10-15T09:00:00.000Z',
  createdBy: { sub: 'n1', email: 'nora@northwind.example', name: 'Nora' },
  updatedAt: '2026-10-20T09:00:00.000Z',
  version: 2,
  ...extra,
});

const campaign = (extra: Partial<Campaign> = {}): Campaign => ({
  id: CAMPAIGN_ID,
  partnerId: 'northwind',
  name: 'Zero trust, November',
  kitId: 'zero-trust-webinar',
  kitVersion: '1.0.0',
  kitName: 'Zero trust webinar',
  approvalRequired: true,
  slots: { headline: 'Zero trust in 30 minutes' },
  listId: '01JL1ST0000000000000000000',
  slug: 'northwind-zt',
  status: 'sent',
  scheduledAt: null,
  submittedAt: '2026-10-21T09:00:00.000Z',
  decisions: [{ outcome: 'approved', by: actor, at: '2026-10-22T09:00:00.000Z', comment: '' }],
  launchedAt: '2026-11-02T10:00:00.000Z',
  pausedAt: null,
  pauseReason: null,
  cancelledAt: null,
  sentAt: '2026-11-02T12:00:00.000Z',
  audienceSize: 1000,
  createdAt: '2026-10-21T08:00:00.000Z',
  createdBy: 'n1',
  updatedAt: '2026-11-02T12:00:00.000Z',
  version: 5,
  ...extra,
});

const lead = (n: number, extra: Partial<Lead> = {}): Lead => {
  const id = `01JLEAD${String(n).padStart(19, '0')}`;
  return {
    id,
    email: `person${n}@acme.example`,
    fields: { first_name: 'Dana', last_name: `Okafor ${n}`, company: 'Acme Robotics' },
    companyDomain: 'acme.example',
    touches: [
      {
        kind: 'email-click',
        at: '2026-11-03T09:00:00.000Z',
        partnerId: 'northwind',
        campaignId: CAMPAIGN_ID,
      },
      {
        kind: 'form-submit',
        at: '2026-11-03T09:05:00.000Z',
        partnerId: 'northwind',
        campaignId: CAMPAIGN_ID,
      },
    ],
    consents: [],
    campaignIds: [CAMPAIGN_ID],
    partnerIds: ['northwind'],
    attribution: {
      kind: 'partner-sourced',
      firstPartnerId: 'northwind',
      partnerIds: ['northwind'],
      reasons: [],
      credit: {
        'first-touch': [{ partnerId: 'northwind', share: 10_000 }],
        'last-touch': [{ partnerId: 'northwind', share: 10_000 }],
        linear: [{ partnerId: 'northwind', share: 10_000 }],
      },
    },
    qualification: { qualified: true, configVersion: 1, rules: [] },
    eql: { eql: false, reasons: [], overlaps: [], decidedAt: '2026-11-03T09:05:00.000Z' },
    engaged: true,
    status: 'new',
    statusReason: null,
    won: null,
    submissions: 1,
    createdAt: '2026-11-03T09:05:00.000Z',
    updatedAt: '2026-11-03T09:05:00.000Z',
    version: 1,
    ...extra,
  };
};

const list: ContactList = {
  id: '01JL1ST0000000000000000000',
  name: 'IT leads',
  memberCount: 1007,
  createdAt: '2026-10-01T08:00:00.000Z',
  updatedAt: '2026-10-02T08:00:00.000Z',
  version: 3,
};

const importJob = (id: string, createdAt: string): ImportJob => ({
  id,
  partnerId: 'northwind',
  status: 'done',
  listId: list.id,
  hasHeader: true,
  delimiter: ',',
  columns: { email: 0 },
  consent: null,
  fileBytes: 100,
  checkpoint: { byte: 100, newlines: 3 },
  counts: { rowsRead: 1007, imported: 1000, merged: 7, rejected: 0 },
  errors: [],
  failure: null,
  createdBy: 'n1',
  createdAt,
  updatedAt: createdAt,
  finishedAt: createdAt,
  version: 2,
});

const rendered = (extra: Partial<RenderedAsSent['brand']> = {}): RenderedAsSent => ({
  kit: {
    id: 'zero-trust-webinar',
    name: 'Zero trust webinar',
    version: '1.0.0',
    archiveSha256: 'ab'.repeat(32),
  },
  brand: {
    source: 'live-profile',
    values: { company_name: 'Northwind Networks', postal_address: '1200 Harbor Avenue\nSeattle' },
    senderName: 'Nora at Northwind',
    replyTo: 'nora@northwind.example',
    profileUpdatedAt: '2026-10-01T00:00:00.000Z',
    profileVersion: 4,
    ...extra,
  },
  email: {
    subject: 'Zero trust in 30 minutes',
    preheader: 'Join us',
    html: '<html><body><h1>Zero trust</h1><a href="https://go.vendor.example/p/northwind-zt">Register</a></body></html>',
    text: 'Zero trust\nRegister: https://go.vendor.example/p/northwind-zt',
  },
  landingHtml:
    '<html><body><form action="/p/northwind-zt"></form><script src="/p/-/lead-form.js" defer></script></body></html>',
  renderingNote: 'as sent',
});

interface World {
  campaign: Campaign | undefined;
  counters: AllCounters;
  hours: { hour: string; sent: number }[];
  list: ContactList | undefined;
  imports: ImportJob[];
  leads: Lead[];
  rendered: RenderedAsSent;
  pageSize: number;
  /** Serve pages newest-first (as the store does) or in another order. */
  order: 'desc' | 'asc';
}

const world = (extra: Partial<World> = {}): World => ({
  campaign: campaign(),
  counters: {
    ...zeroCounters(),
    queued: 1000,
    sent: 1000,
    delivered: 980,
    bounced: 10,
    softBounced: 10,
    complained: 0,
    unsubscribed: 4,
    opened: 420,
    uniqueOpened: 300,
    clicked: 80,
    uniqueClicked: 50,
    humanClicked: 45,
    uniqueHumanClicked: 40,
  },
  hours: [
    { hour: '2026-11-02T10', sent: 600 },
    { hour: '2026-11-02T11', sent: 400 },
  ],
  list,
  imports: [importJob('01JIMP0RT00000000000000001', '2026-10-02T08:00:00.000Z')],
  leads: [lead(1), lead(2, { status: 'won', won: { amountMinor: 123_456, currency: 'USD' } }), lead(3)],
  rendered: rendered(),
  pageSize: 2,
  order: 'desc',
  ...extra,
});

const sourcesOf = (w: World): PopSources => ({
  campaign: async (id) => (w.campaign?.id === id ? w.campaign : undefined),
  counters: async () => w.counters,
  sendHours: async () => w.hours,
  list: async () => w.list,
  listImports: async () => w.imports,
  async leads(_campaignId, _limit, cursor) {
    const sorted = [...w.leads].sort((a, b) => (a.id < b.id ? -1 : 1));
    if (w.order === 'desc') sorted.reverse();
    const start = cursor ? Number(cursor) : 0;
    const end = start + w.pageSize;
    return { items: sorted.slice(start, end), nextCursor: end < sorted.length ? String(end) : null };
  },
  rendered: async () => w.rendered,
});

const claim = (extra: Partial<PopClaimInput> = {}): PopClaimInput => ({
  claimId: '01JCLA1M000000000000000000',
  partnerId: 'northwind',
  request: request(),
  campaignId: CAMPAIGN_ID,
  amountMinor: 400_000,
  invoicedSpendMinor: 800_000,
  currency: 'USD',
  filedAt: '2026-12-05T10:00:00.000Z',
  ...extra,
});

const pop = (w: Partial<World> = {}, c: Partial<PopClaimInput> = {}) =>
  assemblePop(sourcesOf(world(w)), claim(c));
const codes = (pack: PopPack) => pack.anomalies.map((a) => a.code);

describe('assembling the pack from the records', () => {
  it('carries the request, campaign, counters, leads and timeline, with no anomaly for a clean claim', async () => {
    const pack = await pop();
    expect(popPackSchema.parse(pack)).toEqual(pack);
    expect(pack.anomalies).toEqual([]);
    expect(pack.claim.maxReimbursableMinor).toBe(400_000);
    expect(pack.request).toMatchObject({
      approvedMinor: 800_000,
      committedMinor: 400_000,
      reimbursementShareBps: 5000,
    });
    expect(pack.campaign).toMatchObject({
      id: CAMPAIGN_ID,
      kit: { id: 'zero-trust-webinar', version: '1.0.0' },
      slots: { headline: 'Zero trust in 30 minutes' },
      brand: { profileVersion: 4, profileUpdatedAt: '2026-10-01T00:00:00.000Z' },
    });
    expect(pack.sendLog).toMatchObject({ sent: 1000, delivered: 980, hardBounced: 10, softBounced: 10 });
    expect(pack.engagement.rates).toMatchObject({
      uniqueOpenBps: 3061,
      uniqueClickBps: 510,
      uniqueHumanClickBps: 408,
    });
    expect(pack.leads).toMatchObject({ total: 3, qualified: 3, sourced: 3, omitted: 0 });
    expect(pack.leads.won.revenue).toEqual([{ currency: 'USD', amountMinor: 123_456, leads: 1 }]);
    expect(pack.leads.items[0]).toMatchObject({
      name: 'Dana Okafor 1',
      attribution: 'partner-sourced',
      creditBps: { firstTouch: 10_000, lastTouch: 10_000, linear: 10_000 },
      capturedAt: '2026-11-03T09:05:00.000Z',
    });
    expect(pack.timeline).toEqual({
      requestFiledAt: '2026-10-15T09:00:00.000Z',
      requestApprovedAt: '2026-10-20T09:00:00.000Z',
      campaignCreatedAt: '2026-10-21T08:00:00.000Z',
      campaignSubmittedAt: '2026-10-21T09:00:00.000Z',
      campaignApprovedAt: '2026-10-22T09:00:00.000Z',
      campaignLaunchedAt: '2026-11-02T10:00:00.000Z',
      firstSendAt: '2026-11-02T10:00:00.000Z',
      lastSendAt: '2026-11-02T11:59:59.999Z',
      campaignSentAt: '2026-11-02T12:00:00.000Z',
      firstLeadAt: '2026-11-03T09:05:00.000Z',
      claimFiledAt: '2026-12-05T10:00:00.000Z',
    });
  });

  it('shows the claiming partner’s own credit on a lead another partner touched first', async () => {
    const shared = lead(1, {
      partnerIds: ['globex', 'northwind'],
      attribution: {
        kind: 'partner-sourced',
        firstPartnerId: 'globex',
        partnerIds: ['globex', 'northwind'],
        reasons: [],
        credit: {
          'first-touch': [{ partnerId: 'globex', share: 10_000 }],
          'last-touch': [{ partnerId: 'northwind', share: 10_000 }],
          linear: [
            { partnerId: 'globex', share: 5000 },
            { partnerId: 'northwind', share: 5000 },
          ],
        },
      },
    });
    const pack = await pop({ leads: [shared] });
    expect(pack.leads.items[0]).toMatchObject({
      attribution: 'partner-influenced',
      creditBps: { firstTouch: 0, lastTouch: 10_000, linear: 5000 },
    });
    expect(pack.leads).toMatchObject({ sourced: 0, influenced: 1 });
    expect(JSON.stringify(pack)).not.toContain('globex');
  });

  it('never copies another partner’s campaign into the pack', async () => {
    const pack = await pop({ campaign: campaign({ partnerId: 'globex' }), leads: [lead(1)] });
    expect(pack.campaign).toBeNull();
    expect(pack.leads.total).toBe(0);
    expect(pack.sendLog.sent).toBe(0);
    expect(codes(pack)).toContain('campaign-missing');
  });

  it('is the same pack, byte for byte, whatever order the lead pages arrive in', async () => {
    const leads = Array.from({ length: 9 }, (_, i) => lead(i + 1));
    const a = await pop({ leads, order: 'desc', pageSize: 2 });
    const b = await pop({ leads: [...leads].reverse(), order: 'asc', pageSize: 4 });
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(Buffer.from(popArchive(a)).equals(Buffer.from(popArchive(b)))).toBe(true);
    expect(a.leads.items.map((l) => l.leadId)).toEqual(leads.map((l) => l.id));
  });

  it('lists at most 5,000 leads by id, says how many it left out, and counts them all', async () => {
    const leads = Array.from({ length: 5003 }, (_, i) =>
      lead(i + 1, {
        eql: { eql: i % 2 === 0, reasons: [], overlaps: [], decidedAt: '2026-11-04T00:00:00.000Z' },
        // The earliest capture is on a lead that is not listed.
        touches: [
          {
            kind: 'form-submit',
            at: i === 5002 ? '2026-11-02T10:30:00.000Z' : '2026-11-04T00:00:00.000Z',
            partnerId: 'northwind',
            campaignId: CAMPAIGN_ID,
          },
        ],
      }),
    );
    const pack = await pop({ leads, pageSize: 100 });
    expect(pack.leads).toMatchObject({ total: 5003, eqls: 2502, cap: 5000, omitted: 3 });
    expect(pack.leads.items).toHaveLength(5000);
    expect(pack.leads.items.at(-1)?.leadId).toBe(lead(5000).id);
    expect(pack.timeline.firstLeadAt).toBe('2026-11-02T10:30:00.000Z');
  });
});

describe('anomalies', () => {
  it('flags sends on UTC days outside the approved window, before and after, with the counts', async () => {
    const pack = await pop({
      hours: [
        { hour: '2026-10-31T23', sent: 5 },
        { hour: '2026-11-01T00', sent: 900 },
        { hour: '2026-11-30T23', sent: 90 },
        { hour: '2026-12-01T00', sent: 5 },
      ],
    });
    expect(pack.anomalies).toEqual([
      expect.objectContaining({
        code: 'sends-outside-window',
        severity: 'warning',
        detail: expect.objectContaining({ sentBefore: 5, sentAfter: 5 }),
      }),
    ]);
    expect((await pop({ hours: [{ hour: '2026-11-30T23', sent: 1000 }] })).anomalies).toEqual([]);
  });

  it('flags a list created after approval, and imports after approval that came before the last send', async () => {
    const created = await pop({ list: { ...list, createdAt: '2026-10-20T09:00:01.000Z' } });
    expect(codes(created)).toEqual(['list-created-after-approval']);
    const imported = await pop({
      imports: [
        importJob('01JIMP0RT00000000000000001', '2026-10-02T08:00:00.000Z'),
        importJob('01JIMP0RT00000000000000002', '2026-11-02T10:30:00.000Z'),
        // After the last send: it cannot have reached this campaign's recipients.
        importJob('01JIMP0RT00000000000000003', '2026-11-03T00:00:00.000Z'),
      ],
    });
    expect(imported.anomalies).toEqual([
      expect.objectContaining({
        code: 'list-imported-after-approval',
        detail: expect.objectContaining({
          imports: [expect.objectContaining({ id: '01JIMP0RT00000000000000002' })],
        }),
      }),
    ]);
  });

  it('flags hard bounces above 5% of sent, not at exactly 5%', async () => {
    const at = (bounced: number) => pop({ counters: { ...world().counters, sent: 1000, bounced } });
    expect(codes(await at(50))).toEqual([]);
    expect(codes(await at(51))).toEqual(['high-hard-bounce-rate']);
  });

  it('warns at 0.3% complaints of delivered (Gmail/Yahoo), notes 0.1%, and is quiet below', async () => {
    const at = (complained: number) =>
      pop({ counters: { ...world().counters, delivered: 1000, complained } });
    expect((await at(3)).anomalies).toEqual([
      expect.objectContaining({ code: 'high-complaint-rate', severity: 'warning' }),
    ]);
    expect((await at(1)).anomalies).toEqual([
      expect.objectContaining({ code: 'elevated-complaint-rate', severity: 'info' }),
    ]);
    expect((await at(0)).anomalies).toEqual([]);
  });

  it('flags a claim above the vendor’s share of the invoiced spend, and above the commitment', async () => {
    // share of 700,001 at 50% = 350,000 (floor): 350,000 is fine, 350,001 is not.
    expect(codes(await pop({}, { invoicedSpendMinor: 700_001, amountMinor: 350_000 }))).toEqual([]);
    expect(codes(await pop({}, { invoicedSpendMinor: 700_001, amountMinor: 350_001 }))).toEqual([
      'claim-exceeds-share',
    ]);
    expect(codes(await pop({}, { invoicedSpendMinor: 1_000_000, amountMinor: 400_001 }))).toEqual([
      'claim-exceeds-commitment',
      'invoiced-exceeds-approved',
    ]);
  });

  it('flags a campaign launched before the request was approved', async () => {
    const pack = await pop({ campaign: campaign({ launchedAt: '2026-10-19T09:00:00.000Z' }) });
    expect(codes(pack)).toEqual(['launched-before-approval']);
  });

  it('flags a campaign the request was not for, one that never sent, and zero leads', async () => {
    expect(
      (await pop({}, { request: request({ campaignId: '01JOTHERCAMPA1GN0000000000' }) })).anomalies,
    ).toEqual([expect.objectContaining({ code: 'campaign-not-linked', severity: 'warning' })]);
    expect((await pop({}, { request: request({ campaignId: null }) })).anomalies).toEqual([
      expect.objectContaining({ code: 'campaign-not-linked', severity: 'info' }),
    ]);
    const silent = await pop({ counters: zeroCounters(), hours: [], leads: [] });
    expect(codes(silent)).toEqual(['campaign-not-sent', 'no-leads']);
  });

  it('notes a brand profile changed after the launch (the rendering uses the live profile)', async () => {
    const pack = await pop({
      rendered: rendered({ profileUpdatedAt: '2026-11-10T00:00:00.000Z', profileVersion: 5 }),
    });
    expect(pack.anomalies).toEqual([
      expect.objectContaining({
        code: 'brand-changed-after-launch',
        severity: 'info',
        detail: expect.objectContaining({ profileVersion: 5 }),
      }),
    ]);
  });

  it('notes a campaign still sending, unless every recipient has settled', async () => {
    const paused = await pop({ campaign: campaign({ status: 'paused', sentAt: null, audienceSize: 2000 }) });
    expect(codes(paused)).toEqual(['campaign-not-finished']);
    const settled = await pop({
      campaign: campaign({ status: 'sending', sentAt: null, audienceSize: 1000 }),
    });
    expect(codes(settled)).toEqual([]);
  });
});

describe('exports', () => {
  const hostile = () =>
    pop({
      leads: [
        lead(1, {
          fields: {
            first_name: '<script>alert(1)</script>',
            last_name: 'Evil',
            company: '=HYPERLINK("http://x")',
          },
        }),
        lead(2, { fields: { first_name: 'Ann, "the"', last_name: 'Quote', company: 'Acme' } }),
      ],
    });

  it('writes one CSV row per listed lead, quoted as RFC 4180 and defused against formulas', async () => {
    const pack = await hostile();
    const csv = popLeadsCsv(pack);
    expect(csv.startsWith('\uFEFFlead_id,email,name,')).toBe(true);
    const rows: string[][] = parse(csv.slice(1), { relax_column_count: false });
    expect(rows).toHaveLength(3);
    const [head, first, second] = rows;
    const col = (name: string) => head?.indexOf(name) ?? -1;
    expect(first?.[col('lead_id')]).toBe(lead(1).id);
    expect(first?.[col('company')]).toBe('\'=HYPERLINK("http://x")');
    expect(second?.[col('name')]).toBe('Ann, "the" Quote');
    expect(first?.[col('credit_linear_bps')]).toBe('10000');
  });

  it('escapes every value in the HTML report and runs no script, the email in a sandboxed srcdoc', async () => {
    const pack = await hostile();
    const html = popReportHtml(pack);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Evil');
    expect(html).toMatch(
      /<iframe sandbox="" title="The email as sent" srcdoc="&lt;html&gt;&lt;body&gt;&lt;h1&gt;Zero trust/,
    );
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('USD 4,000.00');
    expect(html).toContain('30.61%');
  });

  it('zips pop.json, leads.csv, report.html, email.html and landing.html with their SHA256SUMS', async () => {
    const pack = await pop();
    const files = unzipSync(popArchive(pack));
    expect(Object.keys(files).sort()).toEqual([
      'SHA256SUMS',
      'email.html',
      'landing.html',
      'leads.csv',
      'pop.json',
      'report.html',
    ]);
    // Buffer keeps the CSV's BOM (TextDecoder would drop it).
    const text = (name: string) => Buffer.from(files[name] ?? new Uint8Array()).toString('utf8');
    expect(text('pop.json')).toBe(canonicalJson(pack));
    expect(JSON.parse(text('pop.json'))).toEqual(pack);
    expect(text('leads.csv')).toBe(popLeadsCsv(pack));
    expect(text('report.html')).toBe(popReportHtml(pack));
    expect(text('email.html')).toBe(pack.campaign?.email.html);
    expect(text('landing.html')).toBe(pack.campaign?.landingHtml);
    const sums = text('SHA256SUMS').trim().split('\n');
    expect(sums).toHaveLength(5);
    for (const line of sums) {
      const [sum, name] = line.split('  ');
      const bytes = files[name ?? ''] ?? new Uint8Array([0]);
      expect(createHash('sha256').update(bytes).digest('hex'), name).toBe(sum);
    }
  });
});

describe('evidence items for the audit log', () => {
  const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

  it('keeps each item under 64 KB and records large data by the hash of the archived bytes', async () => {
    const big = 'x'.repeat(200_000);
    const pack = await pop({
      rendered: { ...rendered(), email: { ...rendered().email, html: big }, landingHtml: big },
      campaign: campaign({
        slots: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`s${i}`, 'y'.repeat(5000)])),
      }),
    });
    const items = popEvidenceItems(pack);
    expect(items.map((i) => i.item)).toEqual([
      'pop.claim',
      'pop.request',
      'pop.campaign',
      'pop.email',
      'pop.landing',
      'pop.audience',
      'pop.send-log',
      'pop.engagement',
      'pop.leads',
      'pop.timeline',
      'pop.anomalies',
      'pop.pack',
    ]);
    for (const { item, content } of items) {
      expect(Buffer.byteLength(canonicalJson(content)), item).toBeLessThanOrEqual(64 * 1024);
    }
    const files = unzipSync(popArchive(pack));
    const byName = Object.fromEntries(items.map((i) => [i.item, i.content]));
    expect(byName['pop.email']?.html).toEqual({ sha256: sha(big), bytes: 200_000 });
    expect(byName['pop.leads']?.csv).toEqual({
      sha256: createHash('sha256')
        .update(files['leads.csv'] ?? new Uint8Array())
        .digest('hex'),
      bytes: files['leads.csv']?.byteLength,
    });
    expect(byName['pop.campaign']?.slots).toEqual({
      byDigest: expect.objectContaining({ sha256: expect.any(String) }),
    });
    expect(byName['pop.pack']?.packJson).toEqual({
      sha256: sha(canonicalJson(pack)),
      bytes: Buffer.byteLength(canonicalJson(pack)),
    });
  });

  it('keeps small campaign facts inline', async () => {
    const items = popEvidenceItems(await pop());
    const campaignItem = items.find((i) => i.item === 'pop.campaign')?.content;
    expect(campaignItem?.slots).toEqual({ headline: 'Zero trust in 30 minutes' });
    expect(items.find((i) => i.item === 'pop.send-log')?.content).toMatchObject({
      sent: 1000,
      hardBounced: 10,
    });
  });
});
