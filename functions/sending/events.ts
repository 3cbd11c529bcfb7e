import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { ItemKey, Table } from '#platform/table';
import { type Increments, mergeIncrements } from './counters';
import { type EngagementDeps, recordClick, recordComplaint, recordOpen, recordOutcome } from './engagement';
import type { Logger, Suppressions } from './ports';
import type { SendRecord, SendRecords } from './send-records';
import { CAMPAIGN_ID } from './tokens';

/**
 * The SES event consumer: SES event publishing → EventBridge (`detail`), validated with zod
 * (API10: never trust a payload's shape). SES delivers an event 1–8 times and in any order, so
 * each (message id, event type, recipient[, link and time for opens/clicks]) is handled once by
 * a conditional put of a marker; state changes on the send record are conditional too.
 * Opens and clicks are expected from our own tracking (the configuration set keeps SES's open and
 * click tracking off, or totals would count twice); SES ones are accepted the same way.
 */
const recipients = z.array(z.looseObject({ emailAddress: z.string().min(3).max(320) })).max(50);
const stamp = z.string().max(64);

export const sesEventTypes = [
  'Send',
  'Delivery',
  'Bounce',
  'Complaint',
  'Open',
  'Click',
  'Reject',
  'DeliveryDelay',
  'Rendering Failure',
  'Subscription',
] as const;

export const sesEventSchema = z
  .looseObject({
    eventType: z.enum(sesEventTypes),
    mail: z.looseObject({
      messageId: z.string().min(1).max(256),
      timestamp: stamp.optional(),
      destination: z.array(z.string().max(320)).max(50).default([]),
      tags: z.record(z.string(), z.array(z.string().max(256))).default({}),
    }),
    bounce: z
      .looseObject({
        bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
        bounceSubType: z.string().max(64).optional(),
        bouncedRecipients: recipients,
        timestamp: stamp.optional(),
      })
      .optional(),
    complaint: z.looseObject({ complainedRecipients: recipients, timestamp: stamp.optional() }).optional(),
    delivery: z
      .looseObject({ recipients: z.array(z.string().max(320)).max(50), timestamp: stamp.optional() })
      .optional(),
    open: z.looseObject({ timestamp: stamp, userAgent: z.string().max(1000).optional() }).optional(),
    click: z.looseObject({ timestamp: stamp, link: z.string().max(4000) }).optional(),
    reject: z.looseObject({ reason: z.string().max(500) }).optional(),
    deliveryDelay: z.looseObject({ delayedRecipients: recipients }).optional(),
  })
  .superRefine((event, ctx) => {
    const needs: Partial<Record<(typeof sesEventTypes)[number], keyof typeof event>> = {
      Bounce: 'bounce',
      Complaint: 'complaint',
      Delivery: 'delivery',
      Open: 'open',
      Click: 'click',
    };
    const field = needs[event.eventType];
    if (field && event[field] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [String(field)],
        message: `a ${event.eventType} event needs ${String(field)}`,
      });
    }
  });
export type SesEvent = z.infer<typeof sesEventSchema>;

/** The EventBridge envelope SES publishes to (`source: aws.ses`). */
export const sesEventBridgeSchema = z.looseObject({ detail: sesEventSchema });

export const recipientsOf = (event: SesEvent): string[] => {
  switch (event.eventType) {
    case 'Bounce':
      return event.bounce?.bouncedRecipients.map((r) => r.emailAddress) ?? [];
    case 'Complaint':
      return event.complaint?.complainedRecipients.map((r) => r.emailAddress) ?? [];
    case 'Delivery':
      return event.delivery?.recipients ?? [];
    case 'DeliveryDelay':
      return event.deliveryDelay?.delayedRecipients.map((r) => r.emailAddress) ?? [];
    default:
      return event.mail.destination;
  }
};

const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

/** The idempotency key of one event for one recipient; opens and clicks also by time (and link). */
export const eventMarkerKey = (event: SesEvent, recipient: string): ItemKey => {
  const parts = [event.eventType, digest(recipient.trim().toLowerCase())];
  if (event.eventType === 'Open' && event.open) parts.push(event.open.timestamp);
  if (event.eventType === 'Click' && event.click) parts.push(digest(event.click.link), event.click.timestamp);
  return { pk: `SESEVT#${event.mail.messageId}`, sk: parts.join('#') };
};

export interface EventMarkers {
  /** True the first time a key is seen (a conditional put), false for every duplicate. */
  firstTime(key: ItemKey, at: Date): Promise<boolean>;
  /** Best effort: lets a retried event be processed again after a failure. */
  forget(key: ItemKey): Promise<void>;
}

