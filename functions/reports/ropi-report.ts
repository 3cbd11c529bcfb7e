import * as z from 'zod';
import type { Principal } from '#functions/auth/principal';
import { callerPartnerId, partnerIdInScope } from '#functions/auth/tenancy';
import type { CampaignStore, Paged } from '#functions/campaigns/store';
import type { PartnerStore } from '#functions/partners/store';
import { NotFoundError, ValidationError } from '#platform/errors';
import { type Aggregate, type AggregateReader, emptyAggregate } from './aggregates';
import { moneyFigures } from './ropi-money';

/**
 * Return on partner investment per program, partner and campaign, read from the precomputed
 * aggregates (aggregates.ts) and the campaigns' own counters: never a send or a lead, so a
 * report's cost grows with partners and campaigns only (`npm run bench -- reports`).
 *
 * Requests per report: marketing's program report reads the partner list (1 Query per 100
 * partners), the program and partner aggregates (1 Query), each partner's campaign list (1 Query
 * each, for sends) and the send counters (1 BatchGetItem per 100 campaigns). A partner's report
 * reads its partner, its aggregate, its campaigns and their counters.
 */
export interface RopiDeps {
  aggregates: AggregateReader;
  partners: Pick<PartnerStore, 'get' | 'list'>;
  campaigns: Pick<CampaignStore, 'listForPartner'>;
  clock: () => Date;
}

const money = z
  .object({
    currency: z.string(),
    paidMinor: z.number().int().meta({ description: 'MDF paid, integer minor units' }),
    pipelineMinor: z.number().int().meta({ description: 'Opportunity amounts (pipeline generated)' }),
    wonMinor: z.number().int().meta({ description: 'Won revenue' }),
    wonRopi: z.string().nullable().meta({
      description:
        'Won revenue ÷ MDF paid in this currency, 2 decimals rounded down; null when nothing was paid',
      example: '4.25',
    }),
    pipelineRopi: z.string().nullable().meta({ description: 'Pipeline ÷ MDF paid in this currency' }),
    costPerLeadMinor: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'floor(MDF paid ÷ leads); null when nothing was paid or there are no leads' }),
    costPerEqlMinor: z.number().int().nullable().meta({ description: 'floor(MDF paid ÷ EQLs)' }),
  })
  .meta({ id: 'RopiMoney' });

export const ropiRowSchema = z
  .object({
    /** A partner id, a campaign id, or `program`. */
    key: z.string(),
    label: z.string(),
    leads: z.number().int(),
    eqls: z.number().int(),
    sourced: z.number().int().meta({ description: 'Leads whose first partner touch is this row’s' }),
    influenced: z.number().int().meta({ description: 'Leads this row touched after another first touch' }),
    sends: z.number().int().meta({ description: 'Emails sent (the campaigns’ counters)' }),
    money: z.array(money).meta({ description: 'One entry per currency; currencies are never added' }),
  })
  .meta({ id: 'RopiRow' });
export type RopiRow = z.infer<typeof ropiRowSchema>;

export const ropiReportSchema = z
  .object({
    /** Every lead once; null for a partner (it would show other partners' numbers). */
    program: ropiRowSchema.nullable(),
    partners: z.array(ropiRowSchema),
    generatedAt: z.iso.datetime(),
  })
  .meta({ id: 'RopiReport' });
export type RopiReport = z.infer<typeof ropiReportSchema>;

export const ropiCampaignReportSchema = z
  .object({ partnerId: z.string(), campaigns: z.array(ropiRowSchema), generatedAt: z.iso.datetime() })
  .meta({ id: 'RopiCampaignReport' });
export type RopiCampaignReport = z.infer<typeof ropiCampaignReportSchema>;

const rowOf = (key: string, label: string, aggregate: Aggregate, sends: number): RopiRow => ({
  key,
  label,
  leads: aggregate.leads,
  eqls: aggregate.eqls,
  sourced: aggregate.sourced,
  influenced: aggregate.influenced,
  sends,
  money: moneyFigures(aggregate.money, aggregate),
});

const byLabel = (a: RopiRow, b: RopiRow) =>
  a.label < b.label ? -1 : a.label > b.label ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

