import { createHash } from 'node:crypto';
import type { Table } from '#platform/table';
import { rateKey } from './lead-keys';

/**
 * Limits on public form posts, kept in the table so they hold across every Lambda instance:
 * per client address (a burst from one address is refused without touching anyone else's
 * submissions) and per campaign (a flood spread over many addresses). Fixed windows, one
 * atomic counter update per scope; windows expire by TTL. Addresses are hashed, never stored.
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
  check(clientAddress: string, campaignId: string): Promise<LimitVerdict>;
}

const addressKey = (address: string) =>
  `A#${createHash('sha256').update(`lead-form|${address}`).digest('base64url').slice(0, 22)}`;

export const tableSubmissionLimiter = (
  table: Pick<Table, 'increment' | 'incrementPair'>,
  clock: () => Date,
  limits: SubmissionLimits = defaultSubmissionLimits,
): SubmissionLimiter => ({
  async check(clientAddress, campaignId) {
    const seconds = Math.floor(clock().getTime() / 1000);
    const minute = Math.floor(seconds / 60);
    const hour = Math.floor(seconds / 3600);
    const address = addressKey(clientAddress);
    // One item per address and hour counts the hour and each of its minutes: one write, both windows.
    const [{ whole: perHour, part: perMinute }, perCampaign] = await Promise.all([
      table.incrementPair(rateKey(address, `H#${hour}`), 'lead-rate', `m${minute % 60}`, (hour + 2) * 3600),
      table.increment(rateKey(`C#${campaignId}`, `M#${minute}`), 'lead-rate', 'n', (minute + 2) * 60),
    ]);
    if (perMinute > limits.perAddressPerMinute)
      return { ok: false, scope: 'address', retryAfterSeconds: 60 - (seconds % 60) };
    if (perHour > limits.perAddressPerHour)
      return { ok: false, scope: 'address', retryAfterSeconds: 3600 - (seconds % 3600) };
    if (perCampaign > limits.perCampaignPerMinute)
      return { ok: false, scope: 'campaign', retryAfterSeconds: 60 - (seconds % 60) };
    return { ok: true };
  },
});
