import { createHash } from 'node:crypto';
import type { TransactAction } from '#platform/table';
import { rateKey } from './lead-keys';

/**
 * Limits on public form posts, kept in the table so they hold across every Lambda instance:
 * per client address (a burst from one address is refused without touching anyone else's
 * submissions) and per campaign (a flood spread over many addresses). Fixed windows; the
 * counters are conditional updates inside the same transaction as the lead's write, so a
 * refused submission writes nothing and an accepted one costs no extra round trip. Windows
 * expire by TTL. Addresses are hashed, never stored.
 */
export interface SubmissionLimits {
  perAddressPerMinute: number;
  perAddressPerHour: number;
  perCampaignPerMinute: number;
}

export const defaultSubmissionLimits: SubmissionLimits = {
  perAddressPerMinute: 5,
  perAddressPerHour: 30,
  perCampaignPerMinute: 3000,
};

export type LimitVerdict =
  | { ok: true }
  | { ok: false; retryAfterSeconds: number; scope: 'address' | 'campaign' };

export interface SubmissionLimiter {
  /**
   * The counter updates to put in the submission's transaction, and how to read a refusal:
   * `refused(i)` for the index (within these actions) whose condition failed.
   */
  actions(
    clientAddress: string,
    campaignId: string,
  ): {
    actions: TransactAction[];
    refused(index: number): LimitVerdict;
  };
}

const addressKey = (address: string) =>
  `A#${createHash('sha256').update(`lead-form|${address}`).digest('base64url').slice(0, 22)}`;

export const tableSubmissionLimiter = (
  clock: () => Date,
  limits: SubmissionLimits = defaultSubmissionLimits,
): SubmissionLimiter => ({
  actions(clientAddress, campaignId) {
    const seconds = Math.floor(clock().getTime() / 1000);
    const minute = Math.floor(seconds / 60);
    const hour = Math.floor(seconds / 3600);
    const minuteOfHour = `m${minute % 60}`;
    return {
      actions: [
        // One item per address and hour counts the hour and each of its minutes.
        {
          count: rateKey(addressKey(clientAddress), `H#${hour}`),
          type: 'lead-rate',
          add: ['n', minuteOfHour],
          below: { n: limits.perAddressPerHour, [minuteOfHour]: limits.perAddressPerMinute },
          expiresAt: (hour + 2) * 3600,
        },
        {
          count: rateKey(`C#${campaignId}`, `M#${minute}`),
          type: 'lead-rate',
          add: ['n'],
          below: { n: limits.perCampaignPerMinute },
          expiresAt: (minute + 2) * 60,
        },
      ],
      refused: (index) =>
        index === 0
          ? { ok: false, scope: 'address', retryAfterSeconds: 60 - (seconds % 60) }
          : { ok: false, scope: 'campaign', retryAfterSeconds: 60 - (seconds % 60) },
    };
  },
});
