import { Validations } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { nagPacks } from '../../infra/nag';
import { buildTestApp, type TestApp } from './build-app';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

const acknowledgedRules = z.record(z.string(), z.string());

/** Every `Validations.of(x).acknowledge()` in the app, read back from construct metadata. */
const acknowledgements = (app: TestApp): Acknowledgement[] =>
  app.cdkApp.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(acknowledgedRules.parse(entry.data)).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

/**
 * The blob grants (API: assets, kits, imports; import worker: imports), as cdk-nag sees them
 * once the bucket ARN is a weak cross-stack reference (acknowledged by
 * `acknowledgeWildcardsWhenResolved`, one per prefix).
 */
const blobObjectsFinding = (stage: string, prefix: 'assets' | 'kits' | 'imports' | 'account-lists'): string =>
  `AwsSolutions-IAM5[Resource::${JSON.stringify({
    'Fn::GetStackOutput': {
      StackName: `ChannelKit-${stage}-Data`,
      Region: { Ref: 'AWS::Region' },
      OutputName: 'PublishOutputFnGetAttBlobBucketArn56ADBC12',
    },
  })}/${prefix}/*]`;

/** The API's grant on MDF evidence (`claims/*` of the evidence bucket), as cdk-nag prints it. */
const evidenceObjectsFinding = (stage: string): string =>
  `AwsSolutions-IAM5[Resource::${JSON.stringify({
    'Fn::GetStackOutput': {
      StackName: `ChannelKit-${stage}-Data`,
      Region: { Ref: 'AWS::Region' },
      OutputName: 'PublishOutputFnGetAttEvidenceBucketArn1927F0F3',
    },
  })}/claims/*]`;

