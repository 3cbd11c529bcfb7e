import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** RELIABILITY.md: a message that failed this many receives moves to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/** RELIABILITY.md (and AWS's advice for SQS event sources): visibility ≥ 6 × the function timeout. */
export const VISIBILITY_PER_TIMEOUT = 6;

/** SQS caps the visibility timeout at 12 hours. */
export const MAX_VISIBILITY_TIMEOUT = Duration.hours(12);

/** The visibility timeout for a queue consumed by a function with this timeout (6 ×). */
export const visibilityTimeoutFor = (consumerTimeout: Duration): Duration => {
  const seconds = consumerTimeout.toSeconds() * VISIBILITY_PER_TIMEOUT;
  if (seconds > MAX_VISIBILITY_TIMEOUT.toSeconds()) {
    throw new Error(
      `a consumer timeout of ${consumerTimeout.toSeconds()} s needs a visibility timeout of ${seconds} s, over SQS's 12 h`,
    );
  }
  return Duration.seconds(seconds);
};

export interface WorkQueueProps {
  /** The timeout of the one function that consumes the queue: sets the visibility timeout (6 ×). */
  readonly consumerTimeout: Duration;
  /** What the messages are, for the dead-letter queue acknowledgement and descriptions. */
  readonly purpose: string;
}

/**
 * A standard SQS queue for a Lambda worker, with its dead-letter queue: SQS-managed SSE, TLS
 * only (both), visibility = 6 × the consumer's timeout, a message moves to the dead letters
 * after 5 receives, and dead letters are kept 14 days (the SQS maximum) for triage and redrive.
 */
export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', props.purpose);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: visibilityTimeoutFor(props.consumerTimeout),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }
}

/**
 * A dead-letter queue: SQS-managed SSE, TLS only, 14 days' retention. It has no redrive policy
 * of its own (it is the end of the line), which the Serverless pack's SQSRedrivePolicy flags:
 * acknowledged here, once, with the reason.
 */
export const deadLetterQueue = (scope: Construct, id: string, purpose: string): Queue => {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason: `This is the dead-letter queue of ${purpose}: the end of the line, watched by a depth alarm and redriven by hand.`,
  });
  return queue;
};
