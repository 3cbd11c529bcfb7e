import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { buildTestApp } from './build-app';
import {
  auditLogDeny,
  evidenceDeny,
  type FoundFunction,
  fromDataStack,
  functionByDescription,
  roleStatements,
} from './template-helpers';

const HANDLER = 'ChannelKit unsubscribe mail';
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

const ruleSchema = z.object({
  Properties: z.object({
    Rule: z.object({
      Name: z.string(),
      Enabled: z.boolean(),
      Recipients: z.array(z.string()),
      ScanEnabled: z.boolean(),
      TlsPolicy: z.string(),
      Actions: z.array(z.record(z.string(), z.unknown())),
    }),
    RuleSetName: z.object({ Ref: z.string() }),
  }),
  DependsOn: z.array(z.string()),
});
const alarmSchema = z.object({
  Properties: z.object({
    MetricName: z.string(),
    Namespace: z.string(),
    Threshold: z.number(),
    Dimensions: z.array(z.object({ Name: z.string(), Value: z.unknown() })),
  }),
});

const only = <T>(entries: [string, T][], what: string): [string, T] => {
  const [first, ...rest] = entries;
  if (!first || rest.length > 0) throw new Error(`expected exactly one ${what}, found ${entries.length}`);
  return first;
};

describe('unsubscribe inbox (AppStack): SES receipt rule → Lambda', () => {
  let template: Template;
  let dataStack: string;
  let handler: FoundFunction;
  let rule: z.infer<typeof ruleSchema>;
  let ruleSetId: string;

  beforeAll(() => {
    const app = buildTestApp({ stage: 'dev' });
    template = Template.fromStack(app.app);
    dataStack = app.data.stackName;
    handler = functionByDescription(template, HANDLER);
    const [setId] = only(Object.entries(template.findResources('AWS::SES::ReceiptRuleSet')), 'rule set');
    ruleSetId = setId;
    rule = ruleSchema.parse(only(Object.entries(template.findResources('AWS::SES::ReceiptRule')), 'rule')[1]);
  });

  it('has one named rule set for the stage, which CloudFormation leaves inactive (an output says how to activate it)', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'channelkit-dev-inbound' });
    expect(rule.Properties.RuleSetName).toEqual({ Ref: ruleSetId });
    template.resourceCountIs('AWS::SES::ReceiptFilter', 0);
    const outputs = Object.values(template.findOutputs('*'));
    expect(outputs).toContainEqual({
      Value: 'channelkit-dev-inbound',
      Description: expect.stringContaining(
        'aws ses set-active-receipt-rule-set --rule-set-name channelkit-dev-inbound',
      ),
    });
    expect(outputs).toContainEqual({
      Value: { 'Fn::Join': ['', ['10 inbound-smtp.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      Description: expect.stringContaining('MX record mail.vendor.example'),
    });
  });

  it('receives unsubscribe@ the sender domain only, scanned, over TLS, then invokes the function asynchronously and stops', () => {
    expect(rule.Properties.Rule).toEqual({
      Name: 'unsubscribe',
      Enabled: true,
      Recipients: ['unsubscribe@mail.vendor.example'],
      ScanEnabled: true,
      TlsPolicy: 'Require',
      Actions: [
        { LambdaAction: { FunctionArn: getAtt(handler.id), InvocationType: 'Event' } },
        { StopAction: { Scope: 'RuleSet' } },
      ],
    });
  });

  it('uses the vendor’s sending domain when one is configured', () => {
    const prod = Template.fromStack(
      buildTestApp({ stage: 'prod', cognitoDomainPrefix: 'acme-channelkit', vendorSendingDomain: 'acme.com' })
        .app,
    );

    prod.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'channelkit-prod-inbound' });
    prod.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: { Recipients: ['unsubscribe@acme.com'], ScanEnabled: true, TlsPolicy: 'Require' },
    });
  });

  it('lets only SES of this account, for this rule, invoke the function; the rule waits for that permission', () => {
    const permissions = Object.entries(template.findResources('AWS::Lambda::Permission')).filter(([, p]) =>
      JSON.stringify(p).includes(handler.id),
    );
    const [permissionId, permission] = only(permissions, 'permission on the handler');

    expect(permission).toMatchObject({
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: getAtt(handler.id),
        Principal: 'ses.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':receipt-rule-set/channelkit-dev-inbound:receipt-rule/unsubscribe',
            ],
          ],
        },
      },
    });
    expect(rule.DependsOn).toContain(permissionId);
  });

  it('gives the function the table and the tracking secret, and dead-letters failed async invocations', () => {
    expect(Object.keys(handler.env).sort()).toEqual(
      [
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        'TABLE_NAME',
        'TRACKING_SECRET_ARN',
      ].sort(),
    );
    expect(handler.env).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'channelkit-unsubscribe-mail',
      TRACKING_SECRET_ARN: fromDataStack(dataStack, /^PublishOutputRefTrackingSecret/),
    });
    expect(handler.timeout).toBe(30);
    expect(handler.deadLetterTarget).toEqual(getAtt(expect.stringMatching(/^UnsubscribeInboxDeadLetters/)));
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('grants exactly: its logs, X-Ray, its dead letters, the secret, and Get/Put/UpdateItem on send, suppression and counter items; denies audit and evidence changes', () => {
    const statements = roleStatements(template, handler.roleId).map((found) => found.statement);
    const logGroup = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) =>
      id.startsWith('UnsubscribeInboxHandlerLogGroup'),
    );

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: getAtt(logGroup ?? ''),
      },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: handler.deadLetterTarget },
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: fromDataStack(dataStack, /^PublishOutputRefTrackingSecret/),
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: fromDataStack(dataStack, /^PublishOutputFnGetAttTableArn/),
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SEND#*', 'SUPPRESSION#*', 'COUNTERS#*'] },
        },
      },
      auditLogDeny(dataStack),
      evidenceDeny(dataStack),
    ]);
  });

  it('alarms on the function’s errors and on anything in its dead-letter queue', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarmSchema.safeParse(alarm).data?.Properties,
    );
    const on = (metric: string, pattern: RegExp) =>
      alarms.filter((a) => a?.MetricName === metric && JSON.stringify(a.Dimensions).match(pattern) !== null);

    expect(on('Errors', new RegExp(`"${handler.id}"`))).toEqual([
      expect.objectContaining({ Namespace: 'AWS/Lambda', Threshold: 1 }),
    ]);
    expect(on('ApproximateNumberOfMessagesVisible', /"UnsubscribeInboxDeadLetters/)).toEqual([
      expect.objectContaining({ Namespace: 'AWS/SQS', Threshold: 0 }),
    ]);
  });
});