/** Account-level ARNs as cdk-nag prints them. */
const inAccount = (service: string, resource: string): string =>
  `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;

describe.each([
  // dev: no sending domain, no alarm email.
  ['dev', { stage: 'dev' }, []],
  // prod: the vendor's identity (no wildcard), an alarm email subscription (no redrive policy).
  [
    'prod',
    {
      stage: 'prod',
      cognitoDomainPrefix: 'acme-channelkit',
      vendorSendingDomain: 'acme.com',
      alarmEmail: 'ops@acme.com',
    },
    ['Serverless-SNSRedrivePolicy'],
  ],
])('cdk-nag on the %s stage', (_name, raw, stageSpecific) => {
  let app: TestApp;

  beforeAll(() => {
    app = buildTestApp(raw);
    // Synthesize first: some resources (cross-stack outputs, policies) only exist after prepare.
    app.cdkApp.synth();
  });

  it('finds no unacknowledged violation in the AwsSolutions and Serverless packs', () => {
    const violations = nagPacks().flatMap((pack) =>
      pack.validateScope(app.cdkApp).violations.map((violation) => ({
        rule: violation.ruleName,
        severity: violation.severity,
        at: violation.violatingResources.map((resource) => resource.constructPath),
      })),
    );

    expect(violations.filter((violation) => violation.severity === 'error')).toEqual([]);
    // Warnings are acknowledged too, so synth output stays quiet and a new one stands out.
    expect(violations).toEqual([]);
  });

  it('gives every acknowledgement a written reason', () => {
    const all = acknowledgements(app);

    expect(all.length).toBeGreaterThan(0);
    for (const acknowledgement of all) {
      expect(
        acknowledgement.reason.trim().length,
        `${acknowledgement.id} at ${acknowledgement.path}`,
      ).toBeGreaterThan(30);
    }
  });

  it('acknowledges exactly the reviewed rules (update infra/README.md with this list)', () => {
    const ids = [...new Set(acknowledgements(app).map((a) => a.id))].sort();

    expect(ids).toEqual(
      [
        '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
        'AwsSolutions-APIG4',
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR2',
        'AwsSolutions-CFR4',
        'AwsSolutions-COG2',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<WebSiteD504717C.Arn>/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        blobObjectsFinding(app.config.stage, 'assets'),
        blobObjectsFinding(app.config.stage, 'kits'),
        blobObjectsFinding(app.config.stage, 'imports'),
        // Raw account lists (issue 5): only the API reads and writes them.
        blobObjectsFinding(app.config.stage, 'account-lists'),
        // MDF evidence (issue 6): only the API reads and writes claims/.
        evidenceObjectsFinding(app.config.stage),
        `AwsSolutions-IAM5[Resource::${inAccount('scheduler', `schedule/channelkit-${app.config.stage}/*`)}]`,
        // Partner sending domains (issue 4): the API manages, the send worker sends from, SES identities.
        `AwsSolutions-IAM5[Resource::${inAccount('ses', 'identity/*')}]`,
        'AwsSolutions-L1',
        'AwsSolutions-S1',
        'AwsSolutions-SMG4',
        'Serverless-LambdaDLQ',
        'Serverless-LambdaEventSourceMappingDestination',
        'Serverless-LambdaLatestVersion',
        'Serverless-LambdaTracing',
        'Serverless-SQSRedrivePolicy',
        ...stageSpecific,
      ].sort(),
    );
  });

  it('acknowledges APIG4 (no authorizer) only on the six public routes', () => {
    const routes = acknowledgements(app)
      .filter((a) => a.id === 'AwsSolutions-APIG4')
      .map((a) => a.path.replace(/^.*\/HttpApi\//, ''))
      .sort();

    expect(routes).toEqual(
      [
        'ANY--p--{proxy+}',
        'ANY--t--{proxy+}',
        'ANY--u--{proxy+}',
        'GET--docs',
        'GET--health',
        'GET--openapi.json',
      ].sort(),
    );
  });

  it('acknowledges the blob wildcards only on the API and import worker roles, and S1 only on the two access-log buckets', () => {
    const all = acknowledgements(app);
    const blobPaths = all.filter((a) => a.id.includes('BlobBucketArn')).map((a) => a.path);
    const importPaths = all.filter((a) => a.id.endsWith('/imports/*]')).map((a) => a.path);
    const s1Paths = all.filter((a) => a.id === 'AwsSolutions-S1').map((a) => a.path);

    expect([...new Set(blobPaths)].sort()).toEqual([
      `ChannelKit-${app.config.stage}-App/Api/FunctionRole/DefaultPolicy/Resource`,
      `ChannelKit-${app.config.stage}-App/Sending/ImportWorkerRole/DefaultPolicy/Resource`,
    ]);
    expect(importPaths.sort()).toEqual([
      `ChannelKit-${app.config.stage}-App/Api/FunctionRole/DefaultPolicy/Resource`,
      `ChannelKit-${app.config.stage}-App/Sending/ImportWorkerRole/DefaultPolicy/Resource`,
    ]);
    expect(s1Paths.sort()).toEqual(
      [
        `ChannelKit-${app.config.stage}-App/Web/AccessLogs`,
        `ChannelKit-${app.config.stage}-Data/Blobs/AccessLogs`,
      ].sort(),
    );
  });

  it('acknowledges the evidence wildcard (claims/*) only on the API role', () => {
    const paths = acknowledgements(app)
      .filter((a) => a.id.includes('EvidenceBucketArn'))
      .map((a) => a.path);

    expect(paths).toEqual([`ChannelKit-${app.config.stage}-App/Api/FunctionRole/DefaultPolicy/Resource`]);
  });

  it('acknowledges the send pipeline exceptions only where they apply', () => {
    const all = acknowledgements(app);
    const pathsOf = (id: string) =>
      all
        .filter((a) => a.id === id)
        .map((a) => a.path.replace(`ChannelKit-${app.config.stage}-`, ''))
        .sort();

    // Only SQS-invoked workers (and the synchronous API) go without a function DLQ: not the SES consumer.
    expect(pathsOf('Serverless-LambdaDLQ').filter((path) => !path.includes('BucketDeployment'))).toEqual([
      'App/Api/Function',
      'App/LeadEffects/Worker',
      'App/Sending/ImportWorker',
      'App/Sending/SendWorker',
    ]);
    expect(pathsOf('Serverless-LambdaEventSourceMappingDestination')).toEqual([
      expect.stringMatching(/^App\/LeadEffects\/Worker\/SqsEventSource:/),
      expect.stringMatching(/^App\/Sending\/ImportWorker\/SqsEventSource:/),
      expect.stringMatching(/^App\/Sending\/SendWorker\/SqsEventSource:/),
    ]);
    expect(pathsOf('Serverless-SQSRedrivePolicy')).toEqual([
      'App/LeadEffects/DeadLetters',
      'App/Sending/Import/DeadLetters',
      'App/Sending/Send/DeadLetters',
      'App/SesEvents/DeadLetters',
      'App/UnsubscribeInbox/DeadLetters',
    ]);
    expect(pathsOf('AwsSolutions-SMG4')).toEqual(['Data/TrackingSecret/Resource']);
  });

  it("acknowledges Resource::* on each function role (X-Ray) and on the send worker's ses:GetAccount policy only", () => {
    const star = acknowledgements(app)
      .filter((a) => a.id === 'AwsSolutions-IAM5[Resource::*]')
      .map((a) => a.path.replace(`ChannelKit-${app.config.stage}-App/`, ''))
      .filter((path) => !path.includes('BucketDeployment'))
      .sort();

    expect(star).toEqual([
      'Api/FunctionRole',
      'LeadEffects/WorkerRole',
      'Sending/ImportWorkerRole',
      'Sending/SendWorkerRole',
      'Sending/SendWorkerSesAccount',
      'SesEvents/ConsumerRole',
      'UnsubscribeInbox/HandlerRole',
    ]);
  });
});

describe.each([
  // What an offline `npx cdk synth` sees: the CLI's default region, no account.
  ['dev, region only', { stage: 'dev', region: 'us-east-1' }],
  ['prod, account and region', { stage: 'prod', account: '123456789012', region: 'eu-west-1' }],
])(
  'cdk-nag on an environment-bound %s synth (ARNs in findings carry literal partition and region)',
  (_name, raw) => {
    it('finds no unacknowledged violation', () => {
      const app = buildTestApp(raw);
      app.cdkApp.synth();
      const violations = nagPacks().flatMap((pack) =>
        pack.validateScope(app.cdkApp).violations.map((violation) => ({
          rule: violation.ruleName,
          at: violation.violatingResources.map((resource) => resource.constructPath),
        })),
      );

      expect(violations).toEqual([]);
    });
  },
);
