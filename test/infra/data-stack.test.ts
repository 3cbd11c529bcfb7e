import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { tableDefinition } from '#platform/table-definition';
import { buildTestApp, type TestApp } from './build-app';

const bucketPolicySchema = z.object({
  Properties: z.object({
    Bucket: z.object({ Ref: z.string() }),
    PolicyDocument: z.object({ Statement: z.array(z.record(z.string(), z.unknown())) }),
  }),
});

/** The statements of the bucket policy attached to the bucket with this logical id. */
const bucketPolicyStatements = (template: Template, bucketId: string): Record<string, unknown>[] =>
  Object.values(template.findResources('AWS::S3::BucketPolicy'))
    .map((policy) => bucketPolicySchema.parse(policy).Properties)
    .filter((policy) => policy.Bucket.Ref === bucketId)
    .flatMap((policy) => policy.PolicyDocument.Statement);

const blobArn = { 'Fn::GetAtt': ['BlobBucket', 'Arn'] };
const blobObjects = (pattern: string) => ({ 'Fn::Join': ['', [blobArn, `/${pattern}`]] });

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

describe('DataStack', () => {
  let devApp: TestApp;
  let prodApp: TestApp;
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    devApp = buildTestApp({ stage: 'dev' });
    prodApp = buildTestApp({ stage: 'prod' });
    dev = Template.fromStack(devApp.data);
    prod = Template.fromStack(prodApp.data);
  });

  it('holds exactly one table, under the pinned logical id "Table"', () => {
    const tables = dev.findResources('AWS::DynamoDB::GlobalTable');

    expect(Object.keys(tables)).toEqual(['Table']);
    expect(prod.findResources('AWS::DynamoDB::GlobalTable')).toHaveProperty('Table');
  });

  it('takes its key schema and GSIs from tableDefinition', () => {
    const { partitionKey, sortKey, globalSecondaryIndexes } = tableDefinition;

    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: keySchema(partitionKey.name, sortKey.name),
      GlobalSecondaryIndexes: globalSecondaryIndexes.map((gsi) => ({
        IndexName: gsi.indexName,
        KeySchema: keySchema(gsi.partitionKey.name, gsi.sortKey.name),
        Projection: { ProjectionType: 'ALL' },
      })),
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
        { AttributeName: sortKey.name, AttributeType: sortKey.type },
      ]),
    });
  });

  it('expires items on the TTL attribute and streams new and old images', () => {
    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: tableDefinition.streamViewType },
    });
  });

  it('bills on demand and encrypts with the AWS-managed KMS key', () => {
    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.absent() },
    });
  });

  it('keeps 35 days of point-in-time recovery in every stage', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
          }),
        ],
      });
    }
  });

  it('retains the table with deletion protection outside dev', () => {
    prod.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
  });

  it('lets a dev table go with its stack', () => {
    dev.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
    });
  });

  it('protects the prod data stack from termination', () => {
    expect(prodApp.data.terminationProtection).toBe(true);
    expect(devApp.data.terminationProtection).toBe(false);
  });
});

describe('DataStack: the blob bucket', () => {
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    dev = Template.fromStack(buildTestApp({ stage: 'dev' }).data);
    prod = Template.fromStack(buildTestApp({ stage: 'prod' }).data);
  });

  it('keeps blobs under the pinned logical id "BlobBucket", with its own access-log bucket', () => {
    for (const template of [dev, prod]) {
      // EvidenceBucket: MDF evidence (test/infra/evidence.test.ts), logged to BlobAccessLogs too.
      expect(Object.keys(template.findResources('AWS::S3::Bucket')).sort()).toEqual([
        'BlobAccessLogs',
        'BlobBucket',
        'EvidenceBucket',
      ]);
    }
  });

  it('encrypts both buckets with S3-managed keys and blocks all public access', () => {
    for (const bucketId of ['BlobBucket', 'BlobAccessLogs']) {
      expect(dev.toJSON().Resources[bucketId].Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    }
  });

  it('denies every request to either bucket that does not use TLS', () => {
    for (const bucketId of ['BlobBucket', 'BlobAccessLogs']) {
      const arn = { 'Fn::GetAtt': [bucketId, 'Arn'] };

      expect(bucketPolicyStatements(dev, bucketId)).toContainEqual({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [arn, { 'Fn::Join': ['', [arn, '/*']] }],
      });
    }
  });

  it('versions blobs and logs every access to the access-log bucket', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: 'BlobAccessLogs' },
        LogFilePrefix: 'blob-bucket/',
      },
    });
    expect(bucketPolicyStatements(dev, 'BlobAccessLogs')).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: expect.objectContaining({ ArnLike: { 'aws:SourceArn': blobArn } }),
      }),
    );
  });

  it('aborts incomplete multipart uploads after 7 days and expires old versions after 90', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Status: 'Enabled',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            NoncurrentVersionExpiration: { NoncurrentDays: 90 },
          }),
        ],
      },
    });
  });

  it('expires access logs after a year outside dev and a month in dev', () => {
    const expiration = (template: Template) =>
      template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.absent() } });

    expect(Object.keys(expiration(prod))).toEqual(['BlobAccessLogs']);
    prod.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 365, Status: 'Enabled' }] },
    });
    dev.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }] },
    });
  });

  it('retains the bucket and its logs outside dev, and never empties them', () => {
    for (const bucketId of ['BlobBucket', 'BlobAccessLogs']) {
      expect(prod.toJSON().Resources[bucketId]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
    prod.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('lets dev blobs go with the stack (emptied first)', () => {
    for (const bucketId of ['BlobBucket', 'BlobAccessLogs']) {
      expect(dev.toJSON().Resources[bucketId]).toMatchObject({ DeletionPolicy: 'Delete' });
      dev.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: bucketId } });
    }
  });

  it('lets CloudFront read assets/* and nothing else: no kits/*, no listing', () => {
    const cloudFront = bucketPolicyStatements(dev, 'BlobBucket').filter(
      (statement) => JSON.stringify(statement.Principal) === '{"Service":"cloudfront.amazonaws.com"}',
    );

    expect(cloudFront).toEqual([
      {
        Sid: 'CloudFrontReadsPublicAssets',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: blobObjects('assets/*'),
        // Distributions of this account only (the one distribution lives in the app stack).
        Condition: {
          ArnLike: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/*',
                ],
              ],
            },
          },
        },
      },
      {
        Sid: 'CloudFrontOnlyPublicAssets',
        Effect: 'Deny',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:*',
        NotResource: blobObjects('assets/*'),
      },
    ]);
  });

  it('grants no one else anything in the bucket policy (dev: only the emptying handler)', () => {
    const others = (template: Template) =>
      bucketPolicyStatements(template, 'BlobBucket').filter(
        (statement) => JSON.stringify(statement.Principal) !== '{"Service":"cloudfront.amazonaws.com"}',
      );
    const tlsOnly = expect.objectContaining({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });

    expect(others(prod)).toEqual([tlsOnly]);
    expect(others(dev)).toEqual([
      tlsOnly,
      expect.objectContaining({
        Effect: 'Allow',
        Principal: {
          AWS: { 'Fn::GetAtt': [expect.stringMatching(/^CustomS3AutoDeleteObjects/), 'Arn'] },
        },
      }),
    ]);
  });
});
