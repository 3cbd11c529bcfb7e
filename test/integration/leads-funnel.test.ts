import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#functions/auth/principal';
import type { Campaign } from '#functions/campaigns/schema';
import { campaignStore } from '#functions/campaigns/store';
import { type FunnelReport, funnelReport } from '#functions/leads/funnel-routes';
import type { Lead } from '#functions/leads/lead-schema';
import { leadStore } from '#functions/leads/lead-store';
import { partnerStore } from '#functions/partners/store';
import { newId } from '#platform/ids';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * The EQL funnel report against DynamoDB Local, through the API: marketing sees every
 * partner, campaign and tier; a partner only its own row, campaigns and tier, never another
 * partner's, even for a lead both partners touched.
 */
let api: TestApi;
const at = '2026-11-25T10:00:00.000Z';

const campaign = (partnerId: string, name: string): Campaign => ({
  id: newId(),
  partnerId,
  name,
  kitId: 'zero-trust-webinar',
  kitVersion: '1.0.0',
  kitName: 'Zero trust webinar',
  approvalRequired: false,
  slots: {},
  listId: 'L1',
  slug: `funnel-${newId().toLowerCase()}`,
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

type LeadFacts = Pick<Lead, 'status' | 'engaged' | 'won'> & { eql: boolean; campaigns: Campaign[] };

/** A stored lead touched by the given campaigns (in that order), with the funnel's facts. */
const lead = (email: string, facts: LeadFacts): Lead => {
  const partnerIds = [...new Set(facts.campaigns.map((c) => c.partnerId))];
  return {
    id: newId(),
    email,
    fields: { email, first_name: 'Dana', last_name: 'Okafor', company: 'Acme Robotics' },
    companyDomain: email.split('@')[1] ?? null,
    touches: facts.campaigns.map((c) => ({
      kind: 'form-submit' as const,
      at,
      partnerId: c.partnerId,
      campaignId: c.id,
    })),
    consents: [],
    campaignIds: facts.campaigns.map((c) => c.id),
    partnerIds,
    attribution: {
      kind: 'partner-sourced',
      firstPartnerId: partnerIds[0],
      partnerIds,
      reasons: ['test'],
      credit: { 'first-touch': [], 'last-touch': [], linear: [] },
    },
    qualification: { qualified: true, configVersion: 1, rules: [] },
    eql: {
      eql: facts.eql,
      reasons: ['test'],
      overlaps: facts.eql ? [{ partnerId: partnerIds[0] ?? '', kind: 'customer' }] : [],
      decidedAt: at,
    },
    engaged: facts.engaged,
    status: facts.status,
    statusReason: null,
    won: facts.won,
    submissions: 1,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
};

const northwindWebinar = campaign('northwind', 'Northwind webinar');
const northwindOffer = campaign('northwind', 'Northwind offer');
const globexWebinar = campaign('globex', 'Globex webinar');

const report = async (as: string, by: string): Promise<FunnelReport> => {
  const res = await api.request(`/api/reports/eql-funnel?by=${by}`, { as });
  expect(res.status).toBe(200);
  return res.json();
};
const row = (r: FunnelReport, key: string) => {
  const found = r.rows.find((x) => x.key === key);
  if (!found) throw new Error(`no row ${key} in ${JSON.stringify(r.rows.map((x) => x.key))}`);
  return found;
};

beforeAll(async () => {
  api = await startTestApi();
  const campaigns = campaignStore(api.table);
  for (const c of [northwindWebinar, northwindOffer, globexWebinar]) await campaigns.create(c);
  const leads = leadStore(api.table);
  // Northwind: a won EQL (USD), a won EQL (EUR), a plain lead. Globex: an engaged EQL opportunity
  // that Northwind's offer touched later (one lead, both partners).
  for (const stored of [
    lead('won.usd@acme.example', {
      eql: true,
      engaged: true,
      status: 'won',
      won: { amountMinor: 250_000, currency: 'USD' },
      campaigns: [northwindWebinar],
    }),
    lead('won.eur@initrode.example', {
      eql: true,
      engaged: false,
      status: 'won',
      won: { amountMinor: 99_50, currency: 'EUR' },
      campaigns: [northwindOffer],
    }),
    lead('plain@hooli.example', {
      eql: false,
      engaged: true,
      status: 'qualified',
      won: null,
      campaigns: [northwindWebinar],
    }),
    lead('shared@umbrella.example', {
      eql: true,
      engaged: true,
      status: 'opportunity',
      won: null,
      campaigns: [globexWebinar, northwindOffer],
    }),
  ]) {
    await leads.create(stored);
  }
}, 60_000);
afterAll(() => api.close());

describe('marketing', () => {
  it('sees every partner’s row, each lead counted for every partner that touched it, and the total once', async () => {
    const r = await report('marketing', 'partner');
    expect(r.rows.map((x) => x.label)).toEqual([
      'Globex Integrations',
      'Initech Cloud',
      'Northwind Networks',
    ]);
    expect(row(r, 'northwind').funnel).toEqual({
      leads: 4,
      eqls: 3,
      engagedEqls: 2,
      opportunityEqls: 3,
      wonEqls: 2,
      wonEqlsWithoutAmount: 0,
      revenueFromEqls: [
        { currency: 'EUR', amountMinor: 9_950 },
        { currency: 'USD', amountMinor: 250_000 },
      ],
    });
    expect(row(r, 'globex').funnel).toMatchObject({ leads: 1, eqls: 1, engagedEqls: 1, opportunityEqls: 1 });
    expect(row(r, 'initech').funnel.leads).toBe(0);
    expect(r.total.leads).toBe(4);
    expect(r.total.eqls).toBe(3);
    expect(r).toMatchObject({ by: 'partner', complete: true, leadsRead: 5 });
  });

  it('groups by campaign with names and partners, and by program (tier)', async () => {
    const byCampaign = await report('marketing', 'campaign');
    expect(byCampaign.rows.map((x) => [x.label, x.partnerName, x.funnel.leads])).toEqual([
      ['Globex webinar', 'Globex Integrations', 1],
      ['Northwind offer', 'Northwind Networks', 2],
      ['Northwind webinar', 'Northwind Networks', 2],
    ]);
    expect(row(byCampaign, northwindOffer.id).funnel.revenueFromEqls).toEqual([
      { currency: 'EUR', amountMinor: 9_950 },
    ]);

    const byProgram = await report('marketing', 'program');
    // Every tier with a partner has a row, in program order, even with no leads yet.
    expect(byProgram.rows.map((x) => [x.key, x.label, x.funnel.leads, x.funnel.eqls])).toEqual([
      ['registered', 'Registered', 0, 0],
      ['silver', 'Silver', 1, 1],
      ['gold', 'Gold', 4, 3],
    ]);
  });
});

describe('a partner', () => {
  it('sees only its own partner row', async () => {
    const globex = await report('u-globex-1', 'partner');
    expect(globex.rows.map((x) => x.key)).toEqual(['globex']);
    expect(globex.rows[0]?.funnel).toMatchObject({ leads: 1, eqls: 1, wonEqls: 0, revenueFromEqls: [] });
    expect(globex.total.leads).toBe(1);

    const northwind = await report('u-northwind-1', 'partner');
    expect(northwind.rows.map((x) => x.key)).toEqual(['northwind']);
    expect(northwind.rows[0]?.label).toBe('Northwind Networks');
  });

  it('sees only its own campaigns, even of a lead another partner’s campaign also touched', async () => {
    const globex = await report('u-globex-1', 'campaign');
    expect(globex.rows.map((x) => x.label)).toEqual(['Globex webinar']);
    const northwind = await report('u-northwind-1', 'campaign');
    expect(northwind.rows.map((x) => x.label)).toEqual(['Northwind offer', 'Northwind webinar']);
    expect(JSON.stringify(northwind)).not.toContain('Globex');
    expect(JSON.stringify(northwind)).not.toContain(globexWebinar.id);
  });

  it('sees only its own tier, counted from its own leads', async () => {
    const globex = await report('u-globex-1', 'program');
    expect(globex.rows.map((x) => [x.key, x.funnel.leads])).toEqual([['silver', 1]]);
    const initech = await report('u-initech-1', 'program');
    expect(initech.rows.map((x) => [x.key, x.funnel.leads])).toEqual([['registered', 0]]);
  });
});

describe('the request', () => {
  it('defaults to per-partner and names a bad grouping', async () => {
    const res = await api.request('/api/reports/eql-funnel', { as: 'marketing' });
    expect((await res.json()).by).toBe('partner');
    const bad = await api.request('/api/reports/eql-funnel?by=region&x=1', { as: 'marketing' });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'query.by',
      'query.x',
    ]);
  });

  it('is not for auditors', async () => {
    const res = await api.request('/api/reports/eql-funnel', { as: 'auditor' });
    expect(res.status).toBe(403);
  });

  it('stops at its cap of rows read and says the report is incomplete', async () => {
    const marketing: Principal = { role: 'marketing', sub: 'm', email: 'm@v', name: 'M', partnerId: null };
    const deps = {
      leads: leadStore(api.table),
      partners: partnerStore(api.table),
      campaigns: campaignStore(api.table),
      clock: () => new Date(at),
      maxLeadsRead: 2,
    };
    const capped = await funnelReport(deps, marketing, 'campaign');
    expect(capped).toMatchObject({ complete: false, leadsRead: 2, generatedAt: at });
    expect(capped.total.leads).toBe(2);
    const full = await funnelReport({ ...deps, maxLeadsRead: 10 }, marketing, 'campaign');
    expect(full).toMatchObject({ complete: true, leadsRead: 4 });
  });
});
