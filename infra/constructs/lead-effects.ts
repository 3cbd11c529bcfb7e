import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAX_ATTEMPTS } from '#functions/leads/effects/backoff';
import {
  LEAD_EFFECTS_READ_ACTIONS,
  LEAD_EFFECTS_READ_PREFIXES,
  LEAD_EFFECTS_WRITE_ACTIONS,
  LEAD_EFFECTS_WRITE_PREFIXES,
} from '#functions/leads/effects/keys';
import { bindQueueSender, bindSecret, denyAuditLogChanges, type TableBinding } from './bindings';
import { type LogLevel, NodeFunction } from './node-function';
import type { SendingBinding } from './ses-sending';
import { deadLetterQueue, visibilityTimeoutFor } from './work-queue';

/** A batch of 5 side by side, each at most one 10 s webhook attempt or one SES send, with room to spare. */
export const LEAD_EFFECTS_TIMEOUT = Duration.seconds(60);
export const LEAD_EFFECTS_BATCH_SIZE = 5;
export const LEAD_EFFECTS_MAX_CONCURRENCY = 5;

export interface LeadEffectsProps {
  readonly table: TableBinding;
  /** Webhook signing secrets are sealed under a key derived from it (the API seals, the worker opens). */
  readonly trackingSecret: ISecret;
  readonly sending: SendingBinding;
  /** `SENDER_DOMAIN`: notifications come from notifications@ it (the vendor's identity). */
  readonly senderDomain: string;
  readonly vendorName: string;
  /** CloudFront's origin: the portal link in notification emails. */
  readonly publicBaseUrl: string;
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Lead effects (issue 5): the lead-effects queue and its worker (`functions/lead-effects.ts`).
 * The API puts lead events (capture, lifecycle) and webhook test deliveries on the queue; the
 * worker notifies partners of new EQLs (portal feed, an email through SES) and delivers CRM
 * webhooks, putting one delivery message per webhook back on the same queue.
 *
 * Retries with backoff need no second queue: a failed attempt extends its message's visibility by
 * its backoff (ChangeMessageVisibility) and reports it failed; after MAX_ATTEMPTS receives the
 * redrive policy moves it to the dead-letter queue (the worker logs it as failed first).
 *
 * Least privilege: the table's items by partition prefix (`dynamodb:LeadingKeys`): GetItem and
 * Query on what it reads, PutItem and UpdateItem on deliveries, effect markers and partner
 * notifications only; `ses:SendEmail` from the vendor's identity with our configuration set
 * only; the tracking secret; consume and send on its own queue.
 */
export class LeadEffects extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly worker: NodeFunction;

  constructor(scope: Construct, id: string, props: LeadEffectsProps) {
    super(scope, id);
    this.worker = new NodeFunction(this, 'Worker', {
      entry: 'functions/lead-effects.ts',
      description:
        'ChannelKit lead effects: new-EQL notifications to partners (SES) and CRM webhook deliveries',
      serviceName: 'channelkit-lead-effects',
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      timeout: LEAD_EFFECTS_TIMEOUT,
      memorySize: 1024,
      environment: {
        SENDER_DOMAIN: props.senderDomain,
        SES_CONFIGURATION_SET: props.sending.configurationSetName,
        PUBLIC_BASE_URL: props.publicBaseUrl,
        VENDOR_NAME: props.vendorName,
      },
    });

    this.deadLetterQueue = deadLetterQueue(
      this,
      'DeadLetters',
      `the lead-effects queue (lead events and webhook deliveries, after ${MAX_ATTEMPTS} receives)`,
    );
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: visibilityTimeoutFor(LEAD_EFFECTS_TIMEOUT),
      // A webhook delivery gets MAX_ATTEMPTS attempts (functions/leads/effects/backoff.ts).
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_ATTEMPTS },
    });

    this.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: LEAD_EFFECTS_BATCH_SIZE,
        maxConcurrency: LEAD_EFFECTS_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
    Validations.of(this.worker).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: `Invoked only by an SQS event source mapping (synchronously): a failed message returns to the queue and moves to its dead-letter queue after ${MAX_ATTEMPTS} receives; a function DLQ only ever receives asynchronous invocations.`,
    });
    for (const mapping of this.worker.node.findAll().filter((node) => node instanceof EventSourceMapping)) {
      Validations.of(mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: `An SQS event source mapping takes no on-failure destination (Lambda supports them for streams and Kafka); failures go to the queue's redrive dead-letter queue after ${MAX_ATTEMPTS} receives.`,
      });
    }

    // Delivery messages go back on this queue (one per webhook of an event).
    bindQueueSender(this.worker, this.queue, { url: 'LEAD_EFFECTS_QUEUE_URL' });
    bindSecret(this.worker, props.trackingSecret, 'TRACKING_SECRET_ARN');
    this.bindTable(props.table);
    // Its grants never name AUDIT# keys; the Deny keeps it so if they ever widen.
    denyAuditLogChanges(this.worker, props.table);
    this.allowNotificationEmail(props.sending, props.senderDomain);
  }

  private bindTable(binding: TableBinding): void {
    const { table } = binding;
    this.worker.addEnvironment('TABLE_NAME', table.tableName);
    const leadingKeys = (prefixes: readonly string[]) => ({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) },
    });
    Grant.addToPrincipal({
      grantee: this.worker,
      actions: [...LEAD_EFFECTS_READ_ACTIONS],
      resourceArns: [table.tableArn],
      conditions: leadingKeys(LEAD_EFFECTS_READ_PREFIXES),
    });
    Grant.addToPrincipal({
      grantee: this.worker,
      actions: [...LEAD_EFFECTS_WRITE_ACTIONS],
      resourceArns: [table.tableArn],
      conditions: leadingKeys(LEAD_EFFECTS_WRITE_PREFIXES),
    });
  }

  /** The vendor's identity only (not partners' domains: notifications come from the vendor). */
  private allowNotificationEmail(sending: SendingBinding, senderDomain: string): void {
    const stack = Stack.of(this);
    this.worker.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain }),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: sending.configurationSetName,
          }),
        ],
      }),
    );
  }
}
