import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { dataRemovalPolicy, type StageConfig } from './config';
import type { BlobBinding, EvidenceBinding, TableBinding } from './constructs/bindings';
import { BlobBucket } from './constructs/blob-bucket';
import { EvidenceBucket } from './constructs/evidence-bucket';
import { type SendingBinding, SesSending } from './constructs/ses-sending';
import { SingleTable } from './constructs/single-table';
import { TrackingSecret } from './constructs/tracking-secret';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The stateful stack: what holds data and must outlive any redeploy of the stateless one.
 * The single table, the blob bucket (kit images and archives), the evidence bucket (MDF invoices,
 * receipts and POP packs), the tracking secret (signs the links in sent emails) and SES
 * (configuration set; the vendor's domain identity when configured).
 * Outside `dev` the stack has termination protection, the table is retained with deletion
 * protection, and the blob bucket (and its access logs), the secret and the identity are retained.
 * The evidence bucket and its key are retained in every stage (object lock: see EvidenceBucket).
 */
export class DataStack extends Stack {
  readonly table: TableBinding;
  readonly blobs: BlobBinding;
  readonly evidence: EvidenceBinding;
  readonly trackingSecret: ISecret;
  readonly sending: SendingBinding;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: props.config.retainData, ...props });
    const removalPolicy = dataRemovalPolicy(props.config);
    const { table, indexNames } = new SingleTable(this, 'Table', {
      retain: props.config.retainData,
      removalPolicy,
    });
    this.table = { table, indexNames };
    const blobs = new BlobBucket(this, 'Blobs', {
      retain: props.config.retainData,
      removalPolicy,
      accessLogExpiration: props.config.accessLogExpiration,
    });
    this.blobs = blobs.binding;
    this.evidence = new EvidenceBucket(this, 'Evidence', {
      retention: props.config.evidenceRetention,
      accessLogs: blobs.logsBucket,
    }).binding;
    this.trackingSecret = new TrackingSecret(this, 'TrackingSecret', { removalPolicy }).secret;
    this.sending = new SesSending(this, 'Ses', {
      stage: props.config.stage,
      sendingDomain: props.config.vendorSendingDomain,
      removalPolicy,
    }).binding;
  }
}
