import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { accountArnFinding, acknowledgeWildcardsWhenResolved } from './acknowledge';
import { pinLogicalId } from './pin-logical-id';

/** Pinned: every pending schedule names the role's ARN, and deleting the group deletes its schedules. */
export const SCHEDULER_ROLE_LOGICAL_ID = 'SchedulerRole';
export const SCHEDULE_GROUP_LOGICAL_ID = 'ScheduleGroup';

/** The schedule group of a stage: `channelkit-<stage>`. */
export const scheduleGroupName = (stage: string): string => `channelkit-${stage}`;

/** What the API may do with schedules (functions/platform/scheduler-aws.ts), and nothing else. */
export const schedulerApiActions = [
  'scheduler:CreateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
] as const;

export interface SendSchedulerProps {
  readonly stage: string;
  /** The send queue: a schedule's one target (its payload is a `launch` message). */
  readonly sendQueue: IQueue;
}

/**
 * EventBridge Scheduler for scheduled launches: one-time schedules that the API creates in the
 * group `channelkit-<stage>`, each putting a `launch` message on the send queue at its time (and
 * deleting itself afterwards). Scheduler assumes a role that may only `sqs:SendMessage` on the
 * send queue; it trusts `scheduler.amazonaws.com` for this account only (confused deputy).
 * The group's and the role's logical ids are pinned: a rename would delete the group with its
 * pending schedules, or the role they name.
 */
export class SendScheduler extends Construct {
  readonly group: ScheduleGroup;
  readonly role: Role;
  /** The group's name as a plain string (not a token): IAM ARNs and acknowledgements read well. */
  readonly groupName: string;
  private readonly sendQueue: IQueue;

  constructor(scope: Construct, id: string, props: SendSchedulerProps) {
    super(scope, id);
    this.sendQueue = props.sendQueue;
    this.groupName = scheduleGroupName(props.stage);
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: this.groupName,
      // Goes with the stack in every stage: kept alone, its schedules would target a send queue
      // that no longer exists, and its fixed name would block the next deployment. Campaign
      // records (status `scheduled`, `scheduledAt`) stay in the table.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    pinLogicalId(this.group, SCHEDULE_GROUP_LOGICAL_ID);

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: puts scheduled launch messages on the ChannelKit send queue',
    });
    pinLogicalId(this.role, SCHEDULER_ROLE_LOGICAL_ID);
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.sendQueue.queueArn] }),
    );
  }

  /** The ARN pattern of the group's schedules: `schedule/<group>/*` (names are per campaign). */
  get scheduleArns(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Lets a function (the API) create, read and delete schedules in the group and pass the role
   * to Scheduler (only to Scheduler): env `SCHEDULE_GROUP`, `SCHEDULER_ROLE_ARN`, `SEND_QUEUE_ARN`.
   */
  bindCreator(fn: LambdaFunction): void {
    fn.addEnvironment('SCHEDULE_GROUP', this.groupName);
    fn.addEnvironment('SCHEDULER_ROLE_ARN', this.role.roleArn);
    fn.addEnvironment('SEND_QUEUE_ARN', this.sendQueue.queueArn);
    Grant.addToPrincipal({
      grantee: fn,
      actions: [...schedulerApiActions],
      resourceArns: [this.scheduleArns],
    });
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledgeWildcardsWhenResolved(fn.role ?? fn, [
      {
        finding: accountArnFinding('scheduler', `schedule/${this.groupName}/*`),
        reason:
          'Schedule names are per campaign and made at run time, so Create/Get/DeleteSchedule name the ChannelKit schedule group, not one schedule; no other group, no ListSchedules.',
      },
    ]);
  }
}
