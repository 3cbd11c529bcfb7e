import * as z from 'zod';
import type { Principal } from '#functions/auth/principal';
import { callerPartnerId } from '#functions/auth/tenancy';
import type { Campaign } from '#functions/campaigns/schema';
import type { CampaignStore, Paged } from '#functions/campaigns/store';
import { principalOf } from '#functions/http/env';
import { commonProblems, createRouter, json, secureRoute } from '#functions/http/router';
import { type Partner, tiers } from '#functions/partners/schema';
import type { PartnerStore } from '#functions/partners/store';
import { eqlFunnel, eqlFunnelBy, type FunnelLead } from './funnel';
import type { LeadStore } from './lead-store';
import type { LeadSummary } from './lead-views';

/**
 * The EQL funnel report, per partner, campaign or program (the partner's tier): EQLs, engaged
 * EQLs, EQLs that became opportunities, closed-won EQLs and their revenue per currency.
 * Marketing sees every group; a partner only its own row, its own campaigns and its own tier,
 * counted from its own inbox.
 *
 * It pages through the lead store's existing projections (a partner's leads, every lead) on each
 * request, reading at most MAX_LEADS_READ rows; past that the report says `complete: false`.
 * Issue 6 precomputes report aggregates; this is the honest stop-gap until then.
 */
export const MAX_LEADS_READ = 5_000;
const PAGE = 100;
/** Partners read for marketing's per-partner and per-program report (10 pages of 100). */
const MAX_PARTNERS = 1_000;

export const funnelGroupings = ['partner', 'campaign', 'program'] as const;
export type FunnelGrouping = (typeof funnelGroupings)[number];

export interface FunnelDeps {
  leads: LeadStore;
  partners: PartnerStore;
  campaigns: CampaignStore;
  clock: () => Date;
  /** The rows read per report (MAX_LEADS_READ unless a test says otherwise). */
  maxLeadsRead?: number;
}

const funnelSchema = z
  .object({
    leads: z.number().int(),
    eqls: z.number().int(),
    engagedEqls: z.number().int(),
    opportunityEqls: z.number().int(),
    wonEqls: z.number().int(),
    wonEqlsWithoutAmount: z.number().int(),
    revenueFromEqls: z.array(z.object({ currency: z.string(), amountMinor: z.number().int() })),
  })
  .meta({ id: 'EqlFunnel' });

const rowSchema = z.object({
  /** A partner id, a campaign id or a tier. */
  key: z.string(),
  label: z.string(),
  /** The campaign's partner (campaign rows), else null. */
  partnerName: z.string().nullable(),
  funnel: funnelSchema,
});

export const funnelReportSchema = z
  .object({
    by: z.enum(funnelGroupings),
    rows: z.array(rowSchema),
    /** Every distinct lead read, once (a lead two partners touched is in both partner rows). */
    total: funnelSchema,
    leadsRead: z.number().int(),
    /** False when the report stopped at its cap of rows read (MAX_LEADS_READ). */
    complete: z.boolean(),
    generatedAt: z.iso.datetime(),
  })
  .meta({ id: 'EqlFunnelReport' });
export type FunnelReport = z.infer<typeof funnelReportSchema>;
type Row = FunnelReport['rows'][number];

const querySchema = z.strictObject({
  by: z.enum(funnelGroupings).default('partner').meta({ description: 'How to group the leads' }),
});

const funnelLead = (lead: LeadSummary): FunnelLead => ({
  eql: lead.eql,
  engaged: lead.engaged,
  status: lead.status,
  wonAmountMinor: lead.won?.amountMinor,
  currency: lead.won?.currency,
});

/** Reads pages while the shared budget lasts; says whether it reached the end. */
const readAll = async <T>(
  budget: { left: number },
  page: (limit: number, cursor?: string) => Promise<Paged<T>>,
): Promise<{ items: T[]; complete: boolean }> => {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    if (budget.left <= 0) return { items, complete: false };
    const limit = Math.min(PAGE, budget.left);
    const next = await page(limit, cursor);
    budget.left -= next.items.length;
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return { items, complete: true };
};

