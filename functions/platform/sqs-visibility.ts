import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS caps a message's visibility timeout at 12 hours. */
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;

/**
 * Hides a received message for `seconds` from now (ChangeMessageVisibility): a consumer that
 * then reports it failed gets it back after that delay, not after the queue's default timeout.
 * How a worker retries with backoff without a second queue.
 */
export const sqsDeferRetry =
  (client: SQSClient, queueUrl: string) =>
  async (record: { receiptHandle: string }, seconds: number): Promise<void> => {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.round(seconds))),
      }),
    );
  };
