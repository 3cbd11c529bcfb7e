import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DEFAULT_EVIDENCE_RETENTION_DAYS, parseStageConfig } from '../../infra/config';
import { AUDIT_APPEND_FAILED_MESSAGE } from '../../infra/constructs/ops-alarms';
import { buildTestApp, type TestApp } from './build-app';
import {
  asList,
  evidenceDeny,
  fromDataStack,
  functionByDescription,
  roleStatements,
  type Statement,
} from './template-helpers';

/*
 * MDF evidence in AWS (issue 6, Infra): invoices, receipts and POP packs in their own bucket,
 * KMS-encrypted with their own key, versioned with object lock, TLS only, write-once, never
 * public; only the API may put and get, under claims/ only; no function may delete or unlock.
 */
const bucketPolicySchema = z.object({
  Properties: z.object({
    Bucket: z.object({ Ref: z.string() }),
    PolicyDocument: z.object({ Statement: z.array(z.record(z.string(), z.unknown())) }),
  }),
});

const evidenceArn = { 'Fn::GetAtt': ['EvidenceBucket', 'Arn'] };
const evidenceObjects = { 'Fn::Join': ['', [evidenceArn, '/*']] };

const FUNCTIONS = [
  'ChannelKit HTTP API',
  'ChannelKit send worker',
  'ChannelKit import worker',
  'ChannelKit SES event consumer',
  'ChannelKit unsubscribe mail',
  'ChannelKit lead effects',
] as const;

describe('the evidence bucket (DataStack)', () => {
  let devApp: TestApp;
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    devApp = buildTestApp({ stage: 'dev' });
    dev = Template.fromStack(devApp.data);
    prod = Template.fromStack(buildTestApp({ stage: 'prod' }).data);
  });

  const bucket = (template: Template) => template.toJSON().Resources.EvidenceBucket;
  const policy = (template: Template) =>
    Object.values(template.findResources('AWS::S3::BucketPolicy'))
      .map((found) => bucketPolicySchema.parse(found).Properties)
      .filter((found) => found.Bucket.Ref === 'EvidenceBucket')
      .flatMap((found) => found.PolicyDocument.Statement);

  it('encrypts with its own rotating KMS key (pinned "EvidenceKey") and an S3 bucket key', () => {
    expect(bucket(dev).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': ['EvidenceKey', 'Arn'] },
          },
        },
      ],
    });
    expect(dev.toJSON().Resources.EvidenceKey).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true },
    });
  });

  it('blocks all public access', () => {
    expect(bucket(dev).Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('versions objects and locks each version in GOVERNANCE mode: 7 years outside dev, 1 day in dev', () => {
    expect(DEFAULT_EVIDENCE_RETENTION_DAYS).toBe(2557);
    expect(bucket(prod).Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2557 } },
      },
    });
    expect(bucket(dev).Properties.ObjectLockConfiguration.Rule).toEqual({
      DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 },
    });
  });

  it('takes the retention from context (evidenceRetentionDays) and refuses less than a day', () => {
    const custom = Template.fromStack(buildTestApp({ stage: 'prod', evidenceRetentionDays: '3653' }).data);

    expect(bucket(custom).Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days).toBe(3653);
    expect(() => parseStageConfig({ evidenceRetentionDays: 0 })).toThrow(/evidenceRetentionDays/);
  });

  it('has no lifecycle rule: the platform never expires evidence', () => {
    expect(bucket(prod).Properties.LifecycleConfiguration).toBeUndefined();
  });

  it('retains the bucket and its key in every stage, and never empties the bucket', () => {
    for (const template of [dev, prod]) {
      for (const id of ['EvidenceBucket', 'EvidenceKey']) {
        expect(template.toJSON().Resources[id]).toMatchObject({
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
        });
      }
    }
    const autoDelete = Object.values(dev.findResources('Custom::S3AutoDeleteObjects'));
    expect(JSON.stringify(autoDelete)).not.toContain('EvidenceBucket');
  });

  it('logs every access to the access-log bucket under evidence-bucket/', () => {
    expect(bucket(dev).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: 'BlobAccessLogs' },
      LogFilePrefix: 'evidence-bucket/',
    });
    const logPolicy = Object.values(dev.findResources('AWS::S3::BucketPolicy'))
      .map((found) => bucketPolicySchema.parse(found).Properties)
      .filter((found) => found.Bucket.Ref === 'BlobAccessLogs')
      .flatMap((found) => found.PolicyDocument.Statement);
    expect(logPolicy).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: expect.objectContaining({ ArnLike: { 'aws:SourceArn': evidenceArn } }),
      }),
    );
  });

  it('has a bucket policy of two Denies: any request without TLS, any put without If-None-Match', () => {
    expect(policy(prod)).toEqual([
      {
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [evidenceArn, evidenceObjects],
      },
      {
        Sid: 'EvidenceIsWriteOnce',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Principal: { AWS: '*' },
        // S3 "Enforce conditional writes": the key is absent when the put has no If-None-Match.
        Condition: { Null: { 's3:if-none-match': 'true' } },
        Resource: evidenceObjects,
      },
    ]);
  });
});

