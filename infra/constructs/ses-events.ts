import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bindTable, denyAuditLogChanges, type TableBinding } from './bindings';
import { type LogLevel, NodeFunction } from './node-function';
import { type SendingBinding, sesEvents } from './ses-sending';
import { deadLetterQueue } from './work-queue';

export const SES_EVENTS_TIMEOUT = Duration.seconds(30);

/** EventBridge's own maximum: an event that cannot reach the consumer is retried for a day, then dead-lettered. */
export const SES_EVENTS_RETRY = { retryAttempts: 185, maxEventAge: Duration.hours(24) } as const;

/**
 * The EventBridge pattern for the SES events of our configuration set. SES publishes sending
 * events to the default bus with `source` `aws.ses`, a `detail-type` per event ("Email Bounced"
 * ...) and the event record as `detail`; `detail.mail.tags` carries SES's automatic tag
 * `ses:configuration-set` (an array, matched when it contains the name). Another configuration
 * set or application in the account never reaches the consumer.
 */
export const sesEventPattern = (configurationSetName: string) => ({
  source: ['aws.ses'],
  detailType: sesEvents.map((e) => e.detailType),
  detail: { mail: { tags: { 'ses:configuration-set': [configurationSetName] } } },
});

export interface SesEventsProps {
  readonly table: TableBinding;
  readonly sending: SendingBinding;
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The SES event consumer (`functions/ses-events.ts`): an EventBridge rule on the default bus for
 * our configuration set's events, targeting the function with EventBridge's retry policy and a
 * dead-letter queue (RELIABILITY.md: a target without one drops events after 24 h). EventBridge
 * invokes Lambda asynchronously, so the function has the same dead-letter queue for events it
 * fails on after Lambda's own retries. Events repeat and arrive out of order: the consumer is
 * idempotent per (message id, event type, recipient). It verifies no tracking token, so it gets
 * no tracking secret.
 */
export class SesEvents extends Construct {
  readonly consumer: NodeFunction;
  readonly deadLetterQueue: Queue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: SesEventsProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', 'the SES event rule and consumer');

    this.consumer = new NodeFunction(this, 'Consumer', {
      entry: 'functions/ses-events.ts',
      description: 'ChannelKit SES event consumer: deliveries, bounces, complaints into sends and counters',
      serviceName: 'channelkit-ses-events',
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      timeout: SES_EVENTS_TIMEOUT,
      memorySize: 1024,
      deadLetterQueue: this.deadLetterQueue,
      // Defence in depth: the rule already matches only this configuration set's events.
      environment: { SES_CONFIGURATION_SET: props.sending.configurationSetName },
    });
    bindTable(this.consumer, props.table, 'readWrite');
    denyAuditLogChanges(this.consumer, props.table);

    this.rule = new Rule(this, 'Rule', {
      description: `SES sending events of the ${props.sending.configurationSetName} configuration set`,
      eventPattern: sesEventPattern(props.sending.configurationSetName),
      targets: [
        new LambdaFunction(this.consumer, { deadLetterQueue: this.deadLetterQueue, ...SES_EVENTS_RETRY }),
      ],
    });
  }
}
