import { type LeadEvent, leadEventSchema, type PublishLeadEvent } from '#functions/leads/lead-events';
import type { Logger } from '#functions/sending/ports';

/**
 * The `PublishLeadEvent` capture and the lead lifecycle call after a lead is stored: the event
 * goes on the lead-effects queue (SQS in AWS: `sqsEnqueue(sqs, LEAD_EFFECTS_QUEUE_URL)`; the
 * in-process queue locally). It never throws: the lead is already stored and must not be lost or
 * refused because a downstream step is unavailable, so a failure to publish is logged (with the
 * lead id and version, enough to publish it again) and the caller carries on.
 */
export const leadEventPublisher =
  (deps: {
    enqueue: (message: LeadEvent) => Promise<void>;
    logger: Pick<Logger, 'error'>;
  }): PublishLeadEvent =>
  async (event) => {
    try {
      await deps.enqueue(leadEventSchema.parse(event));
    } catch (error) {
      deps.logger.error('lead event not published: no notification or webhook for it', {
        leadId: event.leadId,
        version: event.version,
        kind: event.kind,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
