import { randomBytes } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Principal } from '#functions/auth/principal';
import type { Campaign } from '#functions/campaigns/schema';
import { campaignStore } from '#functions/campaigns/store';
import type { LeadEvent } from '#functions/leads/lead-events';
import type { Lead } from '#functions/leads/lead-schema';
import { leadStore } from '#functions/leads/lead-store';
import { partnerStore } from '#functions/partners/store';
import { aggregateReader, paidAggregateActions } from '#functions/reports/aggregates';
import {
  type RopiReport,
  type RopiRow,
  ropiCampaignReport,
  ropiCampaignReportSchema,
  ropiReport,
  ropiReportSchema,
} from '#functions/reports/ropi-report';
import { dynamoCounterStore } from '#functions/sending/counters';
import { leadEffectsConsumer } from '#functions/wiring';
import { createDocumentClient } from '#platform/dynamo';
import { newId } from '#platform/ids';
import { createLogger } from '#platform/logger';
import { Table } from '#platform/table';
import { assertLocalEndpoint } from '#test/support/local-only';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * ROPI end to end on DynamoDB Local: leads stored as capture stores them, moved through sales'
 * lifecycle by the API (opportunity with an amount, won), every lead event delivered (twice) to
 * the lead-effects consumer built as the Lambda builds it, MDF payments recorded with
 * paidAggregateActions inside a transaction; then the report equals what the leads themselves
 * say, a partner sees only its own numbers, and a report's DynamoDB requests do not grow with leads.
 */
const at = '2026-11-25T10:00:00.000Z';
const later = '2026-11-25T10:30:00.000Z';

const campaignOf = (partnerId: string, name: string): Campaign => ({
  id: newId(),
  partnerId,
  name,
  kitId: 'zero-trust-webinar',
  kitVersion: '1.0.0',
  kitName: 'Zero trust webinar',
  approvalRequired: false,
  slots: {},
  listId: 'L1',
  slug: `ropi-${newId().toLowerCase()}`,
  status: 'sent',
  scheduledAt: null,
  submittedAt: null,
  decisions: [],
  launchedAt: at,
  pausedAt: null,
  pauseReason: null,
  cancelledAt: null,
  sentAt: at,
  audienceSize: 10,
  createdAt: at,
  createdBy: 'u',
  updatedAt: at,
  version: 1,
});

