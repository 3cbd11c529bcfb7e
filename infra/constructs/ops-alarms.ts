import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Subscription, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * SES pauses or reviews an account at a 5% bounce / 0.1% complaint rate (DELIVERABILITY.md);
 * alarm at less than half of each, so there is time to stop a bad list or campaign first.
 * SES publishes both rates as fractions (0-1) in `AWS/SES`, account-wide, with no dimensions.
 */
export const SES_BOUNCE_RATE_ALARM = 0.02;
export const SES_COMPLAINT_RATE_ALARM = 0.0005;

/** The message functions/mdf logs (level ERROR) when an audit-log entry could not be appended. */
export const AUDIT_APPEND_FAILED_MESSAGE = 'audit append failed';
/** MDF requests that may end in a 5xx within 5 minutes before the alarm fires (one is a blip; three is a fault). */
export const MDF_SERVER_ERRORS_ALARM = 3;

export interface OpsAlarmsProps {
  /** Who gets the alarm emails; unset: the topic has no subscriber (subscribe by hand or later). */
  readonly email: string | undefined;
}

/**
 * Operational alarms and where they go: an SNS topic encrypted with its own KMS key (CloudWatch
 * cannot use the AWS-managed `aws/sns` key, whose policy cannot name it) and TLS only; an
 * optional email subscription. Alarms: any message in a dead-letter queue, SES reputation (bounce
 * and complaint rates) well before SES acts, errors of the workers, and the MDF API's failures
 * (audit appends, 5xx answers) counted from its logs by metric filters.
 */
export class OpsAlarms extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
    const key = new Key(this, 'TopicKey', {
      description: 'ChannelKit alarm topic: encrypts alarm notifications at rest',
      enableKeyRotation: true,
      // Encrypts only transient notifications; nothing to keep after the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch publishes alarm notifications to the encrypted topic (AWS docs: alarm actions with SSE topics).
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'ChannelKit alarms',
      masterKey: key,
      enforceSSL: true,
    });
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm:*' }) },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    if (props.email) {
      this.topic.addSubscription(new EmailSubscription(props.email));
      for (const subscription of this.topic.node.findAll().filter((n) => n instanceof Subscription)) {
        Validations.of(subscription).acknowledge({
          id: 'Serverless-SNSRedrivePolicy',
          reason:
            'Email subscription for alarm notifications: SNS retries delivery, and an undelivered alarm still shows in CloudWatch (alarm state and history); a dead-letter queue would need an alarm of its own on this same topic.',
        });
      }
    }
    this.action = new SnsAction(this.topic);
  }

  /** Alarms as soon as one message sits in a dead-letter queue (nothing should ever land there). */
  deadLetters(id: string, queue: IQueue, what: string): Alarm {
    return this.alarm(id, {
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `${what}: messages in the dead-letter queue (failed 5 times or undeliverable). Inspect, fix, redrive.`,
    });
  }

  /** Alarms when the function fails at least once in 5 minutes (a throw fails a whole SQS batch or event). */
  functionErrors(id: string, fn: LambdaFunction, what: string): Alarm {
    return this.alarm(id, {
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `${what}: invocation errors (whole batches or events failed). Check its logs.`,
    });
  }

  /** SES account reputation: bounce and complaint rates at well under half of SES's review levels. */
  sesReputation(): { bounceRate: Alarm; complaintRate: Alarm } {
    const sesRate = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: 'Maximum' });
    return {
      bounceRate: this.alarm('SesBounceRate', {
        metric: sesRate('Reputation.BounceRate'),
        threshold: SES_BOUNCE_RATE_ALARM,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `SES account bounce rate ≥ ${SES_BOUNCE_RATE_ALARM * 100}% (SES reviews at 5%): pause campaigns with bad lists.`,
      }),
      complaintRate: this.alarm('SesComplaintRate', {
        metric: sesRate('Reputation.ComplaintRate'),
        threshold: SES_COMPLAINT_RATE_ALARM,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `SES account complaint rate ≥ ${SES_COMPLAINT_RATE_ALARM * 100}% (SES reviews at 0.1%): pause the campaigns people report.`,
      }),
    };
  }

  /**
   * MDF: alarms on the first failed audit-log append (a claim step or decision whose entry is
   * missing from the tamper-evident chain) and on repeated 5xx answers under `/api/mdf/`. Both
   * are counted by metric filters: the first on the API function's own JSON log lines (Powertools:
   * `level`, `message`), the second on the HTTP API access log (`path`, `status`). The metrics
   * live in this stack's namespace, so two stages in one account never add up.
   */
  mdfFailures(api: { readonly functionLogs: ILogGroup; readonly accessLogs: ILogGroup }): {
    auditAppendFailed: Alarm;
    serverErrors: Alarm;
  } {
    const namespace = `ChannelKit/${Stack.of(this).stackName}`;
    const auditAppendFailed = new MetricFilter(this, 'MdfAuditAppendFailedFilter', {
      logGroup: api.functionLogs,
      metricNamespace: namespace,
      metricName: 'MdfAuditAppendFailed',
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.level', '=', 'ERROR'),
        FilterPattern.stringValue('$.message', '=', AUDIT_APPEND_FAILED_MESSAGE),
      ),
      metricValue: '1',
    });
    const serverErrors = new MetricFilter(this, 'MdfServerErrorsFilter', {
      logGroup: api.accessLogs,
      metricNamespace: namespace,
      metricName: 'MdfServerErrors',
      // The access log writes status as a string ("502"): match its first digit.
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.path', '=', '/api/mdf/*'),
        FilterPattern.stringValue('$.status', '=', '5*'),
      ),
      metricValue: '1',
    });
    const sum = (filter: MetricFilter) => filter.metric({ period: Duration.minutes(5), statistic: 'Sum' });
    return {
      auditAppendFailed: this.alarm('MdfAuditAppendFailed', {
        metric: sum(auditAppendFailed),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `MDF: an audit-log append failed ("${AUDIT_APPEND_FAILED_MESSAGE}" in the API logs). The claim step or decision may lack its tamper-evident entry: find the request id in the API logs, then run npm run audit -- verify.`,
      }),
      serverErrors: this.alarm('MdfServerErrors', {
        metric: sum(serverErrors),
        threshold: MDF_SERVER_ERRORS_ALARM,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `MDF: ${MDF_SERVER_ERRORS_ALARM} or more 5xx answers under /api/mdf/ in 5 minutes (claims, evidence, decisions). Check the API logs by request id.`,
      }),
    };
  }

  private alarm(
    id: string,
    props: {
      metric: IMetric;
      threshold: number;
      comparisonOperator: ComparisonOperator;
      description: string;
    },
  ): Alarm {
    const { description, ...alarmProps } = props;
    const alarm = new Alarm(this, id, {
      ...alarmProps,
      alarmDescription: description,
      evaluationPeriods: 1,
      // No data means no failures (empty queue, no invocations, no bounces yet): not an alarm.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
