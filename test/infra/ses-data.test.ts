import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './build-app';

describe('SES and the tracking secret (DataStack)', () => {
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    dev = Template.fromStack(buildTestApp({ stage: 'dev' }).data);
    prod = Template.fromStack(buildTestApp({ stage: 'prod', vendorSendingDomain: 'acme.com' }).data);
  });

  it('has the configuration set channelkit-<stage>: reputation metrics, sending on, suppression of bounces and complaints', () => {
    expect(dev.findResources('AWS::SES::ConfigurationSet')).toEqual({
      ConfigurationSet: expect.objectContaining({
        Properties: expect.objectContaining({
          Name: 'channelkit-dev',
          ReputationOptions: { ReputationMetricsEnabled: true },
          SendingOptions: { SendingEnabled: true },
          SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
        }),
      }),
    });
  });

  it('publishes sending events to the default EventBridge bus, but not opens and clicks (SES would rewrite links)', () => {
    dev.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: 'ConfigurationSet' },
      EventDestination: {
        Enabled: true,
        EventBridgeDestination: {
          EventBusArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':events:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':event-bus/default',
              ],
            ],
          },
        },
        MatchingEventTypes: [
          'send',
          'delivery',
          'bounce',
          'complaint',
          'reject',
          'deliveryDelay',
          'renderingFailure',
        ],
      },
    });
  });

  it('creates no identity without a sending domain (dev)', () => {
    dev.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('verifies the vendor domain with Easy DKIM (2048-bit) and MAIL FROM mail.<domain>, retained outside dev', () => {
    expect(prod.findResources('AWS::SES::EmailIdentity')).toEqual({
      SendingIdentity: expect.objectContaining({
        DeletionPolicy: 'Retain',
        Properties: expect.objectContaining({
          EmailIdentity: 'acme.com',
          DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
          MailFromAttributes: { MailFromDomain: 'mail.acme.com' },
          ConfigurationSetAttributes: { ConfigurationSetName: { Ref: 'ConfigurationSet' } },
        }),
      }),
    });
  });

  it('outputs the DNS records to publish: three DKIM CNAMEs, MX and SPF for MAIL FROM', () => {
    const outputs = Object.values(prod.findOutputs('*')).map((output) => JSON.stringify(output.Value));

    for (const n of [1, 2, 3]) {
      expect(outputs).toContainEqual(expect.stringContaining(`DkimDNSTokenName${n}`));
    }
    expect(outputs).toContainEqual(expect.stringContaining('mail.acme.com MX 10 feedback-smtp.'));
    expect(outputs).toContainEqual(expect.stringContaining('include:amazonses.com'));
  });

  it('generates the tracking secret (64 letters and digits) under the pinned logical id "TrackingSecret"', () => {
    expect(dev.findResources('AWS::SecretsManager::Secret')).toEqual({
      TrackingSecret: expect.objectContaining({
        Properties: expect.objectContaining({
          GenerateSecretString: {
            PasswordLength: 64,
            ExcludePunctuation: true,
            IncludeSpace: false,
            RequireEachIncludedType: true,
          },
        }),
      }),
    });
    // The AWS-managed key: readers need no KMS grant. No rotation schedule (AwsSolutions-SMG4 acknowledged).
    dev.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: Match.absent() });
    dev.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  it('keeps the tracking secret outside dev (tokens in sent emails must verify for 60+ days)', () => {
    prod.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    dev.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
  });
});
