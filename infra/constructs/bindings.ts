import { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { AUDIT_PARTITION_PREFIX } from '#functions/audit/keys';

/** What a function needs to know about the single table to be bound to it. */
export interface TableBinding {
  readonly table: ITableV2;
  readonly indexNames: readonly string[];
}

export type TableAccess = 'read' | 'readWrite';

/**
 * The item actions each access level allows. No Scan: every read the product makes is a
 * GetItem or a Query (DESIGN.md), and IAM holds the code to that. Transactions need no
 * actions of their own: TransactWriteItems/TransactGetItems are authorised per item action.
 */
const itemActions: Record<TableAccess, readonly string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
};

/**
 * Binds the single table to a function: sets `TABLE_NAME` and grants exactly the item
 * actions of the access level on the table, plus Query on each named GSI. CDK's
 * `grantReadWriteData` would add Scan, stream reads and `index/*`; this names every ARN.
 * The table uses the AWS-managed key, so no KMS permissions are needed.
 */
export const bindTable = (
  fn: LambdaFunction,
  binding: TableBinding,
  access: TableAccess,
  envName = 'TABLE_NAME',
): void => {
  const { table, indexNames } = binding;
  fn.addEnvironment(envName, table.tableName);
  Grant.addToPrincipal({ grantee: fn, actions: [...itemActions[access]], resourceArns: [table.tableArn] });
  if (indexNames.length > 0) {
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['dynamodb:Query'],
      resourceArns: indexNames.map((name) => `${table.tableArn}/index/${name}`),
    });
  }
};

/** The item actions that could change or remove a stored item (PutItem is needed to append). */
export const AUDIT_LOG_DENIED_ACTIONS = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:UpdateItem',
] as const;

/**
 * Audit-log entries are never updated or deleted (functions/audit): an explicit Deny, which no
 * Allow can override, of UpdateItem, DeleteItem and BatchWriteItem (unconditional puts and deletes)
 * on every item whose partition key starts `AUDIT#` (`dynamodb:LeadingKeys`), also inside
 * TransactWriteItems. PutItem stays allowed because appending is a put; the code makes every entry
 * put conditional on the seq being free (`attribute_not_exists`) and moves the chain head with a
 * version-checked put, never an update, so the Deny costs it nothing. Any overwrite that slipped
 * past still breaks the hash chain, which `GET /api/audit/verify` and `npm run audit -- verify` report.
 */
