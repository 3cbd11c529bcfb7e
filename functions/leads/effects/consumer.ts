import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LeadEvent } from '#functions/leads/lead-events';
import type { Lead } from '#functions/leads/lead-schema';
import type { Logger } from '#functions/sending/ports';
import { attemptDelivery, type DeliveryDeps } from './deliver';
import { type FanOutDeps, fanOutWebhooks } from './fan-out';
import { type NotifyDeps, notifyNewEql } from './notify';
import { type LeadEffectsMessage, leadEffectsMessageSchema } from './schema';

/**
 * The lead-effects queue's consumer (SQS in AWS, the in-process queue locally). Two kinds of
 * message: a lead event (from capture and the lifecycle) becomes the partner's EQL notification
 * and one delivery message per matching CRM webhook; a delivery message is one attempt. Records
 * run side by side and fail alone (partial batch responses): a CRM that is down never holds back
 * a notification, and everything is idempotent, so redelivery is harmless. A failed attempt's
 * message is made invisible for its backoff (`deferRetry`, SQS ChangeMessageVisibility) before it
 * is reported failed.
 */
/** The stored lead, as the effects read it when they run (it may have moved on since the event). */
export type GetLead = (leadId: string) => Promise<Lead | undefined>;

export interface LeadEffectsDeps {
  getLead: GetLead;
  notify: NotifyDeps;
  fanOut: FanOutDeps;
  deliver: DeliveryDeps;
  /** Moves the report aggregates (functions/reports/ropi-updater.ts); idempotent per event. */
  aggregates?: (event: LeadEvent, lead: Lead) => Promise<unknown>;
  /** Delays the record's next receive by this many seconds (SQS visibility); best effort. */
  deferRetry: (record: SQSRecord, delaySeconds: number) => Promise<void>;
  logger: Logger;
}

const parse = (record: SQSRecord): LeadEffectsMessage | undefined => {
  try {
    const parsed = leadEffectsMessageSchema.safeParse(JSON.parse(record.body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const receiveCountOf = (record: SQSRecord): number => {
  const count = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isInteger(count) && count > 0 ? count : 1;
};

const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** Both effects of one event are attempted; it fails (and comes back) if either did. */
const handleLeadEvent = async (deps: LeadEffectsDeps, event: LeadEvent): Promise<boolean> => {
  const lead = await deps.getLead(event.leadId);
  if (!lead) {
    deps.logger.warn('lead event for a lead that is not stored (erased?); dropped', { leadId: event.leadId });
    return true;
  }
  const effects = [
    ...(event.becameEql
      ? [{ name: 'eql-notification', run: () => notifyNewEql(deps.notify, event, lead) }]
      : []),
    { name: 'webhooks', run: () => fanOutWebhooks(deps.fanOut, event, lead) },
    ...(deps.aggregates ? [{ name: 'ropi-aggregates', run: () => deps.aggregates?.(event, lead) }] : []),
  ];
  const outcomes = await Promise.allSettled(effects.map((effect) => effect.run()));
  let ok = true;
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') return;
    ok = false;
    deps.logger.error('lead effect failed; the queue will redeliver the event', {
      effect: effects[i]?.name,
      leadId: event.leadId,
      version: event.version,
      error: errorText(outcome.reason),
    });
  });
  return ok;
};

const handleRecord = async (deps: LeadEffectsDeps, record: SQSRecord): Promise<boolean> => {
  const message = parse(record);
  if (!message) {
    deps.logger.error('malformed lead-effects message; left for the dead-letter queue', {
      messageId: record.messageId,
    });
    return false;
  }
  try {
    if (message.kind !== 'webhook-delivery') return await handleLeadEvent(deps, message);
    const outcome = await attemptDelivery(deps.deliver, message, receiveCountOf(record));
    if (outcome.kind === 'done') return true;
    if (outcome.kind === 'retry') {
      await deps.deferRetry(record, outcome.delaySeconds).catch((error: unknown) =>
        deps.logger.warn('could not delay the retry; the visibility timeout applies', {
          messageId: record.messageId,
          error: errorText(error),
        }),
      );
    }
    return false;
  } catch (error) {
    deps.logger.error('lead-effects message failed; the queue will redeliver it', {
      messageId: record.messageId,
      kind: message.kind,
      error: errorText(error),
    });
    return false;
  }
};

export const leadEffectsHandler =
  (deps: LeadEffectsDeps) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const outcomes = await Promise.all(event.Records.map((record) => handleRecord(deps, record)));
    return {
      batchItemFailures: event.Records.filter((_, i) => !outcomes[i]).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    };
  };
