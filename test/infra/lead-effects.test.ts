import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { MAX_ATTEMPTS } from '#functions/leads/effects/backoff';
import { nagPacks } from '../../infra/nag';
import { buildTestApp, type TestApp } from './build-app';
import {
  accountArn,
  asList,
  auditLogDeny,
  evidenceDeny,
  type FoundFunction,
  fromDataStack,
  functionByDescription,
  roleStatements,
  statementsFor,
} from './template-helpers';

const WORKER = 'ChannelKit lead effects';
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

const queueSchema = z.object({
  Properties: z.object({
    VisibilityTimeout: z.number().optional(),
    RedrivePolicy: z
      .object({
        deadLetterTargetArn: z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) }),
        maxReceiveCount: z.number(),
      })
      .optional(),
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
const alarmSchema = z.object({
  Properties: z.object({
    MetricName: z.string(),
    Namespace: z.string(),
    Threshold: z.number(),
    Dimensions: z.array(z.object({ Name: z.string(), Value: z.unknown() })),
  }),
});

describe('lead effects (AppStack): queue + DLQ → worker', () => {
  let app: TestApp;
  let template: Template;
  let worker: FoundFunction;
  let queueId: string;
  let deadLettersId: string;

  beforeAll(() => {
    app = buildTestApp({ stage: 'dev' });
    template = Template.fromStack(app.app);
    worker = functionByDescription(template, WORKER);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
      .map((m) => mappingSchema.parse(m).Properties)
      .filter((m) => m.FunctionName.Ref === worker.id);
    expect(mappings).toHaveLength(1);
    queueId = mappings[0]?.EventSourceArn['Fn::GetAtt'][0] ?? '';
    deadLettersId =
      queueSchema.parse(template.toJSON().Resources[queueId]).Properties.RedrivePolicy?.deadLetterTargetArn[
        'Fn::GetAtt'
      ][0] ?? '';
  });

  const queue = (id: string) => queueSchema.parse(template.toJSON().Resources[id]).Properties;

  it('runs the worker on Node.js 24 arm64, 60 s, with the settings its notifications need', () => {
    expect([worker.timeout, worker.memorySize]).toEqual([60, 1024]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: `${WORKER}: new-EQL notifications to partners (SES) and CRM webhook deliveries`,
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    });
    expect(Object.keys(worker.env).sort()).toEqual(
      [
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        'LEAD_EFFECTS_QUEUE_URL',
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        'PUBLIC_BASE_URL',
        'SENDER_DOMAIN',
        'SES_CONFIGURATION_SET',
        'TABLE_NAME',
        'TRACKING_SECRET_ARN',
        'VENDOR_NAME',
      ].sort(),
    );
    expect(worker.env).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'channelkit-lead-effects',
      LEAD_EFFECTS_QUEUE_URL: { Ref: queueId },
      SENDER_DOMAIN: 'mail.vendor.example',
      SES_CONFIGURATION_SET: 'channelkit-dev',
      VENDOR_NAME: 'Vendor',
      TABLE_NAME: fromDataStack(app.data.stackName, /^PublishOutputRefTable/),
      TRACKING_SECRET_ARN: fromDataStack(app.data.stackName, /^PublishOutputRefTrackingSecret/),
    });
  });

  it('gives the queue a visibility of 6 × the worker timeout and dead-letters after MAX_ATTEMPTS receives', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(queue(queueId)).toMatchObject({
      VisibilityTimeout: 360,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: MAX_ATTEMPTS },
    });
    expect(queue(deadLettersId)).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    expect(queue(deadLettersId).RedrivePolicy).toBeUndefined();
  });

  it('reports per-message failures, five messages a batch, at most five workers at once', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: worker.id },
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('grants exactly: its queue, the secret, items by partition prefix, and SES from the vendor identity; denies audit and evidence changes', () => {
    const statements = roleStatements(template, worker.roleId).map((found) => found.statement);
    const tableArn = fromDataStack(app.data.stackName, /^PublishOutputFnGetAttTableArn/);

    expect(statements.filter((s) => !asList(s.Action).some((a) => /^(logs|xray):/.test(a)))).toEqual([
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
        Resource: getAtt(queueId),
      },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: fromDataStack(app.data.stackName, /^PublishOutputRefTrackingSecret/),
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: tableArn,
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [
              'LEAD#*',
              'PARTNER#*',
              'CAMPAIGN#*',
              'SUPPRESSION#*',
              'WEBHOOK*',
              'LEADEFFECT#*',
              'ROPI_LEAD#*',
            ],
          },
        },
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: tableArn,
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': ['WEBHOOK#*', 'LEADEFFECT#*', 'PARTNER#*', 'ROPI*'],
          },
        },
      },
      auditLogDeny(app.data.stackName),
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: [
          accountArn('ses', 'configuration-set/channelkit-dev'),
          accountArn('ses', 'identity/mail.vendor.example'),
        ],
      },
      evidenceDeny(app.data.stackName),
    ]);
    // No index, no Scan, no wildcard action in what it is allowed.
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      for (const action of asList(statement.Action)) expect(action).not.toMatch(/\*|Scan/);
    }
  });

  it('sends from the vendor’s own sending domain when one is configured', () => {
    const prod = Template.fromStack(buildTestApp({ stage: 'prod', vendorSendingDomain: 'acme.com' }).app);
    const prodWorker = functionByDescription(prod, WORKER);
    const ses = statementsFor(
      roleStatements(prod, prodWorker.roleId).map((f) => f.statement),
      'ses:',
    );

    expect(ses).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: [
          accountArn('ses', 'configuration-set/channelkit-prod'),
          accountArn('ses', 'identity/acme.com'),
        ],
      },
    ]);
    expect(prodWorker.env).toMatchObject({
      SENDER_DOMAIN: 'acme.com',
      SES_CONFIGURATION_SET: 'channelkit-prod',
    });
  });

  it('lets the API put lead events on the queue (SendMessage only) and tells it the URL', () => {
    const api = functionByDescription(template, 'ChannelKit HTTP API');
    const sqs = statementsFor(
      roleStatements(template, api.roleId).map((f) => f.statement),
      'sqs:',
    );

    expect(sqs).toHaveLength(1);
    expect(sqs[0]?.Action).toBe('sqs:SendMessage');
    expect(asList(sqs[0]?.Resource)).toContainEqual(getAtt(queueId));
    expect(api.env).toMatchObject({ LEAD_EFFECTS_QUEUE_URL: { Ref: queueId } });
  });

  it('alarms on the worker’s errors and on anything in its dead-letter queue', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarmSchema.safeParse(alarm).data?.Properties,
    );
    const on = (metric: string, id: string) =>
      alarms.filter((a) => a?.MetricName === metric && JSON.stringify(a.Dimensions).includes(`"${id}"`));

    expect(on('Errors', worker.id)).toEqual([
      expect.objectContaining({ Namespace: 'AWS/Lambda', Threshold: 1 }),
    ]);
    expect(on('ApproximateNumberOfMessagesVisible', deadLettersId)).toEqual([
      expect.objectContaining({ Namespace: 'AWS/SQS', Threshold: 0 }),
    ]);
  });

  it('leaves cdk-nag nothing unacknowledged on its resources, each acknowledgement with its reason', () => {
    app.cdkApp.synth();
    const violations = nagPacks().flatMap((pack) =>
      pack
        .validateScope(app.cdkApp)
        .violations.filter((v) =>
          v.violatingResources.some((r) => (r.constructPath ?? '').includes('/LeadEffects/')),
        )
        .map((v) => ({ rule: v.ruleName, at: v.violatingResources.map((r) => r.constructPath) })),
    );

    expect(violations).toEqual([]);
  });
});
