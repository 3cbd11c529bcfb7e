import * as z from 'zod';
import { counterKeys } from '#functions/sending/counters';
import type { Table, TransactAction } from '#platform/table';
import type { LevelCounts } from './ropi-counts';
import {
  campaignAggregateKey,
  campaignsOfPartner,
  countedKey,
  counterAttributes,
  moneyAttribute,
  parseMoneyAttribute,
  partnerAggregateKey,
  programAggregateKey,
  programAndPartners,
} from './ropi-keys';
import type { CurrencyTotals } from './ropi-money';

/**
 * The ROPI aggregates as stored and read. Items are moved only by atomic ADDs in transactions
 * (`increment` actions): the lead-effects updater (ropi-updater.ts) and the claims code's
 * payment transaction (`paidAggregateActions`). Reading is a Query or two per report.
 */
export const AGGREGATE_TYPE = 'ropi-aggregate';

export interface Aggregate {
  leads: number;
  eqls: number;
  sourced: number;
  influenced: number;
  /** Per currency: MDF paid, pipeline generated and won revenue, in minor units. */
  money: Record<string, CurrencyTotals>;
}

export const emptyAggregate = (): Aggregate => ({ leads: 0, eqls: 0, sourced: 0, influenced: 0, money: {} });

/** An aggregate item's counters (any other attribute ignored; a missing counter is zero). */
export const aggregateOf = (item: Record<string, unknown> | undefined): Aggregate => {
  const aggregate = emptyAggregate();
  for (const [name, value] of Object.entries(item ?? {})) {
    if (typeof value !== 'number') continue;
    const counter = counterAttributes.find((c) => c === name);
    if (counter) {
      aggregate[counter] = value;
      continue;
    }
    const money = parseMoneyAttribute(name);
    if (!money) continue;
    const totals = aggregate.money[money.currency] ?? { paidMinor: 0, pipelineMinor: 0, wonMinor: 0 };
    totals[`${money.kind}Minor`] = value;
    aggregate.money[money.currency] = totals;
  }
  return aggregate;
};

/**
 * The transaction actions that record an MDF payment in the aggregates: the partner's row, the
 * program row and (when the claim names one) the campaign's row. The claims code appends them to
 * the transaction that marks the claim paid, so payment and aggregates move together and exactly
 * once (that transaction's own condition on the claim refuses a second payment). `at` (the
 * payment's time) is checked but not stored: the aggregates are all-time totals today; per-period
 * rows would add it to the keys.
 */
export const paidAggregateActions = (input: {
  partnerId: string;
  campaignId: string | null;
  currency: string;
  paidMinor: number;
  at: string;
}): TransactAction[] => {
  if (!Number.isSafeInteger(input.paidMinor) || input.paidMinor < 0) {
    throw new RangeError('paidMinor must be a non-negative integer (minor units)');
  }
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new RangeError('currency must be an ISO 4217 code');
  if (!z.iso.datetime().safeParse(input.at).success) throw new RangeError('at must be an ISO-8601 UTC time');
  if (input.paidMinor === 0) return [];
  const add = { [moneyAttribute('paid', input.currency)]: input.paidMinor };
  const keys = [
    programAggregateKey(),
    partnerAggregateKey(input.partnerId),
    ...(input.campaignId ? [campaignAggregateKey(input.partnerId, input.campaignId)] : []),
  ];
  return keys.map((key) => ({ increment: key, type: AGGREGATE_TYPE, add }));
};

/** The actions that move the aggregates by a delta (one per changed item). */
export const deltaActions = (delta: readonly LevelCounts[]): TransactAction[] =>
  delta.map((level) => ({ increment: level.key, type: AGGREGATE_TYPE, add: level.counts }));

const levelSchema = z.object({
  key: z.object({ pk: z.string(), sk: z.string() }),
  counts: z.record(z.string(), z.number()),
});
const countedSchema = z.object({
  version: z.number().int().positive(),
  leadVersion: z.number().int().positive(),
  levels: z.array(levelSchema),
});
export type Counted = z.infer<typeof countedSchema>;

export const countedItem = (leadId: string, counted: Counted, at: string) => ({
  ...countedKey(leadId),
  type: 'ropi-counted',
  ...counted,
  updatedAt: at,
});

export interface AggregateReader {
  /** The program item and every partner's item (one Query, paged if ever over 1 MB). */
  programAndPartners(): Promise<{ program: Aggregate; partners: Map<string, Aggregate> }>;
  /** One partner's item. */
  partner(partnerId: string): Promise<Aggregate>;
  /** A partner's campaign items, by campaign id. */
  campaigns(partnerId: string): Promise<Map<string, Aggregate>>;
  /** Sends (the campaign counters' `sent`) per campaign, read in batches of 100. */
  sends(campaignIds: readonly string[]): Promise<Map<string, number>>;
}

const queryAll = async (
  table: Table,
  query: { partition: string; prefix?: string },
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await table.query({ ...query, limit: 1000, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
};

const PARTNER_SK = /^PARTNER#(.+)$/;
const CAMPAIGN_SK = /^CAMPAIGN#(.+)$/;

export const aggregateReader = (table: Table): AggregateReader => ({
  async programAndPartners() {
    let program = emptyAggregate();
    const partners = new Map<string, Aggregate>();
    for (const item of await queryAll(table, programAndPartners())) {
      const sk = String(item.sk);
      if (sk === programAggregateKey().sk) program = aggregateOf(item);
      const partnerId = PARTNER_SK.exec(sk)?.[1];
      if (partnerId) partners.set(partnerId, aggregateOf(item));
    }
    return { program, partners };
  },
  async partner(partnerId) {
    return aggregateOf(await table.get(partnerAggregateKey(partnerId)));
  },
  async campaigns(partnerId) {
    const campaigns = new Map<string, Aggregate>();
    for (const item of await queryAll(table, campaignsOfPartner(partnerId))) {
      const campaignId = CAMPAIGN_SK.exec(String(item.sk))?.[1];
      if (campaignId) campaigns.set(campaignId, aggregateOf(item));
    }
    return campaigns;
  },
  async sends(campaignIds) {
    const items = await table.getMany(campaignIds.map((id) => counterKeys.total(id)));
    return new Map(
      campaignIds.map((id, i) => {
        const sent = items[i]?.sent;
        return [id, typeof sent === 'number' ? sent : 0];
      }),
    );
  },
});

/** What the aggregates last counted for a lead (undefined: nothing yet). */
export const readCounted = async (table: Table, leadId: string): Promise<Counted | undefined> => {
  const item = await table.get(countedKey(leadId));
  return item ? countedSchema.parse(item) : undefined;
};
