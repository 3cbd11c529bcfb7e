import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectLockRetention,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EvidenceBinding } from './bindings';
import { pinLogicalId } from './pin-logical-id';

/** The logical id of the evidence bucket. Never change it: CloudFormation would replace the bucket. */
export const EVIDENCE_BUCKET_LOGICAL_ID = 'EvidenceBucket';
/** The logical id of the evidence bucket's KMS key (a replaced key could no longer decrypt old evidence). */
export const EVIDENCE_KEY_LOGICAL_ID = 'EvidenceKey';

export interface EvidenceBucketProps {
  /**
   * The default object-lock retention of every object version (GOVERNANCE mode): 7 years outside
   * dev, 1 day in dev (`StageConfig.evidenceRetention`).
   */
  readonly retention: Duration;
  /** Where S3 server access logs go (the blob bucket's access-log bucket, SSE-S3 as S3 logging needs). */
  readonly accessLogs: IBucket;
}

/**
 * The MDF evidence store (functions/platform/evidence-s3.ts): invoices, receipts and frozen POP
 * packs under `claims/<partnerId>/<claimId>/…`, written once and kept.
 *
 * - Its own customer-managed KMS key, rotated yearly, with an S3 bucket key (one KMS call per
 *   bucket key, not per object). Only roles granted the key can read evidence, so a wide
 *   `s3:GetObject` elsewhere in the account still returns nothing readable.
 * - Versioned, with object lock and a default retention in GOVERNANCE mode: no version can be
 *   deleted or overwritten before it expires, except by a principal holding
 *   `s3:BypassGovernanceRetention` who asks for it explicitly (an operator cleaning up a test
 *   stage). COMPLIANCE mode would make that impossible even for the account root, which suits a
 *   regulator's retention rule but leaves an unremovable dev bucket. Object lock can only be
 *   turned on when a bucket is created: it is here from the start.
 * - The bucket policy: TLS only, and every put must be conditional (`If-None-Match`), so no one
 *   can overwrite a key even with s3:PutObject (S3 "Enforce conditional writes").
 * - Retained in every stage and no lifecycle rules: evidence is never expired by the platform.
 *   A dev stack leaves the bucket behind when it is destroyed (its objects are locked for a day).
 */
export class EvidenceBucket extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  /** What other stacks get: a bucket reference (cannot change the bucket policy) and the key ARN. */
  readonly binding: EvidenceBinding;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: 'ChannelKit evidence bucket: encrypts invoices, receipts and POP packs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.key, EVIDENCE_KEY_LOGICAL_ID);

    this.bucket = new Bucket(this, 'Resource', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.governance(props.retention),
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'evidence-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.bucket, EVIDENCE_BUCKET_LOGICAL_ID);

    // Write-once for everyone: a put without If-None-Match (which could overwrite, making a new
    // current version) is refused. CopyObject cannot carry it, so copies into the bucket fail too.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EvidenceIsWriteOnce',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );

    this.binding = {
      bucket: Bucket.fromBucketAttributes(this, 'Reference', {
        bucketArn: this.bucket.bucketArn,
        bucketName: this.bucket.bucketName,
      }),
      keyArn: this.key.keyArn,
    };
  }
}
