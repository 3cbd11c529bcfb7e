import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { accountArnFinding, acknowledgeWildcardsWhenResolved } from './acknowledge';
import {
  type BlobBinding,
  bindBlobs,
  bindQueueSender,
  bindSecret,
  bindTable,
  blobPrefixes,
  denyAuditLogChanges,
  type TableBinding,
} from './bindings';
import { BLOB_BUCKET_LOGICAL_ID } from './blob-bucket';
import { type LogLevel, NodeFunction } from './node-function';
import { pinLogicalId } from './pin-logical-id';
import type { SendingBinding } from './ses-sending';
import { WorkQueue } from './work-queue';

/** The send queue's logical id: pending schedules name its ARN, so a rename would strand them. */
export const SEND_QUEUE_LOGICAL_ID = 'SendQueue';

export const SEND_WORKER_TIMEOUT = Duration.seconds(60);
export const IMPORT_WORKER_TIMEOUT = Duration.minutes(15);

/**
 * One message per invocation: a `send-batch` carries up to 50 recipients, sent at
 * (account rate / SEND_MAX_CONCURRENCY) per worker, so a bigger batch would not fit in 60 s.
 */
export const SEND_BATCH_SIZE = 1;
/** Imports run up to 15 minutes each; one at a time per invocation, a few invocations at once. */
export const IMPORT_BATCH_SIZE = 1;
export const IMPORT_MAX_CONCURRENCY = 5;

export interface SendPipelineProps {
  readonly table: TableBinding;
  readonly blobs: BlobBinding;
  readonly trackingSecret: ISecret;
  readonly sending: SendingBinding;
  /** `SENDER_DOMAIN`: the vendor's sending domain, or a placeholder in dev. */
  readonly senderDomain: string;
  readonly vendor: { readonly name: string; readonly website: string };
  /** CloudFront's origin: kit images, tracking and unsubscribe links in emails. */
  readonly publicBaseUrl: string;
  /** Most send workers at once (the event source's maximum concurrency). */
  readonly sendConcurrency: number;
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

const sqsWorkerDlqReason =
  'Invoked only by an SQS event source mapping (synchronously): a failed message returns to the queue and moves to its dead-letter queue after 5 receives; a function DLQ only ever receives asynchronous invocations.';
const sqsMappingDestinationReason =
  "An SQS event source mapping takes no on-failure destination (Lambda supports them for streams and Kafka); failures go to the queue's redrive dead-letter queue after 5 receives.";

/**
 * The send pipeline (issue 4): the send queue and its worker, the import queue and its worker.
 *
 * Send: `launch`, `expand` and `send-batch` messages on one queue. The worker (60 s, 1 GB) takes
 * one message at a time, at most `sendConcurrency` at once, reports per-message failures, and
 * enqueues on the same queue (expand → send batches). It may send email only with the ChannelKit
 * configuration set (from the vendor's or a partner's verified domain), and read the account's send quota.
 *
 * Import: contact CSVs stored by the API under `imports/`; the worker (15 min) reads and writes
 * that prefix only, and the table.
 */
export class SendPipeline extends Construct {
  readonly sendQueue: WorkQueue;
  readonly importQueue: WorkQueue;
  readonly sendWorker: NodeFunction;
  readonly importWorker: NodeFunction;

