import { ArnFormat, CfnOutput, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ReceiptRule, ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, Stop } from 'aws-cdk-lib/aws-ses-actions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAILTO_ITEM_PREFIXES, MAILTO_TABLE_ACTIONS } from '#functions/tracking/mailto-unsubscribe';
import { bindSecret, denyAuditLogChanges, type TableBinding } from './bindings';
import { type LogLevel, NodeFunction } from './node-function';
import { deadLetterQueue } from './work-queue';

export const UNSUBSCRIBE_MAIL_TIMEOUT = Duration.seconds(30);

/**
 * The receipt rule set: named, because someone activates it by name once per account and region
 * (CloudFormation cannot), and because the Lambda permission names the rule's ARN.
 */
export const unsubscribeRuleSetName = (stage: string): string => `channelkit-${stage}-inbound`;
export const UNSUBSCRIBE_RULE_NAME = 'unsubscribe';

/** The `mailto:` of every List-Unsubscribe header (functions/sending/engine.ts `unsubscribeMailto`). */
export const unsubscribeAddress = (senderDomain: string): string => `unsubscribe@${senderDomain}`;

export interface UnsubscribeInboxProps {
  readonly stage: string;
  /** `SENDER_DOMAIN`: the domain of `unsubscribe@…` (the vendor's sending domain, a placeholder in dev). */
  readonly senderDomain: string;
  readonly table: TableBinding;
  /** Token keys are derived from it: the same tokens the API's `/u/{token}` verifies. */
  readonly trackingSecret: ISecret;
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Receives the `mailto:` unsubscribes of `List-Unsubscribe` (functions/unsubscribe-mail.ts): an
 * SES receipt rule set with one rule for `unsubscribe@<senderDomain>` (spam and virus scan on,
 * TLS required) whose actions invoke the function asynchronously and then stop. Nothing stores
 * the message: the subject in the event carries the signed token, and that is all we read.
 *
 * The function may read the tracking secret, and Get/Put/UpdateItem only on items whose
 * partition key is a send record, a suppression or a campaign counter (`dynamodb:LeadingKeys`):
 * exactly what an unsubscribe touches (the integration test checks the handler stays inside).
 * SES invokes it asynchronously: failures after Lambda's two retries go to a dead-letter queue.
 *
 * Not done by CloudFormation (deploy steps in infra/README.md): activating the rule set (one
 * active set per account and region), the MX record of the sender domain, and email receiving
 * exists in some regions only.
 */
export class UnsubscribeInbox extends Construct {
  readonly handler: NodeFunction;
  readonly deadLetterQueue: Queue;
  readonly ruleSet: ReceiptRuleSet;
  readonly rule: ReceiptRule;

  constructor(scope: Construct, id: string, props: UnsubscribeInboxProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const ruleSetName = unsubscribeRuleSetName(props.stage);
    const address = unsubscribeAddress(props.senderDomain);
    this.deadLetterQueue = deadLetterQueue(
      this,
      'DeadLetters',
      'the unsubscribe mail function (SES invokes it asynchronously)',
    );

    this.handler = new NodeFunction(this, 'Handler', {
      entry: 'functions/unsubscribe-mail.ts',
      description: `ChannelKit unsubscribe mail: mailto unsubscribes to ${address} into partner suppressions`,
      serviceName: 'channelkit-unsubscribe-mail',
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      timeout: UNSUBSCRIBE_MAIL_TIMEOUT,
      memorySize: 1024,
      deadLetterQueue: this.deadLetterQueue,
    });
    bindSecret(this.handler, props.trackingSecret, 'TRACKING_SECRET_ARN');
    this.handler.addEnvironment('TABLE_NAME', props.table.table.tableName);
    Grant.addToPrincipal({
      grantee: this.handler,
      actions: [...MAILTO_TABLE_ACTIONS],
      resourceArns: [props.table.table.tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': MAILTO_ITEM_PREFIXES.map((p) => `${p}*`) },
      },
    });
    // Its grant never names AUDIT# keys; the Deny keeps it so if it ever widens.
    denyAuditLogChanges(this.handler, props.table);

    // Made before the rule, with the id the SES Lambda action looks for ('AllowSes'), so the action
    // reuses it (and the rule waits for it: SES checks it may invoke the function when the rule is
    // created). SES's advice: name both the account and the rule.
    this.handler.addPermission('AllowSes', {
      action: 'lambda:InvokeFunction',
      principal: new ServicePrincipal('ses.amazonaws.com'),
      sourceAccount: stack.account,
      sourceArn: stack.formatArn({
        service: 'ses',
        resource: 'receipt-rule-set',
        resourceName: `${ruleSetName}:receipt-rule/${UNSUBSCRIBE_RULE_NAME}`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    });

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: ruleSetName });
    this.rule = this.ruleSet.addRule('Unsubscribe', {
      receiptRuleName: UNSUBSCRIBE_RULE_NAME,
      recipients: [address],
      enabled: true,
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      actions: [
        new Lambda({ function: this.handler, invocationType: LambdaInvocationType.EVENT }),
        new Stop(),
      ],
    });

    new CfnOutput(this, 'RuleSetName', {
      value: ruleSetName,
      description: `Receives ${address} (mailto unsubscribes). CloudFormation cannot activate it: run aws ses set-active-receipt-rule-set --rule-set-name ${ruleSetName} once (only one rule set is active per account and region; with another active set, copy the rule into it instead). Email receiving exists in some SES regions only.`,
    });
    new CfnOutput(this, 'MxRecord', {
      value: `10 inbound-smtp.${stack.region}.amazonaws.com`,
      description: `The MX record ${props.senderDomain} needs so SES receives ${address}. Set it only if ${props.senderDomain} receives no other mail (use a dedicated sending subdomain); otherwise see infra/README.md.`,
    });
  }
}
