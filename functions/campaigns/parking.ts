import type { SendBatch } from '#functions/sending/contracts';
import type { ExpandDeps } from './deps';
import { unparkMessageSchema } from './schema';

/**
 * Paused campaigns and the send queue. A batch that arrives while its campaign is paused is
 * parked in the table and its message acknowledged (rather than left to come back until the
 * queue's maxReceiveCount dead-letters it, which a pause of more than a few minutes would do).
 * Resume enqueues an `unpark` step that puts the parked batches back on the queue, a page per
 * step; the send records make a batch that is both parked and redelivered harmless.
 */
export const UNPARK_PAGE = 25;

export type UnparkOutcome = { moved: number; more: boolean };

/** The `unpark` step: re-enqueues one page of parked batches, then the next step if there are more. */
export const handleUnpark = async (deps: ExpandDeps, input: unknown): Promise<UnparkOutcome> => {
  const message = unparkMessageSchema.parse(input);
  const page = await deps.store.parkedBatches(message.campaignId, UNPARK_PAGE);
  const ours = page.items.filter((batch: SendBatch) => batch.partnerId === message.partnerId);
  for (const batch of ours) {
    // Enqueued before removed: a crash in between enqueues it twice, never zero times.
    await deps.enqueueBatch(batch);
    await deps.store.removeParkedBatch(batch.campaignId, batch.batchId);
  }
  const more = page.nextCursor !== null;
  if (more) await deps.enqueueStep(message);
  return { moved: ours.length, more };
};
