import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import {
  dataRemovalPolicy,
  PLACEHOLDER_SENDER_DOMAIN,
  parseStageConfig,
  StageConfigError,
} from '../../infra/config';

describe('parseStageConfig', () => {
  it('gives a disposable dev stage when no context is passed', () => {
    const config = parseStageConfig({});

    expect(config).toMatchObject({
      stage: 'dev',
      cognitoDomainPrefix: 'channelkit-dev',
      vendorSendingDomain: undefined,
      senderDomain: 'mail.vendor.example',
      sendConcurrency: 10,
      alarmEmail: undefined,
      vendor: { name: 'Vendor', website: 'https://vendor.example' },
      retainData: false,
      threatProtection: 'audit',
      logLevel: 'INFO',
      logRetention: RetentionDays.ONE_MONTH,
      env: { account: undefined, region: undefined },
    });
    expect(dataRemovalPolicy(config)).toBe(RemovalPolicy.DESTROY);
  });

  it('keeps data and enforces threat protection for any stage but dev', () => {
    const config = parseStageConfig({ stage: 'prod', cognitoDomainPrefix: 'acme-channelkit' });

    expect(config).toMatchObject({
      stage: 'prod',
      cognitoDomainPrefix: 'acme-channelkit',
      retainData: true,
      threatProtection: 'enforced',
      logRetention: RetentionDays.ONE_YEAR,
    });
    expect(dataRemovalPolicy(config)).toBe(RemovalPolicy.RETAIN);
  });

  it('lets context override the stage-derived defaults', () => {
    const config = parseStageConfig({ stage: 'demo', removalPolicy: 'destroy', threatProtection: 'audit' });

    expect(config.retainData).toBe(false);
    expect(config.threatProtection).toBe('audit');
  });

  it('takes the vendor name and website from context', () => {
    const config = parseStageConfig({
      vendorName: '  Acme Corp ',
      vendorWebsite: 'https://www.acme.com/partners',
    });

    expect(config.vendor).toEqual({ name: 'Acme Corp', website: 'https://www.acme.com/partners' });
  });

  it('sends from the vendor domain when given, from the reserved placeholder otherwise', () => {
    expect(parseStageConfig({ vendorSendingDomain: 'acme.com' }).senderDomain).toBe('acme.com');
    expect(parseStageConfig({}).senderDomain).toBe(PLACEHOLDER_SENDER_DOMAIN);
    expect(PLACEHOLDER_SENDER_DOMAIN.endsWith('.example')).toBe(true);
  });

  it('reads the send concurrency from context strings and numbers, and the alarm email', () => {
    expect(parseStageConfig({ sendConcurrency: '25' }).sendConcurrency).toBe(25);
    expect(parseStageConfig({ sendConcurrency: 2 }).sendConcurrency).toBe(2);
    expect(parseStageConfig({ alarmEmail: 'ops@acme.com' }).alarmEmail).toBe('ops@acme.com');
  });

  it('passes account and region through for an environment-bound synth', () => {
    const config = parseStageConfig({ account: '123456789012', region: 'eu-west-1' });

    expect(config.env).toEqual({ account: '123456789012', region: 'eu-west-1' });
  });

  it('makes the default Cognito domain prefix unique with the account id when known', () => {
    expect(parseStageConfig({ stage: 'prod', account: '123456789012' }).cognitoDomainPrefix).toBe(
      'channelkit-prod-123456789012',
    );
  });

  it.each([
    [{ stage: 'Prod' }, 'stage'],
    [{ cognitoDomainPrefix: 'my-cognito-login' }, 'cognitoDomainPrefix'],
    [{ cognitoDomainPrefix: '-acme' }, 'cognitoDomainPrefix'],
    [{ vendorSendingDomain: 'not a domain' }, 'vendorSendingDomain'],
    [{ removalPolicy: 'snapshot' }, 'removalPolicy'],
    [{ logLevel: 'TRACE' }, 'logLevel'],
    [{ vendorName: '   ' }, 'vendorName'],
    [{ vendorName: 'x'.repeat(101) }, 'vendorName'],
    [{ vendorWebsite: 'http://www.acme.com' }, 'vendorWebsite'],
    [{ vendorWebsite: 'javascript:alert(1)' }, 'vendorWebsite'],
    [{ vendorWebsite: 'www.acme.com' }, 'vendorWebsite'],
    [{ account: '12345' }, 'account'],
    [{ sendConcurrency: '1' }, 'sendConcurrency'],
    [{ sendConcurrency: '1001' }, 'sendConcurrency'],
    [{ sendConcurrency: '2.5' }, 'sendConcurrency'],
    [{ sendConcurrency: 'ten' }, 'sendConcurrency'],
    [{ alarmEmail: 'ops' }, 'alarmEmail'],
  ])('rejects %o naming the field', (raw, field) => {
    expect(() => parseStageConfig(raw)).toThrow(StageConfigError);
    expect(() => parseStageConfig(raw)).toThrow(field);
  });
});
