import type { ItemKey } from '#platform/table';

/**
 * ROPI report items on the shared table (pure functions, tested by exact value). Reports read
 * only these aggregates and the campaigns' own counters, never a send or a lead, so what a
 * report costs depends on the number of partners and campaigns, not on sends or leads:
 *
 * | access pattern                                     | index | key condition                                      |
 * | -------------------------------------------------- | ----- | -------------------------------------------------- |
 * | the program row and every partner's row (1 Query)  | table | pk = ROPI, sk = PROGRAM / begins_with PARTNER#     |
 * | one partner's row                                  | table | pk = ROPI, sk = PARTNER#<partnerId>                |
 * | a partner's campaign rows (1 Query)                | table | pk = ROPI#<partnerId>, sk begins_with CAMPAIGN#    |
 * | what the aggregates last counted for a lead        | table | pk = ROPI_LEAD#<leadId>, sk = COUNTED              |
 * | a lead event applied to the aggregates, once       | table | pk = ROPI_LEAD#<leadId>, sk = APPLIED#<version>#<kind> |
 *
 * Why the program and partner rows share one partition: marketing's report reads them in one
 * Query. Every counted lead event writes the program item anyway (one item, so one partition's
 * ~1,000 writes/s is the ceiling either way), far above the rate at which leads change.
 */
export const AGGREGATES_PARTITION = 'ROPI';

export const programAggregateKey = (): ItemKey => ({ pk: AGGREGATES_PARTITION, sk: 'PROGRAM' });

export const partnerAggregateKey = (partnerId: string): ItemKey => ({
  pk: AGGREGATES_PARTITION,
  sk: `PARTNER#${partnerId}`,
});

export const campaignAggregateKey = (partnerId: string, campaignId: string): ItemKey => ({
  pk: `${AGGREGATES_PARTITION}#${partnerId}`,
  sk: `CAMPAIGN#${campaignId}`,
});

/** The program item and every partner's item. */
export const programAndPartners = () => ({ partition: AGGREGATES_PARTITION }) as const;

export const campaignsOfPartner = (partnerId: string) =>
  ({ partition: `${AGGREGATES_PARTITION}#${partnerId}`, prefix: 'CAMPAIGN#' }) as const;

export const countedKey = (leadId: string): ItemKey => ({ pk: `ROPI_LEAD#${leadId}`, sk: 'COUNTED' });

/** Versions padded so a lead's markers sort by version. */
export const appliedKey = (event: { leadId: string; version: number; kind: string }): ItemKey => ({
  pk: `ROPI_LEAD#${event.leadId}`,
  sk: `APPLIED#${String(event.version).padStart(8, '0')}#${event.kind}`,
});

/** The partitions the lead-effects consumer writes for reports (its IAM grant), and reads. */
export const ROPI_WRITE_PREFIXES = ['ROPI'] as const;
export const ROPI_READ_PREFIXES = ['ROPI_LEAD#'] as const;

/**
 * Counter attributes on an aggregate item. Money counters carry their currency in the name
 * (`wonMinor_USD`), so amounts in different currencies are different counters and never added.
 */
export const counterAttributes = ['leads', 'eqls', 'sourced', 'influenced'] as const;
export type CounterAttribute = (typeof counterAttributes)[number];
export const moneyKinds = ['paid', 'pipeline', 'won'] as const;
export type MoneyKind = (typeof moneyKinds)[number];

export const moneyAttribute = (kind: MoneyKind, currency: string): string => `${kind}Minor_${currency}`;

const MONEY = /^(paid|pipeline|won)Minor_([A-Z]{3})$/;
export const parseMoneyAttribute = (name: string): { kind: MoneyKind; currency: string } | undefined => {
  const match = MONEY.exec(name);
  const kind = moneyKinds.find((k) => k === match?.[1]);
  return kind && match?.[2] ? { kind, currency: match[2] } : undefined;
};
