import { PreconditionFailedError } from '#platform/errors';
import type { Increments } from './counters';
import type { Outcome, SendRecord, SendRecords } from './send-records';

/**
 * What happens to a send after it left: delivery outcome, complaints, opens, clicks,
 * unsubscribes. Each is a conditional change of the send record, so counters move once per
 * send however often the same event or request arrives; totals (every open, every click) move
 * per request or per distinct SES event.
 */
export interface EngagementDeps {
  records: Pick<SendRecords, 'get' | 'change'>;
  counters: { add(campaignId: string, increments: Increments, at: Date): Promise<void> };
}

/** Re-reads and retries when another writer moved the record in between (optimistic concurrency). */
export const mutate = async (
  records: EngagementDeps['records'],
  start: SendRecord,
  decide: (current: SendRecord) => { changes: Partial<SendRecord>; increments: Increments } | undefined,
): Promise<Increments> => {
  let current: SendRecord | undefined = start;
  for (let attempt = 0; attempt < 6 && current; attempt += 1) {
    const decision = decide(current);
    if (!decision) return {};
    if (Object.keys(decision.changes).length === 0) return decision.increments;
    try {
      await records.change(current, decision.changes);
      return decision.increments;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      current = await records.get(current);
    }
  }
  throw new Error('the send record kept changing; try again');
};

const rank = (outcome: Outcome | undefined) =>
  outcome ? ['delivered', 'softBounced', 'bounced'].indexOf(outcome) : -1;

/** Delivery < soft bounce < hard bounce: a later Bounce wins over a Delivery, never the reverse. */
export const outcomeChange = (record: SendRecord, next: Outcome) => {
  if (rank(next) <= rank(record.outcome)) return undefined;
  const increments: Increments = { [next]: 1 };
  if (record.outcome) increments[record.outcome] = -1;
  return { changes: { outcome: next }, increments };
};

export const recordOutcome = async (deps: EngagementDeps, record: SendRecord, next: Outcome, at: Date) => {
  const increments = await mutate(deps.records, record, (r) => outcomeChange(r, next));
  await deps.counters.add(record.campaignId, increments, at);
  return increments;
};

export const recordComplaint = async (deps: EngagementDeps, record: SendRecord, at: Date) => {
  const increments = await mutate(deps.records, record, (r) =>
    r.complainedAt
      ? undefined
      : { changes: { complainedAt: at.toISOString() }, increments: { complained: 1 } },
  );
  await deps.counters.add(record.campaignId, increments, at);
  return increments;
};

/**
 * Every open counts in the total, the first per send in the unique count. Opens are not
 * engagement: Apple Mail Privacy Protection fetches every pixel (machine opens), so reports
 * must never treat an open alone as interest.
 */
export const recordOpen = async (deps: EngagementDeps, record: SendRecord, at: Date) => {
  const increments = await mutate(deps.records, record, (r) =>
    r.openedAt
      ? { changes: {}, increments: { opened: 1 } }
      : { changes: { openedAt: at.toISOString() }, increments: { opened: 1, uniqueOpened: 1 } },
  );
  await deps.counters.add(record.campaignId, increments, at);
  return increments;
};

export interface ClickRules {
  /** Security scanners follow links within seconds of delivery; later clicks may be people. */
  humanAfterMs: number;
  /** Two different links of one message this close together: a scanner clicking them all. */
  burstMs: number;
}

export const defaultClickRules: ClickRules = { humanAfterMs: 10_000, burstMs: 2_000 };

/** Raw, unique and "probably human" clicks: human = a GET, after the first seconds, not part of a burst. */
export const clickChange = (
  record: SendRecord,
  click: { link: number; at: Date; method: 'GET' | 'HEAD' | 'SES' },
  rules: ClickRules,
) => {
  const at = click.at.getTime();
  const sentAt = record.sentAt ? Date.parse(record.sentAt) : at;
  const burst =
    record.lastClick !== undefined &&
    record.lastClick.link !== click.link &&
    Math.abs(at - record.lastClick.at) < rules.burstMs;
  const human = click.method === 'GET' && at - sentAt >= rules.humanAfterMs && !burst;
  const increments: Increments = { clicked: 1 };
  const changes: Partial<SendRecord> = { lastClick: { at, link: click.link } };
  if (!record.clickedAt) {
    changes.clickedAt = click.at.toISOString();
    increments.uniqueClicked = 1;
  }
  if (human) {
    increments.humanClicked = 1;
    if (!record.humanClickedAt) {
      changes.humanClickedAt = click.at.toISOString();
      increments.uniqueHumanClicked = 1;
    }
  }
  return { changes, increments, human };
};

export const recordClick = async (
  deps: EngagementDeps,
  record: SendRecord,
  click: { link: number; at: Date; method: 'GET' | 'HEAD' | 'SES' },
  rules: ClickRules = defaultClickRules,
) => {
  const increments = await mutate(deps.records, record, (r) => clickChange(r, click, rules));
  await deps.counters.add(record.campaignId, increments, click.at);
  return increments;
};

export const recordUnsubscribe = async (deps: EngagementDeps, record: SendRecord, at: Date) => {
  const increments = await mutate(deps.records, record, (r) =>
    r.unsubscribedAt
      ? undefined
      : { changes: { unsubscribedAt: at.toISOString() }, increments: { unsubscribed: 1 } },
  );
  await deps.counters.add(record.campaignId, increments, at);
  return increments;
};
