import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';

export interface SchedulerTarget {
  group: string;
  /** The role EventBridge Scheduler assumes to send the message. */
  roleArn: string;
  /** The send queue: a schedule delivers its payload there, as a launch message. */
  queueArn: string;
}

/** `at(2027-03-18T09:00:00)` in UTC, as EventBridge Scheduler's one-time expression wants it. */
export const atExpression = (at: Date): string => `at(${at.toISOString().slice(0, 19)})`;

/**
 * EventBridge Scheduler adapter: one-time schedules that put their payload on the send queue
 * and delete themselves after running. Names are unique per group, so scheduling a name again
 * first removes the old schedule.
 */
export const awsScheduler = (client: SchedulerClient, target: SchedulerTarget) => {
  const cancel = async (name: string): Promise<boolean> => {
    try {
      await client.send(new DeleteScheduleCommand({ Name: name, GroupName: target.group }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  };
  const schedule = async (name: string, at: Date, payload: string): Promise<void> => {
    const input = {
      Name: name,
      GroupName: target.group,
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      ActionAfterCompletion: 'DELETE' as const,
      Target: { Arn: target.queueArn, RoleArn: target.roleArn, Input: payload },
    };
    try {
      await client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      await cancel(name);
      await client.send(new CreateScheduleCommand(input));
    }
  };
  return { schedule, cancel };
};