  constructor(scope: Construct, id: string, props: SendPipelineProps) {
    super(scope, id);
    const common = {
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    };

    this.sendWorker = new NodeFunction(this, 'SendWorker', {
      ...common,
      entry: 'functions/send-worker.ts',
      description: 'ChannelKit send worker: launches, expands and sends campaign batches through SES',
      serviceName: 'channelkit-send-worker',
      timeout: SEND_WORKER_TIMEOUT,
      memorySize: 1024,
      environment: {
        SEND_MAX_CONCURRENCY: String(props.sendConcurrency),
        SES_CONFIGURATION_SET: props.sending.configurationSetName,
        SENDER_DOMAIN: props.senderDomain,
        VENDOR_NAME: props.vendor.name,
        VENDOR_WEBSITE: props.vendor.website,
        PUBLIC_BASE_URL: props.publicBaseUrl,
      },
    });
    this.sendQueue = new WorkQueue(this, 'Send', {
      consumerTimeout: SEND_WORKER_TIMEOUT,
      purpose: 'the send queue (launch, expand and send-batch messages)',
    });
    pinLogicalId(this.sendQueue.queue, SEND_QUEUE_LOGICAL_ID);
    consume(this.sendWorker, this.sendQueue.queue, {
      batchSize: SEND_BATCH_SIZE,
      maxConcurrency: props.sendConcurrency,
    });
    bindTable(this.sendWorker, props.table, 'readWrite');
    denyAuditLogChanges(this.sendWorker, props.table);
    bindQueueSender(this.sendWorker, this.sendQueue.queue, { url: 'SEND_QUEUE_URL' });
    bindSecret(this.sendWorker, props.trackingSecret, 'TRACKING_SECRET_ARN');
    this.allowSending(props.sending);

    this.importWorker = new NodeFunction(this, 'ImportWorker', {
      ...common,
      entry: 'functions/import-worker.ts',
      description: 'ChannelKit import worker: reads contact CSVs from imports/ into the table',
      serviceName: 'channelkit-import-worker',
      timeout: IMPORT_WORKER_TIMEOUT,
      memorySize: 1024,
    });
    this.importQueue = new WorkQueue(this, 'Import', {
      consumerTimeout: IMPORT_WORKER_TIMEOUT,
      purpose: 'the import queue (contact CSV imports)',
    });
    consume(this.importWorker, this.importQueue.queue, {
      batchSize: IMPORT_BATCH_SIZE,
      maxConcurrency: IMPORT_MAX_CONCURRENCY,
    });
    bindTable(this.importWorker, props.table, 'readWrite');
    denyAuditLogChanges(this.importWorker, props.table);
    bindBlobs(this.importWorker, props.blobs, [blobPrefixes.imports]);
    // A long import re-enqueues itself before its time budget runs out and resumes from its checkpoint.
    bindQueueSender(this.importWorker, this.importQueue.queue, { url: 'IMPORT_QUEUE_URL' });
    acknowledgeWildcardsWhenResolved(this.importWorker.role ?? this.importWorker, [
      {
        finding: new RegExp(`^Resource::.*${BLOB_BUCKET_LOGICAL_ID}\\.?Arn.*/imports/\\*$`),
        reason:
          'Import file keys carry partner and import ids, so GetObject/PutObject name the imports/ prefix only (bindBlobs); no ListBucket, no Delete, no other prefix.',
      },
    ]);
  }

  /**
   * `ses:SendEmail` on the account's identities and the configuration set: SES authorises a send
   * against both ARNs, so the worker sends only with our configuration set. The identity is the
   * vendor's domain or a partner's own verified domain (issue 4), named at run time, hence
   * `identity/*`; SES itself refuses unverified identities. `ses:GetAccount` (the send quota and
   * rate) supports no resource-level permission: its own policy, acknowledged there.
   */
  private allowSending(sending: SendingBinding): void {
    const stack = Stack.of(this);
    // Partners' own verified domains (issue 4) are identities named at run time, so the grant is
    // every identity of the account, still only with our configuration set.
    const identityArn = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
    const configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: sending.configurationSetName,
    });
    this.sendWorker.addToRolePolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: [identityArn, configurationSetArn] }),
    );
    acknowledgeWildcardsWhenResolved(this.sendWorker.role ?? this.sendWorker, [
      {
        finding: accountArnFinding('ses', 'identity/*'),
        reason:
          'The worker sends From the vendor domain or a partner’s own verified domain (SES identities created at run time, one per partner, claimed in the table and tagged with the owner; the worker picks From only from its partner’s stored, verified domain), always with the ChannelKit configuration set. In dev also identities verified by hand (sandbox, mailbox simulator).',
      },
    ]);
    const account = new Policy(this, 'SendWorkerSesAccount', {
      statements: [new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] })],
    });
    if (this.sendWorker.role) account.attachToRole(this.sendWorker.role);
    Validations.of(account).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:GetAccount (the send quota and maximum send rate the worker divides among its peers) supports no resource-level permissions; this policy holds nothing else.',
    });
  }
}

/**
 * Subscribes a worker to its queue: per-message failures (ReportBatchItemFailures), a batch size
 * and a maximum concurrency. SQS workers need no function DLQ and take no mapping destination
 * (the queue's redrive policy is their dead-letter path): both acknowledged here.
 */
const consume = (
  fn: NodeFunction,
  queue: Queue,
  options: { readonly batchSize: number; readonly maxConcurrency: number },
): void => {
  fn.addEventSource(new SqsEventSource(queue, { ...options, reportBatchItemFailures: true }));
  Validations.of(fn).acknowledge({ id: 'Serverless-LambdaDLQ', reason: sqsWorkerDlqReason });
  for (const mapping of fn.node.findAll().filter((node) => node instanceof EventSourceMapping)) {
    Validations.of(mapping).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: sqsMappingDestinationReason,
    });
  }
};