type Tier = Partner['tier'];
const TIER_LABELS: Record<Tier, string> = {
  registered: 'Registered',
  silver: 'Silver',
  gold: 'Gold',
  platinum: 'Platinum',
};

const distinct = (leads: Iterable<LeadSummary>) => new Map([...leads].map((lead) => [lead.leadId, lead]));

const byLabel = (a: Row, b: Row) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);

/** One funnel per group; a lead in several groups (two campaigns, two partners) counts in each. */
const rowsOf = (
  memberships: { group: string; lead: LeadSummary }[],
  groups: readonly { key: string; label: string; partnerName?: string | null }[],
): Row[] => {
  const funnels = eqlFunnelBy(
    memberships.map((m) => ({ ...funnelLead(m.lead), group: m.group })),
    (m) => m.group,
  );
  return groups.map((group) => ({
    key: group.key,
    label: group.label,
    partnerName: group.partnerName ?? null,
    funnel: funnels.get(group.key) ?? eqlFunnel([]),
  }));
};

/** Each leads' partner, as marketing's per-partner and per-program reports need. */
const leadsPerPartner = async (deps: FunnelDeps, partners: readonly Partner[], budget: { left: number }) => {
  const perPartner: { partner: Partner; leads: LeadSummary[] }[] = [];
  let complete = true;
  for (const partner of partners) {
    const read = await readAll(budget, (limit, cursor) =>
      deps.leads.listForPartner(partner.id, limit, cursor),
    );
    perPartner.push({ partner, leads: read.items });
    complete &&= read.complete;
  }
  return { perPartner, complete };
};

const campaignRows = async (
  deps: FunnelDeps,
  leads: readonly LeadSummary[],
  campaignOf: (campaignId: string) => Promise<Campaign | undefined>,
): Promise<Row[]> => {
  const ids = [...new Set(leads.flatMap((lead) => lead.campaignIds))];
  const partnerNames = new Map<string, Promise<string>>();
  const partnerName = (partnerId: string) => {
    let name = partnerNames.get(partnerId);
    if (!name) {
      name = deps.partners.get(partnerId).then((p) => p?.name ?? partnerId);
      partnerNames.set(partnerId, name);
    }
    return name;
  };
  const groups: { key: string; label: string; partnerName: string | null }[] = [];
  for (let start = 0; start < ids.length; start += 10) {
    const batch = ids.slice(start, start + 10);
    groups.push(
      ...(await Promise.all(
        batch.map(async (id) => {
          const campaign = await campaignOf(id);
          return {
            key: id,
            label: campaign?.name ?? id,
            partnerName: campaign ? await partnerName(campaign.partnerId) : null,
          };
        }),
      )),
    );
  }
  const memberships = leads.flatMap((lead) => lead.campaignIds.map((group) => ({ group, lead })));
  return rowsOf(memberships, groups).sort(byLabel);
};

type Grouped = { rows: Row[]; leads: LeadSummary[]; complete: boolean };

/** A partner's own groups, counted from its own inbox only. */
const partnerGroups = async (
  deps: FunnelDeps,
  partnerId: string,
  by: FunnelGrouping,
  budget: { left: number },
): Promise<Grouped> => {
  const partner = await deps.partners.get(partnerId);
  const read = await readAll(budget, (limit, cursor) => deps.leads.listForPartner(partnerId, limit, cursor));
  const leads = [...distinct(read.items).values()];
  if (by === 'campaign') {
    const rows = await campaignRows(deps, leads, (id) => deps.campaigns.getForPartner(partnerId, id));
    return { rows, leads, complete: read.complete };
  }
  const key = by === 'program' ? (partner?.tier ?? 'registered') : partnerId;
  const label = by === 'program' ? TIER_LABELS[partner?.tier ?? 'registered'] : (partner?.name ?? partnerId);
  const rows = rowsOf(
    leads.map((lead) => ({ group: key, lead })),
    [{ key, label }],
  );
  return { rows, leads, complete: read.complete };
};

