import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { buildTestApp } from './build-app';
import { functionByDescription, roleStatements } from './template-helpers';

describe('the scheduler (AppStack)', () => {
  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(buildTestApp({ stage: 'dev' }).app);
  });

  it('has the schedule group channelkit-<stage> under the pinned logical id "ScheduleGroup"', () => {
    expect(template.findResources('AWS::Scheduler::ScheduleGroup')).toEqual({
      ScheduleGroup: expect.objectContaining({
        Properties: expect.objectContaining({ Name: 'channelkit-dev' }),
        DeletionPolicy: 'Delete',
      }),
    });
  });

  it('lets only EventBridge Scheduler of this account assume the pinned "SchedulerRole"', () => {
    template.hasResource('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'scheduler.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
          Version: '2012-10-17',
        },
        ManagedPolicyArns: Match.absent(),
      },
    });
    expect(template.findResources('AWS::IAM::Role')).toHaveProperty('SchedulerRole');
  });

  it('allows the scheduler role only sqs:SendMessage on the send queue', () => {
    expect(roleStatements(template, 'SchedulerRole').map((f) => f.statement)).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['SendQueue', 'Arn'] } },
    ]);
  });

  it('tells the API the group, the role and the queue a schedule targets', () => {
    expect(functionByDescription(template, 'ChannelKit HTTP API').env).toMatchObject({
      SCHEDULE_GROUP: 'channelkit-dev',
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': ['SchedulerRole', 'Arn'] },
      SEND_QUEUE_ARN: { 'Fn::GetAtt': ['SendQueue', 'Arn'] },
    });
  });
});

const alarmSchema = z.object({
  Properties: z.object({
    Namespace: z.string(),
    MetricName: z.string(),
    Threshold: z.number(),
    ComparisonOperator: z.string(),
    Dimensions: z.array(z.object({ Name: z.string(), Value: z.unknown() })).optional(),
    AlarmActions: z.array(z.object({ Ref: z.string() })),
    TreatMissingData: z.string(),
  }),
});

describe('alarms (AppStack)', () => {
  let template: Template;
  let alarms: z.infer<typeof alarmSchema>['Properties'][];
  let topicId: string;

  beforeAll(() => {
    template = Template.fromStack(buildTestApp({ stage: 'dev' }).app);
    alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarmSchema.parse(alarm).Properties,
    );
    const topics = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    topicId = topics[0] ?? '';
  });

  const queueAlarmFor = (queuePrefix: RegExp) =>
    alarms.filter(
      (alarm) =>
        alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        JSON.stringify(alarm.Dimensions).match(queuePrefix) !== null,
    );

  it('alarms on any message in each of the four dead-letter queues', () => {
    for (const dlq of [
      /"SendingSendDeadLetters/,
      /"SendingImportDeadLetters/,
      /"SesEventsDeadLetters/,
      /"UnsubscribeInboxDeadLetters/,
    ]) {
      const found = queueAlarmFor(dlq);
      expect(found, String(dlq)).toHaveLength(1);
      expect(found[0]).toMatchObject({
        Namespace: 'AWS/SQS',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('alarms on the SES account bounce rate at 2% and complaint rate at 0.05%', () => {
    const ses = alarms.filter((alarm) => alarm.Namespace === 'AWS/SES');

    expect(ses).toEqual([
      expect.objectContaining({
        MetricName: 'Reputation.BounceRate',
        Threshold: 0.02,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
      expect.objectContaining({
        MetricName: 'Reputation.ComplaintRate',
        Threshold: 0.0005,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ]);
    // Account-wide (what SES judges), not per configuration set.
    for (const alarm of ses) expect(alarm.Dimensions).toBeUndefined();
  });

  it('alarms on errors of the send worker, the SES event consumer, the unsubscribe mail function and the lead effects worker', () => {
    const errors = alarms.filter((alarm) => alarm.MetricName === 'Errors');
    const functions = errors.map((alarm) => JSON.stringify(alarm.Dimensions));

    expect(errors).toHaveLength(4);
    expect(
      functions.some((f) => f.includes(functionByDescription(template, 'ChannelKit lead effects').id)),
    ).toBe(true);
    expect(
      functions.some((f) => f.includes(functionByDescription(template, 'ChannelKit send worker').id)),
    ).toBe(true);
    expect(
      functions.some((f) => f.includes(functionByDescription(template, 'ChannelKit SES event consumer').id)),
    ).toBe(true);
    expect(
      functions.some((f) => f.includes(functionByDescription(template, 'ChannelKit unsubscribe mail').id)),
    ).toBe(true);
    for (const alarm of errors) expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 1 });
  });

  it('sends every alarm to the one alarm topic', () => {
    // 11 for sending and leads, 2 for MDF (test/infra/evidence.test.ts).
    expect(alarms).toHaveLength(13);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('encrypts the topic with a rotating key CloudWatch may use, and accepts only TLS publishes', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        ]),
      },
    });
  });

  it('subscribes alarmEmail when given, and nobody otherwise', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = Template.fromStack(buildTestApp({ stage: 'dev', alarmEmail: 'ops@acme.com' }).app);

    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@acme.com',
    });
  });
});
