import * as z from 'zod';
import { ConflictError, PreconditionFailedError } from '#platform/errors';
import type { IndexKeys, ItemKey, Table } from '#platform/table';
import type { SendRef } from './tokens';

/**
 * Exactly once per recipient. Before SendEmail a conditional write claims the send (status
 * `sending` with a lease); a redelivered batch or a second worker finds the claim and skips
 * (settled) or backs off (lease live). After SES answers, the record becomes `sent` with the SES
 * MessageId, indexed by it on gsi1 (`MSG#<id>`) for the event consumer.
 *
 * Crashes: between claim and SendEmail the lease expires and a later delivery re-claims and
 * sends. After SES accepted but before `sent` was written, the SES Send event (its tags name the
 * send) marks the record `sent`, so the retry after lease expiry skips it. The window left: if the
 * Send event arrives later than the lease expires (or never), a retry sends a second copy. The
 * lease (default 5 min) is therefore far longer than SendEmail plus EventBridge latency (seconds),
 * and shorter than visibility timeout × (maxReceiveCount − 1) so the batch is not dead-lettered
 * while it waits.
 *
 * | access pattern                     | index | key condition                            |
 * | ---------------------------------- | ----- | ---------------------------------------- |
 * | a send by campaign + recipient key | table | pk = SEND#<campaignId>, sk = R#<rkey>    |
 * | a send by SES MessageId (events)   | gsi1  | gsi1pk = MSG#<messageId>, gsi1sk = SEND  |
 */
export const sendKey = (ref: SendRef): ItemKey => ({
  pk: `SEND#${ref.campaignId}`,
  sk: `R#${ref.recipientKey}`,
});
export const messageIndexKeys = (messageId: string): Required<Pick<IndexKeys, 'gsi1pk' | 'gsi1sk'>> => ({
  gsi1pk: `MSG#${messageId}`,
  gsi1sk: 'SEND',
});

export const sendStatuses = ['sending', 'released', 'sent', 'failed', 'suppressed'] as const;
export type SendStatus = (typeof sendStatuses)[number];
/** Delivery outcome, in precedence order: a later Bounce wins over a Delivery, never the reverse. */
export const outcomes = ['delivered', 'softBounced', 'bounced'] as const;
export type Outcome = (typeof outcomes)[number];

export const sendRecordSchema = z.object({
  campaignId: z.string(),
  partnerId: z.string(),
  recipientKey: z.string(),
  email: z.string(),
  status: z.enum(sendStatuses),
  attempt: z.number().int(),
  /** Epoch ms; a `sending` claim whose lease has passed may be taken over. */
  leaseUntil: z.number(),
  /** The links of the rendered email, in order: the only click-redirect targets. */
  links: z.array(z.string()).default([]),
  messageId: z.string().optional(),
  sentAt: z.string().optional(),
  failure: z.object({ code: z.string(), message: z.string() }).optional(),
  outcome: z.enum(outcomes).optional(),
  complainedAt: z.string().optional(),
  openedAt: z.string().optional(),
  clickedAt: z.string().optional(),
  humanClickedAt: z.string().optional(),
  lastClick: z.object({ at: z.number(), link: z.number() }).optional(),
  unsubscribedAt: z.string().optional(),
  version: z.number().int().positive(),
});
export type SendRecord = z.infer<typeof sendRecordSchema>;

export interface NewSend extends SendRef {
  partnerId: string;
  email: string;
  links: string[];
}

export type Claim =
  | { kind: 'claimed'; record: SendRecord }
  /** Settled earlier (sent, failed or suppressed): nothing to do. */
  | { kind: 'settled'; record: SendRecord }
  /** Another delivery holds a live lease: back off (the message comes back later). */
  | { kind: 'busy'; record: SendRecord };

export interface SendRecordOptions {
  leaseMs: number;
  /** Records (and the links clicks redirect to) outlive the tokens that point at them. */
  retentionDays: number;
}

export interface SendRecords {
  get(ref: SendRef): Promise<SendRecord | undefined>;
  byMessageId(messageId: string): Promise<SendRecord | undefined>;
  claim(send: NewSend, now: Date): Promise<Claim>;
  /** A terminal record without a send (suppressed, invalid address); false if one existed. */
  settle(
    send: NewSend,
    status: 'suppressed' | 'failed',
    now: Date,
    failure?: SendRecord['failure'],
  ): Promise<boolean>;
  /**
   * After SES accepted. 'sent': this call made the transition (and counts it); 'already': the
   * Send event got there first with this message id (it counted); 'conflict': the claim was
   * lost meanwhile (see the window above).
   */
  markSent(claim: SendRecord, messageId: string, now: Date): Promise<'sent' | 'already' | 'conflict'>;
  markFailed(claim: SendRecord, failure: NonNullable<SendRecord['failure']>): Promise<void>;
  /** Gives the claim back (throttled, account paused): the next delivery sends at once. */
  release(claim: SendRecord): Promise<void>;
  /** The Send event's path to `sent`; true only for the call that made the transition. */
  markSentFromEvent(ref: SendRef, messageId: string, now: Date): Promise<boolean>;
  /** Optimistic change of a record read earlier (PreconditionFailedError if it moved). */
  change(record: SendRecord, changes: Partial<Omit<SendRecord, 'version'>>): Promise<SendRecord>;
}

