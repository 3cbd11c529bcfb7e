import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { sqsEnqueue } from '#platform/queue-sqs';
import { atExpression, awsScheduler } from '#platform/scheduler-aws';

// Call shapes and fault handling only: there is no EventBridge Scheduler or SQS emulator here.
describe('EventBridge Scheduler adapter', () => {
  const target = {
    group: 'channelkit-dev',
    roleArn: 'arn:aws:iam::1:role/s',
    queueArn: 'arn:aws:sqs:us-east-1:1:send',
  };

  it('writes a one-time UTC expression', () => {
    expect(atExpression(new Date('2027-03-18T09:30:15.500Z'))).toBe('at(2027-03-18T09:30:15)');
  });

  it('creates a self-deleting schedule that puts the payload on the send queue', async () => {
    const mock = mockClient(SchedulerClient);
    mock.on(CreateScheduleCommand).resolves({});
    await awsScheduler(new SchedulerClient({ region: 'us-east-1' }), target).schedule(
      'campaign-1',
      new Date('2027-03-18T09:00:00Z'),
      '{"kind":"launch"}',
    );
    expect(mock.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'campaign-1',
      GroupName: 'channelkit-dev',
      ScheduleExpression: 'at(2027-03-18T09:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: target.queueArn, RoleArn: target.roleArn, Input: '{"kind":"launch"}' },
    });
  });

  it('replaces an existing schedule of the same name', async () => {
    const mock = mockClient(SchedulerClient);
    mock
      .on(CreateScheduleCommand)
      .rejectsOnce(new ConflictException({ $metadata: {}, message: 'exists', Message: 'exists' }))
      .resolves({});
    mock.on(DeleteScheduleCommand).resolves({});
    await awsScheduler(new SchedulerClient({ region: 'us-east-1' }), target).schedule('c', new Date(), '{}');
    expect(mock.commandCalls(DeleteScheduleCommand)).toHaveLength(1);
    expect(mock.commandCalls(CreateScheduleCommand)).toHaveLength(2);
  });
});

describe('SQS enqueue', () => {
  it('sends one JSON message to the queue', async () => {
    const mock = mockClient(SQSClient);
    mock.on(SendMessageCommand).resolves({});
    await sqsEnqueue(
      new SQSClient({ region: 'us-east-1' }),
      'https://sqs/q',
    )({ kind: 'launch', campaignId: 'c1' });
    expect(mock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: 'https://sqs/q',
      MessageBody: '{"kind":"launch","campaignId":"c1"}',
    });
  });
});
