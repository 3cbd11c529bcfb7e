import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { OWNER_TAG } from '#functions/sending-domains/ports';
import { buildTestApp, type TestApp } from './build-app';
import {
  accountArn,
  asList,
  functionByDescription,
  roleStatements,
  type Statement,
  statementsFor,
} from './template-helpers';

/*
 * Partner sending domains (issue 4) in the app stack: the API creates, reads and deletes SES
 * identities (tagging them with their owner), knows the vendor's domain, and the send worker may
 * send from any identity of the account, only with the ChannelKit configuration set.
 */
const API = 'ChannelKit HTTP API';
const SEND_WORKER = 'ChannelKit send worker';

const sesStatementsOf = (template: Template, description: string): Statement[] =>
  statementsFor(
    roleStatements(template, functionByDescription(template, description).roleId).map((f) => f.statement),
    'ses:',
  );

describe.each([
  ['dev', { stage: 'dev' }, 'mail.vendor.example'],
  ['prod', { stage: 'prod', vendorSendingDomain: 'acme.com' }, 'acme.com'],
])('partner sending domains on the %s stage', (_name, raw, senderDomain) => {
  let app: TestApp;
  let template: Template;

  beforeAll(() => {
    app = buildTestApp(raw);
    template = Template.fromStack(app.app);
  });

  it('lets the API create, read and delete SES identities, and tag them with their owner only', () => {
    expect(sesStatementsOf(template, API)).toEqual([
      {
        Effect: 'Allow',
        Action: ['ses:CreateEmailIdentity', 'ses:DeleteEmailIdentity', 'ses:GetEmailIdentity'],
        Resource: accountArn('ses', 'identity/*'),
      },
      {
        Effect: 'Allow',
        Action: 'ses:TagResource',
        Resource: accountArn('ses', 'identity/*'),
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [OWNER_TAG] } },
      },
    ]);
  });

  it('never lets the API send, list identities or touch configuration sets', () => {
    const actions = sesStatementsOf(template, API).flatMap((s) => asList(s.Action));
    expect(actions.filter((a) => /Send|List|ConfigurationSet|Put|Update/.test(a))).toEqual([]);
  });

  it('tells the API the vendor’s sending domain, which partners may not register', () => {
    expect(functionByDescription(template, API).env).toMatchObject({ SENDER_DOMAIN: senderDomain });
    expect(functionByDescription(template, SEND_WORKER).env).toMatchObject({ SENDER_DOMAIN: senderDomain });
  });

  it('lets the send worker send from the account’s identities only with the configuration set', () => {
    expect(sesStatementsOf(template, SEND_WORKER)).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: [
          accountArn('ses', `configuration-set/channelkit-${app.config.stage}`),
          accountArn('ses', 'identity/*'),
        ],
      },
      { Effect: 'Allow', Action: 'ses:GetAccount', Resource: '*' },
    ]);
  });
});
