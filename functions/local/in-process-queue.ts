import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

interface Message {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

export interface InProcessQueueOptions {
  name: string;
  handler: QueueHandler;
  batchSize?: number;
  /** As the SQS redrive policy: after this many receives a failing message moves to the dead letters. */
  maxReceiveCount?: number;
  /** Wait before a failed message is visible again (SQS visibility timeout), in ms. */
  retryDelayMs?: number;
}

/**
 * SQS, in this process, for the embedded runtime: delivers batches in the SQS event shape to
 * the same handler the Lambda runs, honours `batchItemFailures` (partial batch responses),
 * redelivers failures, and moves a message that failed `maxReceiveCount` times to the dead
 * letters. A handler that throws fails its whole batch, as on Lambda. Like SQS it is at least
 * once: handlers must be idempotent.
 */
export class InProcessQueue {
  readonly deadLetters: Message[] = [];
  private readonly waiting: Message[] = [];
  private inFlight = 0;
  private sequence = 0;
  private stopped = false;
  private readonly idle = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: InProcessQueueOptions) {}

  send(body: string): string {
    this.sequence += 1;
    const messageId = `${this.options.name}-${this.sequence}`;
    this.waiting.push({ messageId, body, receiveCount: 0, sentAt: Date.now() });
    queueMicrotask(() => this.pump());
    return messageId;
  }

  /** Resolves once nothing waits or runs (messages waiting out a retry delay count as waiting). */
  drained(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.inFlight === 0 && this.timers.size === 0;
  }

  private pump(): void {
    if (this.stopped || this.inFlight > 0 || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.options.batchSize ?? 10);
    this.inFlight += 1;
    void this.deliver(batch).finally(() => {
      this.inFlight -= 1;
      if (this.isIdle()) {
        for (const resolve of this.idle) resolve();
        this.idle.clear();
      }
      this.pump();
    });
  }

  private async deliver(batch: Message[]): Promise<void> {
    for (const message of batch) message.receiveCount += 1;
    let failed: Set<string>;
    try {
      const response = await this.options.handler({ Records: batch.map((m) => this.record(m)) });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    }
    for (const message of batch.filter((m) => failed.has(m.messageId))) this.retry(message);
  }

  private retry(message: Message): void {
    if (message.receiveCount >= (this.options.maxReceiveCount ?? 5)) {
      this.deadLetters.push(message);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waiting.push(message);
      this.pump();
    }, this.options.retryDelayMs ?? 1000);
    this.timers.add(timer);
  }

  private record(message: Message): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: `${message.messageId}-${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(message.sentAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.options.name}`,
      awsRegion: 'local',
    };
  }
}
