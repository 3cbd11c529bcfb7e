import type { SendBatch } from './contracts';

/**
 * Ports the send engine needs from other features. Implementations live with their owners:
 * Suppressions in functions/contacts/suppression.ts, CampaignControl in functions/campaigns.
 */
export type SuppressionReason = 'hard-bounce' | 'complaint' | 'unsubscribe';

export type SuppressionEntry =
  /** Every partner: hard bounces and complaints hurt the vendor's domain whoever sent. */
  | { scope: 'global'; email: string; reason: SuppressionReason }
  /** One partner's list: an unsubscribe applies to the designated sender (CAN-SPAM, CASL). */
  | { scope: 'partner'; partnerId: string; email: string; reason: SuppressionReason };

export interface Suppressions {
  /**
   * The addresses among `emails` that must not be mailed for this partner (its own list or
   * global). Addresses are compared case-insensitively; the set holds them lower-cased.
   */
  suppressedAmong(partnerId: string, emails: readonly string[]): Promise<Set<string>>;
  /** Idempotent: suppressing an address twice is harmless. Must be durable when it resolves. */
  suppress(entry: SuppressionEntry): Promise<void>;
}

/** Lets the send engine stop a campaign it cannot send (account paused, brand profile missing). */
export interface CampaignControl {
  pause(campaignId: string, reason: string): Promise<void>;
  /**
   * Holds a batch of a paused campaign until it resumes; false if the campaign is no longer
   * paused (the batch should then be processed as usual).
   */
  park(batch: SendBatch): Promise<boolean>;
}

export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
