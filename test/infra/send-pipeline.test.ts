import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { tableDefinition } from '#platform/table-definition';
import { buildTestApp, type TestApp } from './build-app';
import {
  accountArn,
  asList,
  evidenceDeny,
  type FoundFunction,
  fromDataStack,
  functionByDescription,
  roleStatements,
  type Statement,
  statementsFor,
} from './template-helpers';

const queueSchema = z.object({
  Properties: z.object({
    VisibilityTimeout: z.number().optional(),
    RedrivePolicy: z.object({ deadLetterTargetArn: z.unknown(), maxReceiveCount: z.number() }).optional(),
    SqsManagedSseEnabled: z.boolean().optional(),
    MessageRetentionPeriod: z.number().optional(),
  }),
});
const mappingSchema = z.object({
  Properties: z.object({
    EventSourceArn: z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) }),
    FunctionName: z.object({ Ref: z.string() }),
    BatchSize: z.number(),
    FunctionResponseTypes: z.array(z.string()),
    ScalingConfig: z.object({ MaximumConcurrency: z.number() }),
  }),
});
const queuePolicySchema = z.object({
  Properties: z.object({
    Queues: z.array(z.object({ Ref: z.string() })),
    PolicyDocument: z.object({ Statement: z.array(z.record(z.string(), z.unknown())) }),
  }),
});

const SEND_WORKER = 'ChannelKit send worker';
const IMPORT_WORKER = 'ChannelKit import worker';

