import * as z from 'zod';
import type { Brand } from '#functions/brand/schema';

/**
 * What the campaigns feature and the send engine agree on (issue 4). The campaigns feature owns
 * campaign records and turns a launch into send batches on the queue; the send engine consumes
 * them. Neither imports the other's internals: only these shapes and ports.
 */

/** One message on the send queue (SQS in AWS, the in-process queue locally): ≤ 50 recipients. */
export const sendBatchSchema = z.strictObject({
  kind: z.literal('send-batch'),
  campaignId: z.string().min(1),
  partnerId: z.string().min(1),
  /** Stable per batch (campaignId + page), for logs and DLQ triage. */
  batchId: z.string().min(1),
  recipients: z
    .array(
      z.strictObject({
        email: z.string().min(3).max(254),
        firstName: z.string().max(100).default(''),
        lastName: z.string().max(100).default(''),
        company: z.string().max(200).default(''),
      }),
    )
    .min(1)
    .max(50),
});
export type SendBatch = z.infer<typeof sendBatchSchema>;

/** A campaign as the send engine needs it, read once per batch (cached per campaign in a worker). */
export interface CampaignForSending {
  id: string;
  partnerId: string;
  kitId: string;
  kitVersion: string;
  /** Validated slot values, frozen at launch. */
  slots: Record<string, string>;
  /** The brand profile frozen at launch (null: none then); absent for campaigns launched before it existed. */
  brandAtLaunch?: Brand | null | undefined;
  /** 'sending' → send; 'paused' | 'cancelled' → do not send (the batch is retried later or dropped). */
  status:
    | 'draft'
    | 'pending-approval'
    | 'approved'
    | 'rejected'
    | 'scheduled'
    | 'sending'
    | 'paused'
    | 'sent'
    | 'cancelled';
  /** Public landing page slug (/p/{slug}). */
  slug: string;
}

export interface CampaignSource {
  get(campaignId: string): Promise<CampaignForSending | undefined>;
}

/** Counters the send engine and the SES event consumer move; the campaigns feature reads them. */
export const counterNames = [
  'queued',
  'sent',
  'failed',
  'suppressed',
  'delivered',
  'bounced',
  'softBounced',
  'complained',
  'opened',
  'uniqueOpened',
  'clicked',
  'uniqueClicked',
  'unsubscribed',
] as const;
export type CounterName = (typeof counterNames)[number];
export type Counters = Record<CounterName, number>;

export interface CounterStore {
  /** Adds to a campaign's counters (and its time series bucket for the hour). Callers make it once-only. */
  add(campaignId: string, increments: Partial<Counters>, at: Date): Promise<void>;
  get(campaignId: string): Promise<Counters>;
  /** The hourly series (UTC hours, oldest first), for the campaign dashboard. */
  hours?(campaignId: string): Promise<{ hour: string; counters: Counters }[]>;
}

/** Enqueue a message on the send queue (SQS SendMessage / in-process queue). */
export type Enqueue = (message: SendBatch) => Promise<void>;