const readAll = async <T>(page: (cursor?: string) => Promise<Paged<T>>): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return items;
};

const campaignsOf = (deps: RopiDeps, partnerId: string) =>
  readAll((cursor) => deps.campaigns.listForPartner(partnerId, 100, cursor));

/** Maps with a bounded number of calls in flight (a marketing report lists every partner's campaigns). */
const mapLimited = async <T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>) => {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
};

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** The program and every partner (marketing, auditors), or the caller's own partner row only. */
export const ropiReport = async (
  deps: RopiDeps,
  principal: Principal,
  requestedPartnerId?: string,
): Promise<RopiReport> => {
  const generatedAt = deps.clock().toISOString();
  const own = callerPartnerId(principal);
  if (own !== null) {
    const partnerId = partnerIdInScope(principal, requestedPartnerId ?? own);
    const [partner, aggregate, campaigns] = await Promise.all([
      deps.partners.get(partnerId),
      deps.aggregates.partner(partnerId),
      campaignsOf(deps, partnerId),
    ]);
    const sends = await deps.aggregates.sends(campaigns.map((c) => c.id));
    return {
      program: null,
      partners: [rowOf(partnerId, partner?.name ?? partnerId, aggregate, sum(sends.values()))],
      generatedAt,
    };
  }
  const [partners, aggregates] = await Promise.all([
    readAll((cursor) => deps.partners.list(100, cursor)),
    deps.aggregates.programAndPartners(),
  ]);
  const campaignIds = await mapLimited(partners, 8, async (p) => ({
    partnerId: p.id,
    ids: (await campaignsOf(deps, p.id)).map((c) => c.id),
  }));
  const sends = await deps.aggregates.sends(campaignIds.flatMap((c) => c.ids));
  const sendsOf = (partnerId: string) =>
    sum((campaignIds.find((c) => c.partnerId === partnerId)?.ids ?? []).map((id) => sends.get(id) ?? 0));
  const labels = new Map(partners.map((p) => [p.id, p.name]));
  // Partners with aggregates but no longer listed still show (their money was real).
  const ids = [...new Set([...labels.keys(), ...aggregates.partners.keys()])];
  if (requestedPartnerId !== undefined && !ids.includes(requestedPartnerId)) {
    throw new NotFoundError('no such partner');
  }
  const rows = ids
    .filter((id) => requestedPartnerId === undefined || id === requestedPartnerId)
    .map((id) =>
      rowOf(id, labels.get(id) ?? id, aggregates.partners.get(id) ?? emptyAggregate(), sendsOf(id)),
    )
    .sort(byLabel);
  return {
    program: rowOf('program', 'Program', aggregates.program, sum(sends.values())),
    partners: rows,
    generatedAt,
  };
};

/** A partner's campaigns: its own for a partner user; any partner's for marketing and auditors. */
export const ropiCampaignReport = async (
  deps: RopiDeps,
  principal: Principal,
  requestedPartnerId?: string,
): Promise<RopiCampaignReport> => {
  const own = callerPartnerId(principal);
  let partnerId: string;
  if (own !== null) partnerId = partnerIdInScope(principal, requestedPartnerId ?? own);
  else if (requestedPartnerId === undefined) {
    throw new ValidationError('name the partner whose campaigns to report', [
      { path: 'query.partnerId', message: 'required for marketing and auditors' },
    ]);
  } else {
    partnerId = requestedPartnerId;
    if (!(await deps.partners.get(partnerId))) throw new NotFoundError('no such partner');
  }
  const [campaigns, aggregates] = await Promise.all([
    campaignsOf(deps, partnerId),
    deps.aggregates.campaigns(partnerId),
  ]);
  const labels = new Map(campaigns.map((c) => [c.id, c.name]));
  const ids = [...new Set([...labels.keys(), ...aggregates.keys()])];
  const sends = await deps.aggregates.sends(ids);
  return {
    partnerId,
    campaigns: ids
      .map((id) =>
        rowOf(id, labels.get(id) ?? id, aggregates.get(id) ?? emptyAggregate(), sends.get(id) ?? 0),
      )
      .sort(byLabel),
    generatedAt: deps.clock().toISOString(),
  };
};