const SETTLED: ReadonlySet<SendStatus> = new Set(['sent', 'failed', 'suppressed']);

/** The part of Table this module uses (an in-memory double implements it for unit tests and benches). */
export type SendTable = Pick<Table, 'get' | 'create' | 'update' | 'query'>;

export const sendRecords = (table: SendTable, options: SendRecordOptions): SendRecords => {
  const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + options.retentionDays * 86_400;
  const parse = (item: Record<string, unknown> | undefined) =>
    item ? sendRecordSchema.parse(item) : undefined;
  const get = async (ref: SendRef) => parse(await table.get(sendKey(ref)));
  const update = async (record: SendRecord, changes: Record<string, unknown>) =>
    sendRecordSchema.parse(await table.update(sendKey(record), record.version, changes));
  /** A transition whose resulting record nobody reads (per send, so the parse is skipped). */
  const transition = async (record: SendRecord, changes: Record<string, unknown>) => {
    await table.update(sendKey(record), record.version, changes);
  };
  const create = async (
    send: NewSend,
    fields: Pick<SendRecord, 'status' | 'attempt' | 'leaseUntil'> & Pick<Partial<SendRecord>, 'failure'>,
    now: Date,
  ): Promise<SendRecord> => {
    const record: SendRecord = {
      campaignId: send.campaignId,
      partnerId: send.partnerId,
      recipientKey: send.recipientKey,
      email: send.email,
      links: send.links,
      version: 1,
      ...fields,
    };
    await table.create({ ...sendKey(send), type: 'send', expiresAt: expiresAt(now), ...record });
    return record;
  };
  const sentFields = (messageId: string, now: Date) => ({
    status: 'sent',
    messageId,
    sentAt: now.toISOString(),
    leaseUntil: 0,
    ...messageIndexKeys(messageId),
  });

  /** A record exists: settled → skip; live lease → busy; expired or released → take it over. */
  const reclaim = async (current: SendRecord, send: NewSend, now: Date): Promise<Claim> => {
    if (SETTLED.has(current.status)) return { kind: 'settled', record: current };
    if (current.status === 'sending' && current.leaseUntil > now.getTime()) {
      return { kind: 'busy', record: current };
    }
    try {
      const record = await update(current, {
        status: 'sending',
        attempt: current.attempt + 1,
        leaseUntil: now.getTime() + options.leaseMs,
        links: send.links,
      });
      return { kind: 'claimed', record };
    } catch (error) {
      if (error instanceof PreconditionFailedError) return { kind: 'busy', record: current };
      throw error;
    }
  };

  const claim = async (send: NewSend, now: Date): Promise<Claim> => {
    const lease = now.getTime() + options.leaseMs;
    try {
      const record = await create(send, { status: 'sending', attempt: 1, leaseUntil: lease }, now);
      return { kind: 'claimed', record };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    const current = await get(send);
    // Gone between the two calls (TTL): claim afresh.
    return current ? reclaim(current, send, now) : claim(send, now);
  };

  return {
    get,
    async byMessageId(messageId) {
      const page = await table.query({ index: 'gsi1', partition: `MSG#${messageId}`, limit: 2 });
      return parse(page.items[0]);
    },
    claim,
    async settle(send, status, now, failure) {
      try {
        await create(send, { status, attempt: 0, leaseUntil: 0, ...(failure ? { failure } : {}) }, now);
        return true;
      } catch (error) {
        if (error instanceof ConflictError) return false;
        throw error;
      }
    },
    async markSent(claim, messageId, now) {
      try {
        await transition(claim, sentFields(messageId, now));
        return 'sent';
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
      // The Send event may have got there first with this very message id: that is no conflict.
      const current = await get(claim);
      return current?.status === 'sent' && current.messageId === messageId ? 'already' : 'conflict';
    },
    async markFailed(claim, failure) {
      await transition(claim, { status: 'failed', failure, leaseUntil: 0 });
    },
    async release(claim) {
      await transition(claim, { status: 'released', leaseUntil: 0 });
    },
    async markSentFromEvent(ref, messageId, now) {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const current = await get(ref);
        if (!current || current.status === 'sent' || current.status === 'suppressed') return false;
        try {
          await transition(current, sentFields(messageId, now));
          return true;
        } catch (error) {
          if (!(error instanceof PreconditionFailedError)) throw error;
        }
      }
      return false;
    },
    change: (record, changes) => update(record, changes),
  };
};