/** A lead as capture stores it: touches in order, attribution from the first one. */
const leadOf = (touches: Lead['touches'], eql: boolean): Lead => {
  const partnerIds = [...new Set(touches.flatMap((t) => (t.partnerId ? [t.partnerId] : [])))];
  const first = touches[0];
  const email = `ropi-${newId().toLowerCase()}@acme.example`;
  return {
    id: newId(),
    email,
    fields: { email, first_name: 'Dana', last_name: 'Okafor', company: 'Acme' },
    companyDomain: 'acme.example',
    touches,
    consents: [],
    campaignIds: [...new Set(touches.flatMap((t) => (t.campaignId ? [t.campaignId] : [])))],
    partnerIds,
    attribution: {
      kind: first?.partnerId ? 'partner-sourced' : 'partner-influenced',
      firstPartnerId: partnerIds[0],
      partnerIds,
      reasons: ['test'],
      credit: { 'first-touch': [], 'last-touch': [], linear: [] },
    },
    qualification: { qualified: true, configVersion: 1, rules: [] },
    eql: { eql, reasons: [], overlaps: [], decidedAt: at },
    engaged: false,
    status: 'new',
    statusReason: null,
    won: null,
    submissions: 1,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
};
const submit = (c: Campaign, when = at) =>
  ({ kind: 'form-submit', at: when, partnerId: c.partnerId, campaignId: c.id }) as const;

const capturedEvent = (lead: Lead): LeadEvent => ({
  kind: 'lead-captured',
  leadId: lead.id,
  campaignId: lead.campaignIds[0],
  partnerIds: lead.partnerIds,
  becameEql: false,
  version: lead.version,
  at,
});

const sqsEvent = (events: readonly LeadEvent[]): SQSEvent => ({
  Records: events.map(
    (event, i): SQSRecord => ({
      messageId: `m-${i}-${newId()}`,
      receiptHandle: 'r',
      body: JSON.stringify(event),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:lead-effects',
      awsRegion: 'us-east-1',
    }),
  ),
});

/** The lead-effects consumer as wiring.ts builds it for the Lambda (no CRM webhooks configured). */
const consumerFor = (table: Table) =>
  leadEffectsConsumer({
    table,
    mailer: { sendEmail: async () => ({ messageId: newId() }) },
    trackingSecret: randomBytes(32).toString('hex'),
    enqueue: async () => undefined,
    deferRetry: async () => undefined,
    settings: {
      sender: {
        fromAddress: 'notifications@mail.vendor.example',
        vendorName: 'Vendor',
        configurationSetName: undefined,
      },
      portalBaseUrl: 'https://portal.vendor.example',
      webhookTimeoutMs: 1000,
      urlPolicy: { allowLoopbackHttp: true },
      maxAttempts: 5,
    },
    clock: () => new Date(),
    logger: createLogger('ropi-test', 'ERROR'),
  });

/** A table over a client that counts every DynamoDB request it sends. */
const countingTable = (name: string) => {
  const doc = createDocumentClient({
    region: 'us-east-1',
    endpoint: assertLocalEndpoint(inject('dynamoEndpoint')),
  });
  const counter = { requests: 0 };
  doc.middlewareStack.add(
    (next) => async (args) => {
      counter.requests += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return { table: new Table(doc, name), counter, close: () => doc.destroy() };
};

const marketing: Principal = {
  role: 'marketing',
  sub: 'm',
  email: 'm@vendor.example',
  name: 'M',
  partnerId: null,
};
const northwindUser: Principal = {
  role: 'partner',
  sub: 'n',
  email: 'n@northwind.example',
  name: 'N',
  partnerId: 'northwind',
};

// ---- independent expectations: straight from the stored leads, without the updater's code ----
interface Expected {
  leads: number;
  eqls: number;
  sourced: number;
  influenced: number;
  pipeline: Record<string, number>;
  won: Record<string, number>;
}
const touchedBy = (lead: Lead, partnerId?: string, campaignId?: string) =>
  campaignId !== undefined
    ? lead.touches.some((t) => t.partnerId === partnerId && t.campaignId === campaignId)
    : partnerId === undefined || lead.partnerIds.includes(partnerId);

const sourcedBy = (lead: Lead, partnerId?: string, campaignId?: string) => {
  if (lead.attribution.kind !== 'partner-sourced') return false;
  if (partnerId === undefined) return true;
  const first = [...lead.touches].sort((a, b) => a.at.localeCompare(b.at)).find((t) => t.partnerId);
  return first?.partnerId === partnerId && (campaignId === undefined || first.campaignId === campaignId);
};

const addTo = (
  totals: Record<string, number>,
  money: { amountMinor: number; currency: string } | null | undefined,
) => {
  if (money) totals[money.currency] = (totals[money.currency] ?? 0) + money.amountMinor;
};

const expectedFor = (leads: readonly Lead[], partnerId?: string, campaignId?: string): Expected => {
  const out: Expected = { leads: 0, eqls: 0, sourced: 0, influenced: 0, pipeline: {}, won: {} };
  for (const lead of leads.filter((l) => touchedBy(l, partnerId, campaignId))) {
    out.leads += 1;
    out.eqls += lead.eql.eql ? 1 : 0;
    if (sourcedBy(lead, partnerId, campaignId)) out.sourced += 1;
    else if (partnerId !== undefined || lead.attribution.kind === 'partner-influenced') out.influenced += 1;
    addTo(out.pipeline, lead.pipeline);
    addTo(out.won, lead.won);
  }
  return out;
};

const asReported = (row: RopiRow): Expected => ({
  leads: row.leads,
  eqls: row.eqls,
  sourced: row.sourced,
  influenced: row.influenced,
  pipeline: Object.fromEntries(
    row.money.filter((m) => m.pipelineMinor !== 0).map((m) => [m.currency, m.pipelineMinor]),
  ),
  won: Object.fromEntries(row.money.filter((m) => m.wonMinor !== 0).map((m) => [m.currency, m.wonMinor])),
});

const rowOf = (report: RopiReport, partnerId: string) => {
  const row = report.partners.find((r) => r.key === partnerId);
  if (!row) throw new Error(`no row for ${partnerId}`);
  return row;
};
const moneyOf = (row: RopiRow, currency: string) => row.money.find((m) => m.currency === currency);

describe('ROPI from lead events and MDF payments', () => {
  let api: TestApi;
  const northwindWebinar = campaignOf('northwind', 'Northwind webinar');
  const northwindOffer = campaignOf('northwind', 'Northwind offer');
  const globexWebinar = campaignOf('globex', 'Globex webinar');
  const ids: string[] = [];
  let handle: ReturnType<typeof consumerFor>;

  const decide = async (leadId: string, body: object) => {
    const read = await api.request(`/api/leads/${leadId}`, { as: 'marketing' });
    const res = await api.request(`/api/leads/${leadId}/decision`, {
      as: 'marketing',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'if-match': read.headers.get('etag') ?? '' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  const storedLeads = async () => {
    const leads = leadStore(api.table);
    return (await Promise.all(ids.map((id) => leads.get(id)))).flatMap((l) => (l ? [l] : []));
  };
  const report = async (as: string, query = '') => {
    const res = await api.request(`/api/reports/ropi${query}`, { as });
    expect(res.status).toBe(200);
    return ropiReportSchema.parse(await res.json());
  };

  beforeAll(async () => {
    api = await startTestApi();
    handle = consumerFor(api.table);
    const campaigns = campaignStore(api.table);
    const counters = dynamoCounterStore(api.table);
    for (const [c, sent] of [
      [northwindWebinar, 1200],
      [northwindOffer, 300],
      [globexWebinar, 800],
    ] as const) {
      await campaigns.create(c);
      await counters.add(c.id, { sent }, new Date(at));
    }
    const leads = leadStore(api.table);
    const won = leadOf([submit(northwindWebinar)], true);
    const shared = leadOf([submit(northwindWebinar), submit(globexWebinar, later)], false);
    const influenced = leadOf(
      [
        { kind: 'landing-visit', at },
        { ...submit(globexWebinar), at: later },
      ],
      true,
    );
    const plain = leadOf([submit(northwindOffer)], false);
    for (const lead of [won, shared, influenced, plain]) {
      await leads.create(lead);
      ids.push(lead.id);
      api.leadEvents.push(capturedEvent(lead));
    }
    await decide(won.id, { action: 'accept' });
    await decide(won.id, { action: 'opportunity', amountMinor: 500_000, currency: 'USD' });
    await decide(won.id, { action: 'won', amountMinor: 450_000, currency: 'USD' });
    await decide(shared.id, { action: 'accept' });
    await decide(shared.id, { action: 'opportunity', amountMinor: 1_000_000, currency: 'EUR' });
    await decide(influenced.id, { action: 'accept' });
    await decide(influenced.id, { action: 'opportunity' });
    await decide(influenced.id, { action: 'won', amountMinor: 200_000, currency: 'USD' });
    // The plain lead comes back and is now an EQL (a second submission).
    const current = await leads.get(plain.id);
    if (!current) throw new Error('lead missing');
    const updated = await leads.replace({ ...current, eql: { ...current.eql, eql: true } }, current.version);
    api.leadEvents.push({ ...capturedEvent(updated), kind: 'lead-updated', version: updated.version });

    // Every event, in one batch (so events of one lead race each other), then all again (redelivery).
    expect((await handle(sqsEvent(api.leadEvents))).batchItemFailures).toEqual([]);
    expect((await handle(sqsEvent([...api.leadEvents].reverse()))).batchItemFailures).toEqual([]);

    // MDF paid, each in a transaction with the claim's own write (as the claims code does).
    const pay = async (input: Parameters<typeof paidAggregateActions>[0]) =>
      api.table.transact([
        { put: { pk: `TEST_CLAIM#${newId()}`, sk: 'PAID', type: 'test-claim', version: 1 }, ifAbsent: true },
        ...paidAggregateActions(input),
      ]);
    await pay({
      partnerId: 'northwind',
      campaignId: northwindWebinar.id,
      currency: 'USD',
      paidMinor: 100_000,
      at,
    });
    await pay({ partnerId: 'globex', campaignId: null, currency: 'USD', paidMinor: 80_000, at });
    await pay({ partnerId: 'globex', campaignId: globexWebinar.id, currency: 'EUR', paidMinor: 30_000, at });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('the opportunity amount is stored as the lead’s pipeline and kept when the lead is won', async () => {
    const [won] = await storedLeads();
    expect(won).toMatchObject({
      status: 'won',
      pipeline: { amountMinor: 500_000, currency: 'USD' },
      won: { amountMinor: 450_000, currency: 'USD' },
    });
  });

  it('counts every lead once however often its events arrive: rows equal the leads themselves', async () => {
    const leads = await storedLeads();
    const body = await report('marketing');
    if (!body.program) throw new Error('no program row');
    expect(asReported(body.program)).toEqual(expectedFor(leads));
    for (const partnerId of ['northwind', 'globex', 'initech']) {
      expect(asReported(rowOf(body, partnerId)), partnerId).toEqual(expectedFor(leads, partnerId));
    }
    // And the figures themselves, so the independent computation cannot drift with the code.
    expect(body.program).toMatchObject({ leads: 4, eqls: 3, sourced: 3, influenced: 1, sends: 2300 });
    expect(rowOf(body, 'northwind')).toMatchObject({
      leads: 3,
      eqls: 2,
      sourced: 3,
      influenced: 0,
      sends: 1500,
    });
    expect(rowOf(body, 'globex')).toMatchObject({ leads: 2, eqls: 1, sourced: 0, influenced: 2, sends: 800 });
  });

  it('gives ROPI and cost per lead per currency, only where something was paid in that currency', async () => {
    const body = await report('auditor');
    expect(moneyOf(rowOf(body, 'northwind'), 'USD')).toEqual({
      currency: 'USD',
      paidMinor: 100_000,
      pipelineMinor: 500_000,
      wonMinor: 450_000,
      wonRopi: '4.50',
      pipelineRopi: '5.00',
      costPerLeadMinor: 33_333,
      costPerEqlMinor: 50_000,
    });
    // Northwind's EUR pipeline (the shared lead) has no EUR payment to divide by.
    expect(moneyOf(rowOf(body, 'northwind'), 'EUR')).toMatchObject({
      paidMinor: 0,
      pipelineMinor: 1_000_000,
      pipelineRopi: null,
      costPerLeadMinor: null,
    });
    expect(moneyOf(rowOf(body, 'globex'), 'EUR')).toMatchObject({
      paidMinor: 30_000,
      pipelineMinor: 1_000_000,
      pipelineRopi: '33.33',
      costPerLeadMinor: 15_000,
    });
    expect(moneyOf(rowOf(body, 'globex'), 'USD')).toMatchObject({
      paidMinor: 80_000,
      wonMinor: 200_000,
      wonRopi: '2.50',
    });
    expect(moneyOf(body.program ?? rowOf(body, 'x'), 'USD')).toMatchObject({
      paidMinor: 180_000,
      wonMinor: 650_000,
      wonRopi: '3.61',
    });
  });

  it('reports per campaign, with the payment that named the campaign', async () => {
    const leads = await storedLeads();
    const res = await api.request('/api/reports/ropi/campaigns?partnerId=northwind', { as: 'marketing' });
    expect(res.status).toBe(200);
    const body = ropiCampaignReportSchema.parse(await res.json());
    expect(body.campaigns.map((c) => c.label)).toEqual(['Northwind offer', 'Northwind webinar']);
    for (const c of [northwindWebinar, northwindOffer]) {
      const row = body.campaigns.find((r) => r.key === c.id);
      expect(row && asReported(row)).toEqual(expectedFor(leads, 'northwind', c.id));
    }
    expect(body.campaigns.find((r) => r.key === northwindWebinar.id)).toMatchObject({
      sends: 1200,
      money: expect.arrayContaining([
        expect.objectContaining({ currency: 'USD', paidMinor: 100_000, wonRopi: '4.50' }),
      ]),
    });
  });

  it('shows a partner its own row and campaigns only, never another partner’s numbers', async () => {
    const own = await report('u-northwind-1');
    expect(own.program).toBeNull();
    expect(own.partners.map((p) => p.key)).toEqual(['northwind']);
    expect(JSON.stringify(own)).not.toMatch(/globex|initech|180000|650000/i);
    const campaigns = await api.request('/api/reports/ropi/campaigns', { as: 'u-northwind-1' });
    const body = ropiCampaignReportSchema.parse(await campaigns.json());
    expect(body.partnerId).toBe('northwind');
    expect(body.campaigns.map((c) => c.key).sort()).toEqual([northwindWebinar.id, northwindOffer.id].sort());
    for (const path of [
      '/api/reports/ropi?partnerId=globex',
      '/api/reports/ropi/campaigns?partnerId=globex',
    ]) {
      const res = await api.request(path, { as: 'u-northwind-1' });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.text()).not.toContain(globexWebinar.id);
    }
  });

  it('validates its query and names who may call it', async () => {
    const missing = await api.request('/api/reports/ropi/campaigns', { as: 'marketing' });
    expect(missing.status).toBe(422);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.request('/api/reports/ropi?x=1', { as: 'marketing' })).status).toBe(422);
    expect((await api.request('/api/reports/ropi?partnerId=nobody-here', { as: 'marketing' })).status).toBe(
      404,
    );
    expect((await api.request('/api/reports/ropi')).status).toBe(401);
  });
});

describe('what a report costs', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('makes the same number of DynamoDB requests at 10 and at 200 leads', async () => {
    const campaigns = [campaignOf('northwind', 'A'), campaignOf('globex', 'B'), campaignOf('initech', 'C')];
    for (const c of campaigns) await campaignStore(api.table).create(c);
    const handle = consumerFor(api.table);
    const leads = leadStore(api.table);
    const addLeads = async (count: number) => {
      const events: LeadEvent[] = [];
      for (let i = 0; i < count; i += 1) {
        const lead = leadOf([submit(campaigns[i % campaigns.length] as Campaign)], i % 2 === 0);
        await leads.create(lead);
        events.push(capturedEvent(lead));
      }
      for (let start = 0; start < events.length; start += 10)
        await handle(sqsEvent(events.slice(start, start + 10)));
    };
    const counted = countingTable(api.table.name);
    const deps = {
      aggregates: aggregateReader(counted.table),
      partners: partnerStore(counted.table),
      campaigns: campaignStore(counted.table),
      clock: () => new Date(),
    };
    const cost = async () => {
      const before = counted.counter.requests;
      const program = await ropiReport(deps, marketing);
      const afterProgram = counted.counter.requests;
      await ropiReport(deps, northwindUser);
      const afterPartner = counted.counter.requests;
      await ropiCampaignReport(deps, northwindUser);
      return {
        leads: program.program?.leads,
        requests: [
          afterProgram - before,
          afterPartner - afterProgram,
          counted.counter.requests - afterPartner,
        ],
      };
    };
    try {
      await addLeads(10);
      const small = await cost();
      await addLeads(190);
      const large = await cost();
      expect(small.leads).toBe(10);
      expect(large.leads).toBe(200);
      expect(large.requests).toEqual(small.requests);
      // 1 partner list + 1 aggregates Query + 1 campaign list per partner (3 demo partners) + 1 BatchGet.
      expect(small.requests).toEqual([6, 4, 3]);
    } finally {
      counted.close();
    }
  }, 120_000);
});