export const denyAuditLogChanges = (fn: LambdaFunction, binding: TableBinding): void => {
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.DENY,
      actions: [...AUDIT_LOG_DENIED_ACTIONS],
      resources: [binding.table.tableArn],
      conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${AUDIT_PARTITION_PREFIX}*`] } },
    }),
  );
};

/** What a function needs to know about the blob bucket: a reference (it cannot change the bucket policy). */
export interface BlobBinding {
  readonly bucket: IBucket;
}

/**
 * The key prefixes of the blob store (functions/platform/blobs.ts): `assets/` is public (email
 * clients fetch kit images through CloudFront), `kits/` is private (kit archives, API only),
 * `imports/` is private (contact CSVs the API stores and the import worker reads and reports on, and
 * the keyed hashes of account-list uploads), `account-lists/` is private to the API (partners' and the
 * vendor's raw account lists, served back to their owner only; no worker reads them).
 */
export const blobPrefixes = {
  public: 'assets/',
  private: 'kits/',
  imports: 'imports/',
  accountLists: 'account-lists/',
} as const;

export type BlobPrefix = (typeof blobPrefixes)[keyof typeof blobPrefixes];

/**
 * Binds the blob bucket to a function: sets `BLOB_BUCKET` and grants exactly GetObject and
 * PutObject on the given prefixes (default `assets/*` and `kits/*`, the API's kit storage).
 * No ListBucket, no DeleteObject, no other prefix: CDK's `grantReadWrite` would add
 * `s3:GetObject*`, `s3:List*`, `s3:DeleteObject*` and `s3:Abort*` on the whole bucket. SSE-S3,
 * so no KMS permissions. Without ListBucket, S3 answers a GetObject for a missing key with
 * 403 AccessDenied, not 404 NoSuchKey.
 */
export const bindBlobs = (
  fn: LambdaFunction,
  binding: BlobBinding,
  prefixes: readonly BlobPrefix[] = [blobPrefixes.public, blobPrefixes.private],
  envName = 'BLOB_BUCKET',
): void => {
  const { bucket } = binding;
  fn.addEnvironment(envName, bucket.bucketName);
  Grant.addToPrincipal({
    grantee: fn,
    actions: ['s3:GetObject', 's3:PutObject'],
    resourceArns: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
  });
};

/** What a function needs to know about the evidence bucket: a reference and its KMS key's ARN. */
export interface EvidenceBinding {
  readonly bucket: IBucket;
  readonly keyArn: string;
}

/** Every evidence key starts here: `claims/<partnerId>/<claimId>/…` (functions/mdf). */
export const EVIDENCE_PREFIX = 'claims/';

/**
 * Binds the evidence bucket to a function: sets `EVIDENCE_BUCKET`, grants GetObject and PutObject
 * on `claims/*` only, and the two KMS actions SSE-KMS needs on the bucket's key, only through S3
 * (`kms:ViaService`): GenerateDataKey to write, Decrypt to read (and for multipart parts).
 * Not kms:Encrypt: S3 never calls it for SSE-KMS. No ListBucket (a missing key answers 403),
 * no DeleteObject, no retention or legal-hold changes, no bypass of governance retention.
 */
export const bindEvidence = (
  fn: LambdaFunction,
  binding: EvidenceBinding,
  envName = 'EVIDENCE_BUCKET',
): void => {
  const { bucket, keyArn } = binding;
  fn.addEnvironment(envName, bucket.bucketName);
  Grant.addToPrincipal({
    grantee: fn,
    actions: ['s3:GetObject', 's3:PutObject'],
    resourceArns: [bucket.arnForObjects(`${EVIDENCE_PREFIX}*`)],
  });
  Grant.addToPrincipal({
    grantee: fn,
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resourceArns: [keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(fn).region}.amazonaws.com` } },
  });
};

/** What no function may do to evidence: delete any version, or shorten or lift its lock. */
export const EVIDENCE_DENIED_ACTIONS = [
  's3:DeleteObject*',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
] as const;

/**
 * An explicit Deny, which no Allow can override, of deleting evidence (every DeleteObject*
 * action: objects, versions, tags) and of changing its object lock (retention, legal hold,
 * governance bypass), on the bucket and every object in it. Object lock already refuses to delete a
 * locked version; this also stops delete markers (which hide evidence) and keeps a future
 * over-wide grant from reaching the lock. Every function role gets it, whether or not it is
 * granted the bucket.
 */
export const denyEvidenceChanges = (fn: LambdaFunction, binding: EvidenceBinding): void => {
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.DENY,
      actions: [...EVIDENCE_DENIED_ACTIONS],
      resources: [binding.bucket.bucketArn, binding.bucket.arnForObjects('*')],
    }),
  );
};

/**
 * Lets a function put messages on a queue: sets the queue URL (and, when named, its ARN) and
 * grants `sqs:SendMessage` (which also authorises SendMessageBatch) on that queue only. CDK's
 * `grantSendMessages` would add GetQueueAttributes and GetQueueUrl, which a producer that is
 * handed the URL never calls. SQS-managed SSE: no KMS permissions.
 */
export const bindQueueSender = (
  fn: LambdaFunction,
  queue: IQueue,
  env: { readonly url: string; readonly arn?: string },
): void => {
  fn.addEnvironment(env.url, queue.queueUrl);
  if (env.arn) fn.addEnvironment(env.arn, queue.queueArn);
  Grant.addToPrincipal({ grantee: fn, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
};

/**
 * Lets a function read one secret: sets its ARN and grants `secretsmanager:GetSecretValue` on
 * that secret's full ARN only. CDK's `grantRead` would add DescribeSecret. The secret uses the
 * AWS-managed key (`aws/secretsmanager`), so no KMS permissions are needed.
 */
export const bindSecret = (fn: LambdaFunction, secret: ISecret, envName: string): void => {
  fn.addEnvironment(envName, secret.secretArn);
  Grant.addToPrincipal({
    grantee: fn,
    actions: ['secretsmanager:GetSecretValue'],
    resourceArns: [secret.secretArn],
  });
};
