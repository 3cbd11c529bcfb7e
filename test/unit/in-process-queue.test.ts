import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '#functions/local/in-process-queue';

describe('InProcessQueue', () => {
  it('delivers SQS-shaped batches to the handler', async () => {
    const seen: SQSEvent[] = [];
    const queue = new InProcessQueue({
      name: 'q',
      batchSize: 2,
      handler: async (event) => {
        seen.push(event);
        return { batchItemFailures: [] };
      },
    });
    for (const body of ['a', 'b', 'c']) queue.send(body);
    await queue.drained();
    expect(seen.map((e) => e.Records.map((r) => r.body))).toEqual([['a', 'b'], ['c']]);
    expect(seen[0]?.Records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      attributes: { ApproximateReceiveCount: '1' },
    });
  });

  it('redelivers only the items a partial batch response names', async () => {
    const receipts: string[] = [];
    let failOnce = true;
    const queue = new InProcessQueue({
      name: 'q',
      retryDelayMs: 1,
      handler: async (event) => {
        receipts.push(...event.Records.map((r) => `${r.body}:${r.attributes.ApproximateReceiveCount}`));
        const failures = failOnce ? event.Records.filter((r) => r.body === 'b') : [];
        failOnce = false;
        return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    queue.send('a');
    queue.send('b');
    await queue.drained();
    expect(receipts).toEqual(['a:1', 'b:1', 'b:2']);
    expect(queue.deadLetters).toEqual([]);
  });

  it('moves a message that keeps failing to the dead letters after maxReceiveCount', async () => {
    let calls = 0;
    const queue = new InProcessQueue({
      name: 'q',
      retryDelayMs: 1,
      maxReceiveCount: 3,
      handler: async () => {
        calls += 1;
        throw new Error('poison');
      },
    });
    queue.send('poison');
    await queue.drained();
    expect(calls).toBe(3);
    expect(queue.deadLetters.map((m) => [m.body, m.receiveCount])).toEqual([['poison', 3]]);
  });
});
