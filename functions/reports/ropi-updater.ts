import { expiresAfter } from '#functions/leads/effects/keys';
import type { LeadEvent } from '#functions/leads/lead-events';
import type { Lead } from '#functions/leads/lead-schema';
import { type Table, type TransactAction, TransactionConflictError } from '#platform/table';
import { type Counted, countedItem, deltaActions, readCounted } from './aggregates';
import { contributionsOf, deltaOf, type LevelCounts } from './ropi-counts';
import { appliedKey } from './ropi-keys';

/**
 * Keeps the ROPI aggregates in step with the leads: run by the lead-effects consumer for every
 * lead event (at-least-once), with the lead as stored when the event is handled.
 *
 * Exactly once, two ways in one transaction:
 * - the lead's "counted" item holds what the aggregates last counted for it and the lead version
 *   that was; it is written with a version guard, so two events of one lead handled at once
 *   cannot both apply the same delta (the loser re-reads and computes a smaller one), and an
 *   event whose lead is not newer than what was counted changes nothing (redelivery, or an older
 *   event arriving after a newer one);
 * - the event's marker (`APPLIED#<version>#<kind>`, put if absent) is the receipt of the event
 *   that moved the aggregates: a redelivered event fails its condition and changes nothing.
 * An event that changes no counter writes nothing (most repeat submissions).
 */
export type RopiOutcome = 'counted' | 'unchanged' | 'duplicate' | 'not-newer';

/** Actions a transaction may hold (DynamoDB's limit), less the marker and the counted item. */
const MAX_LEVEL_ACTIONS = 98;
const ATTEMPTS = 4;

export interface RopiUpdaterOptions {
  clock?: () => Date;
}

/** The marker, the counted item (version-guarded) and one ADD per aggregate that moves. */
const actionsFor = (
  event: LeadEvent,
  lead: Lead,
  counted: Counted | undefined,
  after: LevelCounts[],
  delta: LevelCounts[],
  now: Date,
): TransactAction[] => {
  const next = { version: (counted?.version ?? 0) + 1, leadVersion: lead.version, levels: after };
  const countedPut = countedItem(lead.id, next, now.toISOString());
  return [
    {
      put: {
        ...appliedKey(event),
        type: 'ropi-applied',
        version: 1,
        leadVersion: lead.version,
        expiresAt: expiresAfter(now),
      },
      ifAbsent: true,
    },
    counted ? { put: countedPut, ifVersion: counted.version } : { put: countedPut, ifAbsent: true },
    ...deltaActions(delta),
  ];
};

/** One read-compute-write; 'retry' when another event of this lead counted in between. */
const attemptOnce = async (
  table: Table,
  event: LeadEvent,
  lead: Lead,
  after: LevelCounts[],
  now: Date,
): Promise<RopiOutcome | 'retry'> => {
  const counted = await readCounted(table, lead.id);
  if (counted && counted.leadVersion >= lead.version) return 'not-newer';
  const delta = deltaOf(counted?.levels ?? [], after);
  if (delta.length === 0) return 'unchanged';
  if (delta.length > MAX_LEVEL_ACTIONS) {
    // A lead touched by ~95 campaigns: not a real lead. Refuse loudly (the event goes to the
    // dead-letter queue) rather than split the delta over transactions that could half-apply.
    throw new Error(`lead ${lead.id} touches too many campaigns to count in one transaction`);
  }
  try {
    await table.transact(actionsFor(event, lead, counted, after, delta, now));
    return 'counted';
  } catch (error) {
    if (!(error instanceof TransactionConflictError)) throw error;
    return error.failed.includes(0) ? 'duplicate' : 'retry';
  }
};

export const ropiUpdater =
  (table: Table, options: RopiUpdaterOptions = {}) =>
  async (event: LeadEvent, lead: Lead): Promise<RopiOutcome> => {
    const clock = options.clock ?? (() => new Date());
    const after = contributionsOf(lead);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const outcome = await attemptOnce(table, event, lead, after, clock());
      if (outcome !== 'retry') return outcome;
    }
    // The queue redelivers the event; by then the other writer is done.
    throw new Error(`lead ${lead.id}: the report aggregates kept moving; try again`);
  };

export type RopiUpdater = ReturnType<typeof ropiUpdater>;