describe('who may use the evidence bucket (AppStack)', () => {
  let app: TestApp;
  let template: Template;
  let api: Statement[];

  beforeAll(() => {
    app = buildTestApp({ stage: 'dev' });
    template = Template.fromStack(app.app);
    api = roleStatements(template, functionByDescription(template, 'ChannelKit HTTP API').roleId).map(
      (found) => found.statement,
    );
  });

  const mentionsEvidence = (statement: Statement) => JSON.stringify(statement).includes('Evidence');

  it('tells the API the bucket name in EVIDENCE_BUCKET, and no other function', () => {
    expect(functionByDescription(template, 'ChannelKit HTTP API').env.EVIDENCE_BUCKET).toEqual(
      fromDataStack(app.data.stackName, /^PublishOutputRefEvidenceBucket/),
    );
    for (const description of FUNCTIONS.slice(1)) {
      expect(functionByDescription(template, description).env, description).not.toHaveProperty(
        'EVIDENCE_BUCKET',
      );
    }
  });

  it('lets the API get and put objects under claims/ only, and use the key only through S3', () => {
    const allowed = api.filter((s) => s.Effect === 'Allow' && mentionsEvidence(s));
    const s3 = allowed.filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
    const kms = allowed.filter((s) => asList(s.Action).some((a) => a.startsWith('kms:')));
    const evidenceResources = s3
      .flatMap((s) => asList(s.Resource))
      .filter((r) => JSON.stringify(r).includes('Evidence'));

    expect(s3.map((s) => s.Action)).toEqual([['s3:GetObject', 's3:PutObject']]);
    expect(evidenceResources).toEqual([
      {
        'Fn::Join': [
          '',
          [fromDataStack(app.data.stackName, /^PublishOutputFnGetAttEvidenceBucketArn/), '/claims/*'],
        ],
      },
    ]);
    expect(kms).toEqual([
      {
        Effect: 'Allow',
        // GenerateDataKey to write, Decrypt to read: no Encrypt, no ReEncrypt, no key management.
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: fromDataStack(app.data.stackName, /^PublishOutputFnGetAttEvidenceKeyArn/),
        Condition: {
          StringEquals: {
            'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          },
        },
      },
    ]);
  });

  it('never allows the API ListBucket, delete, retention, legal-hold or governance-bypass actions', () => {
    const allowedS3 = api
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => asList(s.Action))
      .filter((a) => a.startsWith('s3:'));

    expect([...new Set(allowedS3)].sort()).toEqual(['s3:GetObject', 's3:PutObject']);
  });

  it('gives no other function any Allow on the evidence bucket or its key', () => {
    for (const description of FUNCTIONS.slice(1)) {
      const statements = roleStatements(template, functionByDescription(template, description).roleId).map(
        (found) => found.statement,
      );
      expect(
        statements.filter((s) => s.Effect === 'Allow' && mentionsEvidence(s)),
        description,
      ).toEqual([]);
    }
  });

  it('denies every function role deleting evidence or changing its lock, on the bucket and every object', () => {
    for (const description of FUNCTIONS) {
      const statements = roleStatements(template, functionByDescription(template, description).roleId).map(
        (found) => found.statement,
      );
      expect(
        statements.filter((s) => s.Effect === 'Deny' && mentionsEvidence(s)),
        description,
      ).toEqual([evidenceDeny(app.data.stackName)]);
    }
  });
});

describe('MDF alarms (AppStack)', () => {
  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(buildTestApp({ stage: 'dev' }).app);
  });

  const filterOn = (metricName: string) => {
    const found = Object.values(template.findResources('AWS::Logs::MetricFilter')).filter((f) =>
      JSON.stringify(f).includes(`"MetricName":"${metricName}"`),
    );
    expect(found, metricName).toHaveLength(1);
    return found[0]?.Properties;
  };
  const alarmOn = (metricName: string) =>
    Object.values(
      template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
    )[0]?.Properties;

  it('counts the API’s ERROR "audit append failed" log lines and alarms on the first one', () => {
    expect(AUDIT_APPEND_FAILED_MESSAGE).toBe('audit append failed');
    expect(filterOn('MdfAuditAppendFailed')).toEqual({
      FilterPattern: '{ ($.level = "ERROR") && ($.message = "audit append failed") }',
      LogGroupName: { Ref: expect.stringMatching(/^ApiFunctionLogGroup/) },
      MetricTransformations: [
        {
          MetricName: 'MdfAuditAppendFailed',
          MetricNamespace: 'ChannelKit/ChannelKit-dev-App',
          MetricValue: '1',
        },
      ],
    });
    expect(alarmOn('MdfAuditAppendFailed')).toMatchObject({
      Namespace: 'ChannelKit/ChannelKit-dev-App',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmsTopic/) }],
    });
  });

  it('counts 5xx answers under /api/mdf/ in the HTTP API access log and alarms at 3 in 5 minutes', () => {
    expect(filterOn('MdfServerErrors')).toMatchObject({
      FilterPattern: '{ ($.path = "/api/mdf/*") && ($.status = "5*") }',
      LogGroupName: { Ref: expect.stringMatching(/^ApiAccessLogs/) },
    });
    expect(alarmOn('MdfServerErrors')).toMatchObject({
      Statistic: 'Sum',
      Period: 300,
      Threshold: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmsTopic/) }],
    });
  });
});
