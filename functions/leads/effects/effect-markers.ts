import * as z from 'zod';
import type { Notification } from '#functions/campaigns/schema';
import { notificationItem } from '#functions/campaigns/store';
import { ConflictError, PreconditionFailedError } from '#platform/errors';
import type { ItemKey, Table } from '#platform/table';
import { expiresAfter } from './keys';

/**
 * Exactly-once bookkeeping for the effects of one lead event, keyed by (lead, version, event
 * kind, effect, target). A portal notification is written in the same transaction as its marker,
 * so it exists once whatever the queue redelivers. An email cannot join a transaction, so it is
 * claimed with a lease first: a redelivery while it is being sent waits, one after it was sent
 * does nothing, and only a worker that died mid-send (lease expired, no outcome recorded) lets
 * another try again.
 */
export type Claim = { kind: 'claimed'; key: ItemKey; version: number } | { kind: 'done' } | { kind: 'busy' };

const markerSchema = z.object({
  state: z.enum(['claimed', 'done']),
  leaseUntil: z.number(),
  version: z.number().int(),
});

export interface EffectMarkers {
  /** Writes the notification and its marker together; false when it was written before. */
  notifyOnce(key: ItemKey, notification: Notification, now: Date): Promise<boolean>;
  claim(key: ItemKey, now: Date, leaseMs: number): Promise<Claim>;
  /** Records the outcome of a claimed effect; it will not be done again. */
  complete(claim: Extract<Claim, { kind: 'claimed' }>, outcome: string, detail: string): Promise<void>;
  /** Gives a claim back (the effect was not done: a throttled send), so a retry may claim it at once. */
  release(claim: Extract<Claim, { kind: 'claimed' }>): Promise<void>;
}

export const effectMarkers = (
  table: Pick<Table, 'transact' | 'putIfAbsent' | 'get' | 'update'>,
): EffectMarkers => ({
  async notifyOnce(key, notification, now) {
    try {
      await table.transact([
        {
          put: {
            ...key,
            type: 'lead-effect',
            version: 1,
            state: 'done',
            leaseUntil: 0,
            outcome: 'notified',
            expiresAt: expiresAfter(now),
          },
          ifAbsent: true,
        },
        { put: notificationItem(notification), ifAbsent: true },
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  },

  async claim(key, now, leaseMs) {
    const leaseUntil = now.getTime() + leaseMs;
    const fresh = {
      ...key,
      type: 'lead-effect',
      version: 1,
      state: 'claimed',
      leaseUntil,
      expiresAt: expiresAfter(now),
    };
    if ((await table.putIfAbsent(fresh)) === 'created') return { kind: 'claimed', key, version: 1 };
    const stored = markerSchema.parse(await table.get(key));
    if (stored.state === 'done') return { kind: 'done' };
    if (stored.leaseUntil > now.getTime()) return { kind: 'busy' };
    try {
      await table.update(key, stored.version, { leaseUntil });
      return { kind: 'claimed', key, version: stored.version + 1 };
    } catch (error) {
      if (error instanceof PreconditionFailedError) return { kind: 'busy' };
      throw error;
    }
  },

  async complete(claim, outcome, detail) {
    await table.update(claim.key, claim.version, { state: 'done', outcome, detail });
  },

  async release(claim) {
    await table.update(claim.key, claim.version, { leaseUntil: 0 });
  },
});