/** Marketing's groups per partner or tier: every partner's leads, from its inbox projection. */
const vendorGroups = async (
  deps: FunnelDeps,
  by: 'partner' | 'program',
  budget: { left: number },
): Promise<Grouped> => {
  const partners = await readAll({ left: MAX_PARTNERS }, (limit, cursor) =>
    deps.partners.list(limit, cursor),
  );
  const read = await leadsPerPartner(deps, partners.items, budget);
  const complete = read.complete && partners.complete;
  const leads = [...distinct(read.perPartner.flatMap((p) => p.leads)).values()];
  if (by === 'partner') {
    const rows = rowsOf(
      read.perPartner.flatMap(({ partner, leads: own }) => own.map((lead) => ({ group: partner.id, lead }))),
      partners.items.map((p) => ({ key: p.id, label: p.name })),
    ).sort(byLabel);
    return { rows, leads, complete };
  }
  // A lead two partners of one tier touched is one lead of that tier.
  const perTier = new Map<Tier, Map<string, LeadSummary>>();
  for (const { partner, leads: own } of read.perPartner) {
    const tierLeads = perTier.get(partner.tier) ?? new Map<string, LeadSummary>();
    for (const lead of own) tierLeads.set(lead.leadId, lead);
    perTier.set(partner.tier, tierLeads);
  }
  const present = tiers.filter((tier) => perTier.has(tier));
  const rows = rowsOf(
    present.flatMap((tier) =>
      [...(perTier.get(tier)?.values() ?? [])].map((lead) => ({ group: tier, lead })),
    ),
    present.map((tier) => ({ key: tier, label: TIER_LABELS[tier] })),
  );
  return { rows, leads, complete };
};

/** The report the caller may see: a partner's own groups, or (marketing) every group. */
export const funnelReport = async (
  deps: FunnelDeps,
  principal: Principal,
  by: FunnelGrouping,
): Promise<FunnelReport> => {
  const max = deps.maxLeadsRead ?? MAX_LEADS_READ;
  const budget = { left: max };
  const partnerId = callerPartnerId(principal);
  let grouped: Grouped;
  if (partnerId !== null) grouped = await partnerGroups(deps, partnerId, by, budget);
  else if (by === 'campaign') {
    const read = await readAll(budget, (limit, cursor) => deps.leads.listAll(limit, cursor));
    const leads = [...distinct(read.items).values()];
    const rows = await campaignRows(deps, leads, (id) => deps.campaigns.get(id));
    grouped = { rows, leads, complete: read.complete };
  } else grouped = await vendorGroups(deps, by, budget);

  return {
    by,
    rows: grouped.rows,
    total: eqlFunnel(grouped.leads.map(funnelLead)),
    leadsRead: max - budget.left,
    complete: grouped.complete,
    generatedAt: deps.clock().toISOString(),
  };
};

export const funnelRoutes = (deps: FunnelDeps) =>
  createRouter().openapi(
    secureRoute(['marketing', 'partner'], {
      method: 'get',
      path: '/reports/eql-funnel',
      tags: ['Leads'],
      summary:
        'The EQL funnel per partner, campaign or program (tier): marketing sees every group, a partner its own',
      description: `EQLs, engaged EQLs, EQLs converted to opportunities, closed-won EQLs and revenue from them per currency, in integer minor units. Counted from the leads on each request, at most ${MAX_LEADS_READ.toLocaleString('en')} of them (\`complete: false\` past that).`,
      request: { query: querySchema },
      responses: { 200: json(funnelReportSchema, 'The funnel, one row per group'), ...commonProblems },
    }),
    async (c) => c.json(await funnelReport(deps, principalOf(c), c.req.valid('query').by), 200),
  );