const tableArn = (dataStack: string) => fromDataStack(dataStack, /^PublishOutputFnGetAttTableArn/);
const tableStatements = (dataStack: string): Statement[] => [
  {
    Effect: 'Allow',
    Action: [
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ],
    Resource: tableArn(dataStack),
  },
  {
    Effect: 'Allow',
    Action: 'dynamodb:Query',
    Resource: tableDefinition.globalSecondaryIndexes.map((gsi) => ({
      'Fn::Join': ['', [tableArn(dataStack), `/index/${gsi.indexName}`]],
    })),
  },
  // Audit-log entries are never changed or removed, by any role (test/infra/audit.test.ts).
  {
    Effect: 'Deny',
    Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
    Resource: tableArn(dataStack),
    Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
  },
];
const logAndTraceStatements = (logGroupPrefix: RegExp): Statement[] => [
  {
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: { 'Fn::GetAtt': [expect.stringMatching(logGroupPrefix), 'Arn'] },
  },
  { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
];

describe('the send pipeline (AppStack): queues and workers', () => {
  let app: TestApp;
  let template: Template;
  let sendWorker: FoundFunction;
  let importWorker: FoundFunction;

  beforeAll(() => {
    app = buildTestApp({ stage: 'dev' });
    template = Template.fromStack(app.app);
    sendWorker = functionByDescription(template, SEND_WORKER);
    importWorker = functionByDescription(template, IMPORT_WORKER);
  });

  const queue = (id: string) => queueSchema.parse(template.toJSON().Resources[id]).Properties;
  const mappings = () =>
    Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map(
      (mapping) => mappingSchema.parse(mapping).Properties,
    );
  const mappingOf = (fn: FoundFunction) => {
    const found = mappings().filter((mapping) => mapping.FunctionName.Ref === fn.id);
    expect(found).toHaveLength(1);
    const [mapping] = found;
    if (!mapping) throw new Error(`no mapping for ${fn.id}`);
    return mapping;
  };

  it('runs the workers on Node.js 24 arm64: send 60 s / 1 GB, import 15 min / 1 GB', () => {
    expect([sendWorker.timeout, sendWorker.memorySize]).toEqual([60, 1024]);
    expect([importWorker.timeout, importWorker.memorySize]).toEqual([900, 1024]);
    for (const description of [SEND_WORKER, IMPORT_WORKER]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp(`^${description}`),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('keeps the send queue under the pinned logical id "SendQueue" (schedules name its ARN)', () => {
    expect(template.findResources('AWS::SQS::Queue')).toHaveProperty('SendQueue');
    expect(mappingOf(sendWorker).EventSourceArn['Fn::GetAtt'][0]).toBe('SendQueue');
  });

  it('gives every consumed queue a visibility timeout of 6 × its consumer timeout, within SQS 12 h', () => {
    const leadEffects = functionByDescription(template, 'ChannelKit lead effects');
    const timeouts = new Map([
      [sendWorker.id, sendWorker.timeout],
      [importWorker.id, importWorker.timeout],
      [leadEffects.id, leadEffects.timeout],
    ]);
    const consumed = mappings();

    expect(consumed).toHaveLength(3);
    for (const mapping of consumed) {
      const timeout = timeouts.get(mapping.FunctionName.Ref);
      const visibility = queue(mapping.EventSourceArn['Fn::GetAtt'][0]).VisibilityTimeout;
      expect(timeout).toBeDefined();
      expect(visibility).toBe((timeout ?? 0) * 6);
      expect(visibility).toBeLessThanOrEqual(12 * 3600);
    }
    expect(queue(mappingOf(sendWorker).EventSourceArn['Fn::GetAtt'][0]).VisibilityTimeout).toBe(360);
    expect(queue(mappingOf(importWorker).EventSourceArn['Fn::GetAtt'][0]).VisibilityTimeout).toBe(5400);
  });

  it('moves a message to its own dead-letter queue after 5 receives; dead letters stay 14 days', () => {
    for (const fn of [sendWorker, importWorker]) {
      const redrive = queue(mappingOf(fn).EventSourceArn['Fn::GetAtt'][0]).RedrivePolicy;
      expect(redrive?.maxReceiveCount).toBe(5);
      const dlqId = z
        .object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) })
        .parse(redrive?.deadLetterTargetArn)['Fn::GetAtt'][0];
      expect(queue(dlqId)).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600 });
      expect(queue(dlqId).RedrivePolicy).toBeUndefined();
    }
  });

  it('encrypts every queue (SQS-managed SSE) and denies every request without TLS', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).map(
      (policy) => queuePolicySchema.parse(policy).Properties,
    );

    // Send, import and their DLQs; the SES events DLQ; the unsubscribe mail DLQ.
    expect(Object.keys(queues)).toHaveLength(8);
    for (const [id, resource] of Object.entries(queues)) {
      expect(queueSchema.parse(resource).Properties.SqsManagedSseEnabled, id).toBe(true);
      const statements = policies
        .filter((policy) => policy.Queues.some((q) => q.Ref === id))
        .flatMap((policy) => policy.PolicyDocument.Statement);
      expect(statements, id).toContainEqual({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Resource: { 'Fn::GetAtt': [id, 'Arn'] },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    }
  });

  it('reports per-message failures; the send worker takes one message at a time, at most sendConcurrency at once', () => {
    expect(mappingOf(sendWorker)).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    expect(mappingOf(importWorker)).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('hands the send worker exactly what it needs (SES, links, queue, secret), and no bucket', () => {
    expect(Object.keys(sendWorker.env).sort()).toEqual(
      [
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        'PUBLIC_BASE_URL',
        'SENDER_DOMAIN',
        'SEND_MAX_CONCURRENCY',
        'SEND_QUEUE_URL',
        'SES_CONFIGURATION_SET',
        'TABLE_NAME',
        'TRACKING_SECRET_ARN',
        'VENDOR_NAME',
        'VENDOR_WEBSITE',
      ].sort(),
    );
    expect(sendWorker.env).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'channelkit-send-worker',
      SEND_MAX_CONCURRENCY: '10',
      SES_CONFIGURATION_SET: 'channelkit-dev',
      SENDER_DOMAIN: 'mail.vendor.example',
      VENDOR_NAME: 'Vendor',
      VENDOR_WEBSITE: 'https://vendor.example',
      SEND_QUEUE_URL: { Ref: 'SendQueue' },
      TABLE_NAME: fromDataStack(app.data.stackName, /^PublishOutputRefTable/),
      TRACKING_SECRET_ARN: fromDataStack(app.data.stackName, /^PublishOutputRefTrackingSecret/),
      PUBLIC_BASE_URL: {
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^WebDistribution/), 'DomainName'] }],
        ],
      },
    });
  });

  it('grants the send worker exactly: its queue (consume + send), the table, the secret, SES send and quota', () => {
    const found = roleStatements(template, sendWorker.roleId);
    const statements = found.map((f) => f.statement);

    expect(statements).toEqual([
      ...logAndTraceStatements(/^SendingSendWorkerLogGroup/),
      {
        Effect: 'Allow',
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ],
        Resource: { 'Fn::GetAtt': ['SendQueue', 'Arn'] },
      },
      ...tableStatements(app.data.stackName),
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: fromDataStack(app.data.stackName, /^PublishOutputRefTrackingSecret/),
      },
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: [accountArn('ses', 'configuration-set/channelkit-dev'), accountArn('ses', 'identity/*')],
      },
      evidenceDeny(app.data.stackName),
      { Effect: 'Allow', Action: 'ses:GetAccount', Resource: '*' },
    ]);
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      for (const action of asList(statement.Action)) expect(action).not.toMatch(/\*/);
    }
  });

  it('keeps ses:GetAccount (no resource-level permissions) alone in its own policy', () => {
    const found = roleStatements(template, sendWorker.roleId);
    const account = found.find((f) => asList(f.statement.Action).includes('ses:GetAccount'));

    expect(account?.policyId).toMatch(/^SendingSendWorkerSesAccount/);
    expect(found.filter((f) => f.policyId === account?.policyId)).toHaveLength(1);
  });

  it('scopes SES sending to the configuration set, from the vendor’s or a partner’s identity, when a domain is configured', () => {
    const prod = buildTestApp({ stage: 'prod', vendorSendingDomain: 'acme.com', sendConcurrency: '25' });
    const prodTemplate = Template.fromStack(prod.app);
    const worker = functionByDescription(prodTemplate, SEND_WORKER);
    const ses = statementsFor(
      roleStatements(prodTemplate, worker.roleId).map((f) => f.statement),
      'ses:',
    );

    expect(ses).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        // Partners' own verified domains are identities named at run time (issue 4).
        Resource: [accountArn('ses', 'configuration-set/channelkit-prod'), accountArn('ses', 'identity/*')],
      },
      { Effect: 'Allow', Action: 'ses:GetAccount', Resource: '*' },
    ]);
    expect(worker.env).toMatchObject({
      SENDER_DOMAIN: 'acme.com',
      SES_CONFIGURATION_SET: 'channelkit-prod',
      SEND_MAX_CONCURRENCY: '25',
    });
    prodTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: worker.id },
      ScalingConfig: { MaximumConcurrency: 25 },
    });
  });

  it('hands the import worker the table, the bucket (imports/* objects only) and its own queue to resume on', () => {
    expect(Object.keys(importWorker.env).sort()).toEqual(
      [
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        'BLOB_BUCKET',
        'IMPORT_QUEUE_URL',
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        'TABLE_NAME',
      ].sort(),
    );
    const importQueueId = mappingOf(importWorker).EventSourceArn['Fn::GetAtt'][0];

    expect(roleStatements(template, importWorker.roleId).map((f) => f.statement)).toEqual([
      ...logAndTraceStatements(/^SendingImportWorkerLogGroup/),
      {
        Effect: 'Allow',
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ],
        Resource: { 'Fn::GetAtt': [importQueueId, 'Arn'] },
      },
      ...tableStatements(app.data.stackName),
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: {
          'Fn::Join': [
            '',
            [fromDataStack(app.data.stackName, /^PublishOutputFnGetAttBlobBucketArn/), '/imports/*'],
          ],
        },
      },
      evidenceDeny(app.data.stackName),
    ]);
  });

  it('allows no function role a wildcard action (only the CDK-owned BucketDeployment role has any)', () => {
    const roles = [
      sendWorker,
      importWorker,
      functionByDescription(template, 'ChannelKit SES event consumer'),
      functionByDescription(template, 'ChannelKit HTTP API'),
    ].map((fn) => fn.roleId);

    // Denies may use wildcards (s3:DeleteObject* on the evidence bucket): they only take away.
    for (const roleId of [...roles, 'SchedulerRole']) {
      const actions = roleStatements(template, roleId)
        .filter((f) => f.statement.Effect === 'Allow')
        .flatMap((f) => asList(f.statement.Action));
      expect(actions.length, roleId).toBeGreaterThan(0);
      expect(
        actions.filter((action) => action.includes('*')),
        roleId,
      ).toEqual([]);
    }
  });

  it('lets the API enqueue on the send, import and lead-effects queues (SendMessage only)', () => {
    const api = functionByDescription(template, 'ChannelKit HTTP API');
    const importQueueId = mappingOf(importWorker).EventSourceArn['Fn::GetAtt'][0];

    expect(
      statementsFor(
        roleStatements(template, api.roleId).map((f) => f.statement),
        'sqs:',
      ),
    ).toEqual([
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: [
          { 'Fn::GetAtt': [expect.stringMatching(/^LeadEffectsQueue/), 'Arn'] },
          { 'Fn::GetAtt': ['SendQueue', 'Arn'] },
          { 'Fn::GetAtt': [importQueueId, 'Arn'] },
        ],
      },
    ]);
    expect(api.env).toMatchObject({
      SEND_QUEUE_URL: { Ref: 'SendQueue' },
      IMPORT_QUEUE_URL: { Ref: importQueueId },
    });
  });
});
