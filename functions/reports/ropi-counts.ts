import { sortTouches } from '#functions/leads/attribution';
import type { Lead } from '#functions/leads/lead-schema';
import type { ItemKey } from '#platform/table';
import { campaignAggregateKey, moneyAttribute, partnerAggregateKey, programAggregateKey } from './ropi-keys';

/**
 * What one lead adds to each aggregate, and how the aggregates move when the lead changes (pure).
 *
 * A lead's contribution is a set of counters per aggregate item: the program (every lead once),
 * each partner that touched it, and each (partner, campaign) pair of its touches. The updater
 * stores the contribution it last counted for the lead; a change of the lead then moves the
 * aggregates by (new contribution − counted one). So a lead becoming an EQL later counts once,
 * an opportunity's amount moves from nowhere into pipeline, a won lead adds won revenue (and
 * keeps its pipeline: pipeline generated), and a redelivered event computes a zero delta.
 *
 * Sourced or influenced, for a partner: sourced when the lead's attribution is partner-sourced
 * and that partner's touch is the first partner touch; influenced when it touched the lead
 * otherwise. For a campaign: sourced when that first partner touch was also this campaign's.
 * Revenue counts whole in every partner and campaign row that touched the lead (each partner's
 * "revenue it touched"); the program row counts each lead once, so partner rows of shared leads
 * add up to more than the program row, as in the EQL funnel report.
 */
export type Counts = Record<string, number>;

export interface LevelCounts {
  key: ItemKey;
  counts: Counts;
}

type CountedLead = Pick<Lead, 'touches' | 'partnerIds' | 'attribution' | 'eql' | 'pipeline' | 'won'>;

const flag = (value: boolean) => (value ? 1 : 0);

const withoutZeros = (counts: Counts): Counts =>
  Object.fromEntries(Object.entries(counts).filter(([, value]) => value !== 0));

export const contributionsOf = (lead: CountedLead): LevelCounts[] => {
  const money: Counts = {};
  if (lead.pipeline) money[moneyAttribute('pipeline', lead.pipeline.currency)] = lead.pipeline.amountMinor;
  if (lead.won) {
    const name = moneyAttribute('won', lead.won.currency);
    money[name] = (money[name] ?? 0) + lead.won.amountMinor;
  }
  const eqls = flag(lead.eql.eql);
  const sourcedKind = lead.attribution.kind === 'partner-sourced';
  const row = (sourced: boolean, influenced: boolean): Counts =>
    withoutZeros({ leads: 1, eqls, sourced: flag(sourced), influenced: flag(influenced), ...money });

  const program: LevelCounts = {
    key: programAggregateKey(),
    counts: row(sourcedKind, lead.attribution.kind === 'partner-influenced'),
  };
  const sourcedPartner = sourcedKind ? lead.attribution.firstPartnerId : undefined;
  const partners = [...new Set(lead.partnerIds)].map((partnerId) => ({
    key: partnerAggregateKey(partnerId),
    counts: row(partnerId === sourcedPartner, partnerId !== sourcedPartner),
  }));
  const partnerTouches = sortTouches(lead.touches).filter((t) => t.partnerId !== undefined);
  const first = partnerTouches[0];
  const pairs = new Map<string, { partnerId: string; campaignId: string }>();
  for (const touch of partnerTouches) {
    if (touch.partnerId === undefined || touch.campaignId === undefined) continue;
    pairs.set(JSON.stringify([touch.partnerId, touch.campaignId]), {
      partnerId: touch.partnerId,
      campaignId: touch.campaignId,
    });
  }
  const campaigns = [...pairs.values()].map(({ partnerId, campaignId }) => {
    const sourced =
      partnerId === sourcedPartner && first?.partnerId === partnerId && first.campaignId === campaignId;
    return { key: campaignAggregateKey(partnerId, campaignId), counts: row(sourced, !sourced) };
  });
  return [program, ...partners, ...campaigns];
};

const idOf = (key: ItemKey) => `${key.pk}\u0000${key.sk}`;

/**
 * How each aggregate must move to go from counting `before` to counting `after`: per item, the
 * counters that differ (after − before), items with no change left out. Order: `after`'s items,
 * then items only `before` had.
 */
export const deltaOf = (before: readonly LevelCounts[], after: readonly LevelCounts[]): LevelCounts[] => {
  const levels = new Map<string, { key: ItemKey; before: Counts; after: Counts }>();
  for (const level of after) levels.set(idOf(level.key), { key: level.key, before: {}, after: level.counts });
  for (const level of before) {
    const found = levels.get(idOf(level.key));
    if (found) found.before = level.counts;
    else levels.set(idOf(level.key), { key: level.key, before: level.counts, after: {} });
  }
  return [...levels.values()].flatMap(({ key, before: was, after: now }) => {
    const names = new Set([...Object.keys(was), ...Object.keys(now)]);
    const counts = withoutZeros(
      Object.fromEntries([...names].map((name) => [name, (now[name] ?? 0) - (was[name] ?? 0)])),
    );
    return Object.keys(counts).length > 0 ? [{ key, counts }] : [];
  });
};
