import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Enqueue on SQS: one JSON message (the consumers validate it with zod). */
export const sqsEnqueue =
  (client: SQSClient, queueUrl: string) =>
  async (message: object): Promise<void> => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
  };
