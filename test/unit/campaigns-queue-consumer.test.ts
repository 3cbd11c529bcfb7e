import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type QueueDeps, sendQueueHandler } from '#functions/campaigns/queue-consumer';
import type { CampaignStore } from '#functions/campaigns/store';

const record = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: messageId,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:000000000000:send',
  awsRegion: 'local',
});

const unused = async (): Promise<never> => {
  throw new Error('not used in this test');
};

/** A store that knows no campaign: every step finds nothing to do. */
const emptyStore: CampaignStore = {
  get: async () => undefined,
  getForPartner: async () => undefined,
  create: unused,
  replace: unused,
  replaceAndNotify: unused,
  listForPartner: unused,
  approvalQueue: unused,
  bySlug: unused,
  notifications: unused,
  getExpandPage: unused,
  claimExpandPage: unused,
  markExpandPageContinued: unused,
  releaseExpandPage: unused,
  parkBatch: unused,
  parkedBatches: unused,
  removeParkedBatch: unused,
};

const deps = (): QueueDeps => ({
  store: emptyStore,
  audience: { listMembersPage: unused },
  scheduler: { schedule: unused, cancel: unused },
  enqueueStep: unused,
  enqueueBatch: unused,
  counters: { add: unused, get: unused },
  clock: () => new Date('2026-11-24T12:00:00Z'),
});

describe('the send queue handler', () => {
  it('takes launch and expand messages itself and hands everything else to the send worker', async () => {
    const forwarded: string[] = [];
    const handler = sendQueueHandler(deps(), async (event: SQSEvent) => {
      forwarded.push(...event.Records.map((r) => r.messageId));
      return { batchItemFailures: [{ itemIdentifier: 'batch-2' }] };
    });
    const response = await handler({
      Records: [
        record('expand-1', JSON.stringify({ kind: 'expand', campaignId: 'c1', partnerId: 'p1', page: 0 })),
        record('batch-1', JSON.stringify({ kind: 'send-batch' })),
        record(
          'launch-1',
          JSON.stringify({
            kind: 'launch',
            campaignId: 'c1',
            partnerId: 'p1',
            at: '2026-11-24T12:00:00.000Z',
          }),
        ),
        record('batch-2', 'not json'),
      ],
    });
    expect(forwarded).toEqual(['batch-1', 'batch-2']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'batch-2' }] });
  });

  it('reports a malformed campaign step as failed, so only that message comes back', async () => {
    const errors: string[] = [];
    const handler = sendQueueHandler(deps(), async () => ({ batchItemFailures: [] }), {
      error: (message) => void errors.push(message),
    });
    const response = await handler({
      Records: [
        record('expand-bad', JSON.stringify({ kind: 'expand', page: -1 })),
        record('launch-bad', JSON.stringify({ kind: 'launch', campaignId: 'c1' })),
      ],
    });
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'expand-bad' },
      { itemIdentifier: 'launch-bad' },
    ]);
    expect(errors).toEqual([
      'expand step failed; the queue will redeliver it',
      'launch step failed; the queue will redeliver it',
    ]);
  });
});
