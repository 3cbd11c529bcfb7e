import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { sesEventPattern } from '../../infra/constructs/ses-events';
import { buildTestApp, type TestApp } from './build-app';
import { evidenceDeny, type FoundFunction, functionByDescription, roleStatements } from './template-helpers';

const ruleSchema = z.object({
  Properties: z.object({
    EventPattern: z.unknown(),
    Targets: z.array(
      z.object({
        Arn: z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) }),
        DeadLetterConfig: z.object({
          Arn: z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) }),
        }),
        RetryPolicy: z.object({ MaximumEventAgeInSeconds: z.number(), MaximumRetryAttempts: z.number() }),
      }),
    ),
  }),
});

describe('SES events (AppStack): rule, consumer, dead letters', () => {
  let app: TestApp;
  let template: Template;
  let consumer: FoundFunction;
  let ruleId: string;
  let rule: z.infer<typeof ruleSchema>['Properties'];

  beforeAll(() => {
    app = buildTestApp({ stage: 'dev' });
    template = Template.fromStack(app.app);
    consumer = functionByDescription(template, 'ChannelKit SES event consumer');
    const rules = Object.entries(template.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    const [entry] = rules;
    if (!entry) throw new Error('no rule');
    ruleId = entry[0];
    rule = ruleSchema.parse(entry[1]).Properties;
  });

  it('matches SES sending events of the stage configuration set on the default bus', () => {
    expect(rule.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': [
        'Email Sent',
        'Email Delivered',
        'Email Bounced',
        'Email Complaint Received',
        'Email Rejected',
        'Email Delivery Delayed',
        'Email Rendering Failed',
      ],
      detail: { mail: { tags: { 'ses:configuration-set': ['channelkit-dev'] } } },
    });
    // No EventBusName: the default bus, where SES publishes.
    template.hasResourceProperties('AWS::Events::Rule', { EventBusName: Match.absent() });
  });

  it('targets the consumer alone, with a dead-letter queue and EventBridge retries for 24 h', () => {
    expect(rule.Targets).toHaveLength(1);
    const [target] = rule.Targets;

    expect(target?.Arn['Fn::GetAtt'][0]).toBe(consumer.id);
    expect(target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 });
    expect(target?.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/^SesEventsDeadLetters/);
  });

  it('lets only this rule (and TLS) put failed events in the dead-letter queue', () => {
    const dlqId = rule.Targets[0]?.DeadLetterConfig.Arn['Fn::GetAtt'][0];

    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sqs:*',
            Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: Match.anyValue(),
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
          },
        ],
        Version: '2012-10-17',
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600 });
  });

  it('dead-letters events the function fails on after its async retries (same queue)', () => {
    expect(consumer.deadLetterTarget).toEqual(rule.Targets[0]?.DeadLetterConfig.Arn);
  });

  it('hands the consumer the table and the configuration set name (no tracking secret: it verifies no token)', () => {
    expect(Object.keys(consumer.env).sort()).toEqual(
      [
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        'SES_CONFIGURATION_SET',
        'TABLE_NAME',
      ].sort(),
    );
    expect(consumer.env).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'channelkit-ses-events',
      SES_CONFIGURATION_SET: 'channelkit-dev',
    });
  });

  it('grants the consumer only logs, X-Ray, its dead letters and the table (not the tracking secret)', () => {
    const statements = roleStatements(template, consumer.roleId).map((f) => f.statement);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();

    expect(actions).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:BypassGovernanceRetention',
        's3:DeleteObject*',
        's3:PutObjectLegalHold',
        's3:PutObjectRetention',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: rule.Targets[0]?.DeadLetterConfig.Arn,
    });
    // The three write actions above appear twice because of the audit-log Deny, never as Allow on AUDIT#;
    // the s3: actions are the evidence Deny (no Allow on any bucket).
    expect(statements.filter((s) => s.Effect === 'Deny')).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      }),
      evidenceDeny(app.data.stackName),
    ]);
  });

  it('builds the pattern from the configuration set name', () => {
    expect(sesEventPattern('channelkit-x').detail).toEqual({
      mail: { tags: { 'ses:configuration-set': ['channelkit-x'] } },
    });
  });
});
