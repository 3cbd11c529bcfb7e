import type { ItemKey, Table } from '#platform/table';
import { type CounterName, type CounterStore, type Counters, counterNames } from './contracts';

/**
 * Campaign counters in DynamoDB: one item per campaign and one per campaign-hour, moved with
 * atomic `ADD` updates so concurrent workers and event consumers never lose an increment.
 * Callers make each increment once (conditional writes on send records and event markers).
 *
 * They use Table.add (atomic ADD), not the optimistic update, which would make every counter
 * a hot conflict.
 *
 * | access pattern                | index | key condition                                 |
 * | ----------------------------- | ----- | --------------------------------------------- |
 * | a campaign's totals           | table | pk = COUNTERS#<campaignId>, sk = TOTAL        |
 * | a campaign's hourly series    | table | pk = COUNTERS#<campaignId>, sk begins_with H# |
 */
export const extraCounterNames = ['humanClicked', 'uniqueHumanClicked'] as const;
export type ExtraCounterName = (typeof extraCounterNames)[number];
export type Increments = Partial<Record<CounterName | ExtraCounterName, number>>;
type AnyCounter = CounterName | ExtraCounterName;
const allNames: readonly string[] = [...counterNames, ...extraCounterNames];
const isCounter = (name: string): name is AnyCounter => allNames.includes(name);
export type AllCounters = Counters & Record<ExtraCounterName, number>;

/** Every counter at zero (a campaign nothing has happened to yet). */
export const zeroCounters = (): AllCounters => ({
  queued: 0,
  sent: 0,
  failed: 0,
  suppressed: 0,
  delivered: 0,
  bounced: 0,
  softBounced: 0,
  complained: 0,
  opened: 0,
  uniqueOpened: 0,
  clicked: 0,
  uniqueClicked: 0,
  unsubscribed: 0,
  humanClicked: 0,
  uniqueHumanClicked: 0,
});

/** Sums two sets of increments (used to report what a call added). */
export const mergeIncrements = (a: Increments, b: Increments): Increments => {
  const out: Increments = { ...a };
  for (const [name, value] of Object.entries(b)) {
    if (isCounter(name) && typeof value === 'number') out[name] = (out[name] ?? 0) + value;
  }
  return out;
};

export const counterKeys = {
  total: (campaignId: string): ItemKey => ({ pk: `COUNTERS#${campaignId}`, sk: 'TOTAL' }),
  /** `H#2026-11-24T23`: the UTC hour. */
  hour: (campaignId: string, at: Date): ItemKey => ({
    pk: `COUNTERS#${campaignId}`,
    sk: `H#${at.toISOString().slice(0, 13)}`,
  }),
};

/** The counters among the increments, non-zero, as Table.add deltas. */
export const counterDeltas = (increments: Increments): Record<string, number> =>
  Object.fromEntries(
    Object.entries(increments).filter(
      (entry): entry is [string, number] =>
        isCounter(entry[0]) && typeof entry[1] === 'number' && entry[1] !== 0,
    ),
  );

const read = (item: Record<string, unknown> | undefined): AllCounters => {
  const counters = zeroCounters();
  for (const [name, value] of Object.entries(item ?? {})) {
    if (isCounter(name) && typeof value === 'number') counters[name] = value;
  }
  return counters;
};

export interface DynamoCounterStore extends CounterStore {
  add(campaignId: string, increments: Increments, at: Date): Promise<void>;
  get(campaignId: string): Promise<AllCounters>;
  hours(campaignId: string): Promise<{ hour: string; counters: Counters }[]>;
}

export const dynamoCounterStore = (table: Table): DynamoCounterStore => ({
  async add(campaignId, increments, at) {
    const deltas = counterDeltas(increments);
    if (Object.keys(deltas).length === 0) return;
    await Promise.all(
      [counterKeys.total(campaignId), counterKeys.hour(campaignId, at)].map((key) =>
        table.add(key, 'campaign-counters', deltas),
      ),
    );
  },
  async get(campaignId) {
    return read(await table.get(counterKeys.total(campaignId)));
  },
  async hours(campaignId) {
    const page = await table.query({ partition: `COUNTERS#${campaignId}`, prefix: 'H#', limit: 24 * 31 });
    return page.items.map((item) => ({ hour: String(item.sk).slice(2), counters: read(item) }));
  },
});

/** For unit tests, benchmarks and the in-memory runtime paths. */
export const memoryCounterStore = (): DynamoCounterStore => {
  const totals = new Map<string, Increments>();
  const hours = new Map<string, Map<string, Increments>>();
  const bump = (target: Increments, increments: Increments) => {
    for (const [name, value] of Object.entries(increments)) {
      if (isCounter(name) && typeof value === 'number') target[name] = (target[name] ?? 0) + value;
    }
  };
  return {
    async add(campaignId, increments, at) {
      const total = totals.get(campaignId) ?? {};
      bump(total, increments);
      totals.set(campaignId, total);
      const series = hours.get(campaignId) ?? new Map<string, Increments>();
      const hour = at.toISOString().slice(0, 13);
      const bucket = series.get(hour) ?? {};
      bump(bucket, increments);
      series.set(hour, bucket);
      hours.set(campaignId, series);
    },
    async get(campaignId) {
      return read(totals.get(campaignId));
    },
    async hours(campaignId) {
      return [...(hours.get(campaignId) ?? new Map<string, Increments>())].map(([hour, c]) => ({
        hour,
        counters: read(c),
      }));
    },
  };
};
