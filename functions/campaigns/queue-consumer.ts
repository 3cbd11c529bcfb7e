import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import type { ExpandDeps, LaunchDeps } from './deps';
import { handleExpand } from './expand';
import { handleLaunchMessage } from './lifecycle';
import { handleUnpark } from './parking';

/** What the queue's campaign steps need: no HTTP, no kits. */
export type QueueDeps = ExpandDeps & LaunchDeps;

/** The send queue's handler for `send-batch` messages: the send engine's worker. */
export type SendBatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface QueueLogger {
  error(message: string, extra?: Record<string, unknown>): void;
}

const kindSchema = z.looseObject({ kind: z.string() });

const CAMPAIGN_STEPS = ['launch', 'expand', 'unpark'] as const;
type CampaignStep = (typeof CAMPAIGN_STEPS)[number];
const isCampaignStep = (kind: string | undefined): kind is CampaignStep =>
  CAMPAIGN_STEPS.some((step) => step === kind);

const kindOf = (record: SQSRecord): { kind: string; body: unknown } | undefined => {
  try {
    const body: unknown = JSON.parse(record.body);
    const parsed = kindSchema.safeParse(body);
    return parsed.success ? { kind: parsed.data.kind, body } : undefined;
  } catch {
    return undefined;
  }
};

/** Runs one campaign step; a failure is reported so that only this message comes back. */
const runCampaignStep = async (
  deps: QueueDeps,
  record: SQSRecord,
  message: { kind: CampaignStep; body: unknown },
  logger: QueueLogger | undefined,
): Promise<boolean> => {
  try {
    if (message.kind === 'launch') await handleLaunchMessage(deps, message.body);
    else if (message.kind === 'unpark') await handleUnpark(deps, message.body);
    else await handleExpand(deps, message.body);
    return true;
  } catch (error) {
    logger?.error(`${message.kind} step failed; the queue will redeliver it`, {
      messageId: record.messageId,
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
};

/**
 * The send queue carries four kinds of message: `launch` (a schedule's time has come),
 * `expand` (one list page to turn into batches) and `unpark` (batches held while paused) for
 * campaigns, `send-batch` for the send engine. This handler dispatches by `kind` and merges the partial batch failures, so one
 * Lambda (and, locally, one InProcessQueue) consumes the queue. Unknown or malformed messages
 * are left to the send worker, which logs them and lets the redrive policy dead-letter them.
 */
export const sendQueueHandler =
  (deps: QueueDeps, sendBatches: SendBatchHandler, logger?: QueueLogger) =>
  async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    const forWorker: SQSRecord[] = [];
    for (const record of event.Records) {
      const message = kindOf(record);
      const kind = message?.kind;
      if (message && isCampaignStep(kind)) {
        if (!(await runCampaignStep(deps, record, { kind, body: message.body }, logger))) {
          failures.push({ itemIdentifier: record.messageId });
        }
      } else {
        forWorker.push(record);
      }
    }
    if (forWorker.length > 0) {
      const response = await sendBatches({ Records: forWorker });
      failures.push(...(response?.batchItemFailures ?? []));
    }
    return { batchItemFailures: failures };
  };