export const tableEventMarkers = (
  table: Pick<Table, 'putIfAbsent' | 'transact'>,
  retentionDays = 30,
): EventMarkers => ({
  async firstTime(key, at) {
    const expiresAt = Math.floor(at.getTime() / 1000) + retentionDays * 86_400;
    return (await table.putIfAbsent({ ...key, type: 'ses-event', version: 1, expiresAt })) === 'created';
  },
  forget: (key) => table.transact([{ delete: key }]),
});

export interface EventDeps extends EngagementDeps {
  records: SendRecords;
  markers: EventMarkers;
  suppressions: Pick<Suppressions, 'suppress'>;
  clock: () => Date;
  logger: Logger;
}

const tag = (event: SesEvent, name: string) => event.mail.tags[name]?.[0];

const findSend = async (deps: EventDeps, event: SesEvent, recipient: string) => {
  const campaignId = tag(event, 'campaign');
  const recipientKey = tag(event, 'send');
  let record: SendRecord | undefined;
  if (campaignId && recipientKey && CAMPAIGN_ID.test(campaignId)) {
    record = await deps.records.get({ campaignId, recipientKey });
  }
  record ??= await deps.records.byMessageId(event.mail.messageId);
  return record && record.email.toLowerCase() === recipient.trim().toLowerCase() ? record : undefined;
};

const eventTime = (event: SesEvent, fallback: Date) => {
  const raw =
    event.open?.timestamp ?? event.click?.timestamp ?? event.bounce?.timestamp ?? event.mail.timestamp;
  const parsed = raw ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(parsed) ? fallback : new Date(parsed);
};

const apply = async (deps: EventDeps, event: SesEvent, recipient: string): Promise<Increments> => {
  const now = deps.clock();
  const at = eventTime(event, now);
  const permanent = event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent';
  // Suppress first, whether or not we find the send: the address is bad for every partner.
  if (permanent)
    await deps.suppressions.suppress({ scope: 'global', email: recipient, reason: 'hard-bounce' });
  if (event.eventType === 'Complaint') {
    await deps.suppressions.suppress({ scope: 'global', email: recipient, reason: 'complaint' });
  }
  const record = await findSend(deps, event, recipient);
  if (!record) {
    deps.logger.warn('SES event for an unknown send', {
      messageId: event.mail.messageId,
      type: event.eventType,
    });
    return {};
  }
  switch (event.eventType) {
    case 'Send': {
      const marked = await deps.records.markSentFromEvent(record, event.mail.messageId, now);
      if (!marked) return {};
      await deps.counters.add(record.campaignId, { sent: 1 }, at);
      return { sent: 1 };
    }
    case 'Delivery':
      return recordOutcome(deps, record, 'delivered', at);
    case 'Bounce':
      return recordOutcome(deps, record, permanent ? 'bounced' : 'softBounced', at);
    case 'Complaint':
      return recordComplaint(deps, record, at);
    case 'Open':
      return recordOpen(deps, record, at);
    case 'Click': {
      const link = record.links.indexOf(event.click?.link ?? '');
      return link === -1 ? {} : recordClick(deps, record, { link, at, method: 'SES' });
    }
    case 'Reject':
      await deps.counters.add(record.campaignId, { failed: 1 }, at);
      return { failed: 1 };
    default:
      return {};
  }
};

/** Handles one SES event; returns what it added to the counters (empty for duplicates). */
export const consumeSesEvent = async (deps: EventDeps, event: SesEvent): Promise<Increments> => {
  let total: Increments = {};
  for (const recipient of recipientsOf(event)) {
    const key = eventMarkerKey(event, recipient);
    if (!(await deps.markers.firstTime(key, deps.clock()))) continue;
    try {
      total = mergeIncrements(total, await apply(deps, event, recipient));
    } catch (error) {
      await deps.markers.forget(key).catch(() => {});
      throw error;
    }
  }
  return total;
};

/** The EventBridge target: parse, then consume; a malformed event is logged and dropped. */
export const sesEventHandler = (deps: EventDeps) => async (envelope: unknown) => {
  const parsed = sesEventBridgeSchema.safeParse(envelope);
  if (!parsed.success) {
    deps.logger.error('malformed SES event', { issues: parsed.error.issues.slice(0, 5) });
    return;
  }
  await consumeSesEvent(deps, parsed.data.detail);
};
