import { ROPI_READ_PREFIXES, ROPI_WRITE_PREFIXES } from '#functions/reports/ropi-keys';
import type { ItemKey } from '#platform/table';

/**
 * Lead-effect items on the shared table (pure functions, tested by exact value). Every read is a
 * GetItem or a Query:
 *
 * | access pattern                                   | index | key condition                                        |
 * | ------------------------------------------------ | ----- | ---------------------------------------------------- |
 * | every CRM webhook (marketing; each event's fan-out) | table | pk = WEBHOOKS, sk begins_with WEBHOOK#            |
 * | a webhook by id                                  | table | pk = WEBHOOKS, sk = WEBHOOK#<id>                     |
 * | a webhook's deliveries, newest first (the log)   | table | pk = WEBHOOK#<id>, sk begins_with DELIVERY# (desc)   |
 * | a delivery by id                                 | table | pk = WEBHOOK#<id>, sk = DELIVERY#<deliveryId>        |
 * | an effect of a lead event, done once             | table | pk = LEADEFFECT#<leadId>, sk = V<version>#<kind>#<effect>#<target> |
 *
 * Webhooks are few (marketing configures a handful, MAX_WEBHOOKS at most), so they share one
 * partition and every event reads them in one strongly consistent Query. Delivery ids are ULIDs
 * (time first), so `DELIVERY#<id>` sorts the log by creation. Deliveries and effect markers
 * expire (`expiresAt`) after the SQS retention and dead-letter window have long passed.
 */
export const WEBHOOKS_PARTITION = 'WEBHOOKS';

export const webhookKey = (webhookId: string): ItemKey => ({
  pk: WEBHOOKS_PARTITION,
  sk: `WEBHOOK#${webhookId}`,
});
export const ALL_WEBHOOKS = { partition: WEBHOOKS_PARTITION, prefix: 'WEBHOOK#' } as const;

export const deliveryKey = (webhookId: string, deliveryId: string): ItemKey => ({
  pk: `WEBHOOK#${webhookId}`,
  sk: `DELIVERY#${deliveryId}`,
});
export const deliveriesOf = (webhookId: string) =>
  ({ partition: `WEBHOOK#${webhookId}`, prefix: 'DELIVERY#', newestFirst: true }) as const;

export type Effect = 'portal' | 'email';

/** Versions padded so a lead's markers sort by version. */
export const effectKey = (
  event: { leadId: string; version: number; kind: string },
  effect: Effect,
  target: string,
): ItemKey => ({
  pk: `LEADEFFECT#${event.leadId}`,
  sk: `V${String(event.version).padStart(8, '0')}#${event.kind}#${effect}#${target}`,
});

/**
 * The partitions the lead-effects consumer writes, and how (its IAM grant names exactly these):
 * deliveries, effect markers, partners' notifications and the report aggregates (ROPI*). It only
 * reads webhooks (`WEBHOOKS`).
 */
export const LEAD_EFFECTS_WRITE_PREFIXES = [
  'WEBHOOK#',
  'LEADEFFECT#',
  'PARTNER#',
  ...ROPI_WRITE_PREFIXES,
] as const;
export const LEAD_EFFECTS_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
/** The partitions it reads: leads, partners (profile, brand), campaigns, suppressions, webhooks, markers. */
export const LEAD_EFFECTS_READ_PREFIXES = [
  'LEAD#',
  'PARTNER#',
  'CAMPAIGN#',
  'SUPPRESSION#',
  'WEBHOOK',
  'LEADEFFECT#',
  ...ROPI_READ_PREFIXES,
] as const;
export const LEAD_EFFECTS_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/** 45 days: longer than SQS keeps a message (14 days) plus its dead-letter queue (14 days). */
export const EFFECT_RETENTION_DAYS = 45;
export const expiresAfter = (now: Date, days: number = EFFECT_RETENTION_DAYS): number =>
  Math.floor(now.getTime() / 1000) + days * 86_400;
