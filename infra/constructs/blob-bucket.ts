import { Aws, Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type BlobBinding, blobPrefixes } from './bindings';
import { pinLogicalId } from './pin-logical-id';

/** The logical id of the blob bucket. Never change it: CloudFormation would replace the bucket, and its blobs. */
export const BLOB_BUCKET_LOGICAL_ID = 'BlobBucket';
/** The logical id of the blob bucket's access-log bucket (retained outside dev, so also pinned). */
export const BLOB_ACCESS_LOGS_LOGICAL_ID = 'BlobAccessLogs';

/**
 * The CloudFront path patterns served from the blob bucket's public prefix (paths map 1:1 to
 * keys). Not `/assets/*`: the portal's own build puts its bundles in `/assets/` (Vite's
 * `assetsDir`, in the site bucket), so only the blob store's sub-folders are claimed.
 * Add a folder here when the API starts publishing under a new `assets/<folder>/`.
 */
export const publicBlobPathPatterns = ['/assets/kits/*', '/assets/brands/*'] as const;

export interface BlobBucketProps {
  /** Whether the bucket and its logs outlive the stack. */
  readonly retain: boolean;
  readonly removalPolicy: RemovalPolicy;
  /** How long server access logs are kept. */
  readonly accessLogExpiration: Duration;
}

/**
 * The blob store: kit images under `assets/` (public through CloudFront) and kit archives
 * under `kits/` (private). SSE-S3, not KMS: CloudFront's Origin Access Control can read SSE-S3
 * objects with the bucket policy alone, while a KMS key would need a key policy naming the
 * distribution (which lives in the app stack: a cross-stack cycle), and kms:Decrypt/GenerateDataKey
 * for the API; the objects are either public images or archives the API serves itself.
 *
 * The bucket policy is owned here (a bucket has exactly one): TLS only, and CloudFront
 * distributions of this account may read `assets/*` and nothing else. It cannot name the one
 * distribution: its ARN lives in the app stack, which already depends on this one.
 */
export class BlobBucket extends Construct {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;
  /**
   * What other stacks get: a reference (name, ARN, regional domain) that cannot change the
   * bucket policy, so an origin or grant elsewhere can never widen it or create a cycle.
   */
  readonly binding: BlobBinding;

  constructor(scope: Construct, id: string, props: BlobBucketProps) {
    super(scope, id);

    this.logsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: props.accessLogExpiration }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: !props.retain,
    });
    pinLogicalId(this.logsBucket, BLOB_ACCESS_LOGS_LOGICAL_ID);
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This is the blob bucket's access-log bucket itself; logging it into itself would log its own log writes.",
    });

    this.bucket = new Bucket(this, 'Resource', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'blob-bucket/',
      lifecycleRules: [
        {
          id: 'AbortIncompleteUploadsAndExpireOldVersions',
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(90),
        },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: !props.retain,
    });
    // Pin the logical id: refactoring the construct tree must never rename (= replace) the bucket.
    pinLogicalId(this.bucket, BLOB_BUCKET_LOGICAL_ID);

    const cloudFront = new ServicePrincipal('cloudfront.amazonaws.com');
    const publicObjects = this.bucket.arnForObjects(`${blobPrefixes.public}*`);
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudFrontReadsPublicAssets',
        effect: Effect.ALLOW,
        principals: [cloudFront],
        actions: ['s3:GetObject'],
        resources: [publicObjects],
        conditions: {
          ArnLike: { 'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/*` },
        },
      }),
    );
    // Defence in depth: whatever is added later, CloudFront never reaches kits/ or lists the bucket.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudFrontOnlyPublicAssets',
        effect: Effect.DENY,
        principals: [cloudFront],
        actions: ['s3:*'],
        notResources: [publicObjects],
      }),
    );

    this.binding = { bucket: blobBucketReference(this, this.bucket) };
  }
}

const blobBucketReference = (scope: Construct, bucket: Bucket): IBucket =>
  Bucket.fromBucketAttributes(scope, 'Reference', {
    bucketArn: bucket.bucketArn,
    bucketName: bucket.bucketName,
    bucketRegionalDomainName: bucket.bucketRegionalDomainName,
  });
