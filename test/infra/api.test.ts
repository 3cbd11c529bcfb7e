import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { tableDefinition } from '#platform/table-definition';
import { buildTestApp, type TestApp } from './build-app';

const getAtt = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) });
const lambdaSchema = z.object({
  Properties: z.object({
    Role: getAtt,
    Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }),
  }),
});
const policySchema = z.object({
  Properties: z.object({
    Roles: z.array(z.object({ Ref: z.string() })),
    PolicyDocument: z.object({
      Statement: z.array(
        z.object({
          Effect: z.enum(['Allow', 'Deny']),
          Action: z.union([z.string(), z.array(z.string())]),
          Resource: z.unknown(),
          Condition: z.unknown().optional(),
        }),
      ),
    }),
  }),
});
type Statement = z.infer<typeof policySchema>['Properties']['PolicyDocument']['Statement'][number];

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('the API (AppStack)', () => {
  let app: TestApp;
  let template: Template;
  let functionId: string;
  let statements: Statement[];

  beforeAll(() => {
    app = buildTestApp({ stage: 'dev', logLevel: 'DEBUG' });
    template = Template.fromStack(app.app);
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: 'ChannelKit HTTP API (Hono)' },
    });
    const [id, resource] = Object.entries(functions)[0] ?? [];
    if (!id) throw new Error('API function not found');
    functionId = id;
    const roleId = lambdaSchema.parse(resource).Properties.Role['Fn::GetAtt'][0];
    statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .map((policy) => policySchema.parse(policy).Properties)
      .filter((policy) => policy.Roles.some((role) => role.Ref === roleId))
      .flatMap((policy) => policy.PolicyDocument.Statement);
  });

  it('runs functions/api.ts on Node.js 24, arm64, 1 GB, X-Ray active, JSON logs', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'ChannelKit HTTP API (Hono)',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 25,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG' }),
    });
  });

  it('hands the function everything its config schema needs', () => {
    const variables = lambdaSchema.parse(template.toJSON().Resources[functionId]).Properties.Environment
      .Variables;

    expect(Object.keys(variables).sort()).toEqual(
      [
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        'BLOB_BUCKET',
        'EVIDENCE_BUCKET',
        'IMPORT_QUEUE_URL',
        'LEAD_EFFECTS_QUEUE_URL',
        'JWKS_URL',
        'JWT_AUDIENCE',
        'JWT_ISSUER',
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        'PUBLIC_BASE_URL',
        'SCHEDULE_GROUP',
        'SCHEDULER_ROLE_ARN',
        'SEND_QUEUE_ARN',
        'SEND_QUEUE_URL',
        'SENDER_DOMAIN',
        'TABLE_NAME',
        'TRACKING_SECRET_ARN',
        'VENDOR_NAME',
        'VENDOR_WEBSITE',
      ].sort(),
    );
    expect(variables).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_SERVICE_NAME: 'channelkit-api',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      TABLE_NAME: { 'Fn::GetStackOutput': expect.objectContaining({ StackName: app.data.stackName }) },
      BLOB_BUCKET: {
        'Fn::GetStackOutput': expect.objectContaining({
          StackName: app.data.stackName,
          OutputName: expect.stringMatching(/^PublishOutputRefBlobBucket/),
        }),
      },
      EVIDENCE_BUCKET: {
        'Fn::GetStackOutput': expect.objectContaining({
          StackName: app.data.stackName,
          OutputName: expect.stringMatching(/^PublishOutputRefEvidenceBucket/),
        }),
      },
      VENDOR_NAME: 'Vendor',
      VENDOR_WEBSITE: 'https://vendor.example',
      JWT_ISSUER: { 'Fn::GetAtt': ['UserPool', 'ProviderURL'] },
      JWKS_URL: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': ['UserPool', 'ProviderURL'] }, '/.well-known/jwks.json']],
      },
      JWT_AUDIENCE: { Ref: expect.stringMatching(/^AuthUserPoolWebClient/) },
      PUBLIC_BASE_URL: {
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^WebDistribution/), 'DomainName'] }],
        ],
      },
      SEND_QUEUE_URL: { Ref: 'SendQueue' },
      SEND_QUEUE_ARN: { 'Fn::GetAtt': ['SendQueue', 'Arn'] },
      IMPORT_QUEUE_URL: { Ref: expect.stringMatching(/^SendingImportQueue/) },
      TRACKING_SECRET_ARN: {
        'Fn::GetStackOutput': expect.objectContaining({
          StackName: app.data.stackName,
          OutputName: expect.stringMatching(/^PublishOutputRefTrackingSecret/),
        }),
      },
      SCHEDULE_GROUP: 'channelkit-dev',
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': ['SchedulerRole', 'Arn'] },
    });
  });

  it('writes its logs to its own log group, kept for a month in dev', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'ChannelKit HTTP API (Hono)',
      LoggingConfig: Match.objectLike({ LogGroup: { Ref: Match.stringLikeRegexp('^ApiFunctionLogGroup') } }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('may use only DynamoDB item actions (no Scan, no wildcard) on the table and its named GSIs', () => {
    const dynamo = statements.filter((s) =>
      asList(s.Action).some((action) => action.startsWith('dynamodb:')),
    );
    const tableArn = { 'Fn::GetStackOutput': expect.objectContaining({ StackName: app.data.stackName }) };
    const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });

    expect(dynamo).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        Resource: tableArn,
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: tableDefinition.globalSecondaryIndexes.map((gsi) => indexArn(gsi.indexName)),
      },
      // Audit-log entries are never changed or removed (test/infra/audit.test.ts).
      {
        Effect: 'Deny',
        Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
        Resource: tableArn,
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      },
    ]);
    for (const statement of dynamo) {
      expect(asList(statement.Action).every((action) => action.startsWith('dynamodb:'))).toBe(true);
      expect(asList(statement.Action)).not.toContain('dynamodb:*');
      expect(asList(statement.Resource)).not.toContain('*');
    }
  });

  it('may only get and put objects under assets/, kits/, imports/ and account-lists/ of the blob bucket and claims/ of the evidence bucket (no List, no Delete)', () => {
    const s3 = statements.filter(
      (s) => s.Effect === 'Allow' && asList(s.Action).some((action) => action.startsWith('s3:')),
    );
    const objects = (bucketOutput: RegExp, prefix: string) => ({
      'Fn::Join': [
        '',
        [
          {
            'Fn::GetStackOutput': expect.objectContaining({
              StackName: app.data.stackName,
              OutputName: expect.stringMatching(bucketOutput),
            }),
          },
          `/${prefix}/*`,
        ],
      ],
    });
    const blobObjects = (prefix: string) => objects(/^PublishOutputFnGetAttBlobBucketArn/, prefix);

    // CDK merges the two grants (same actions) into one statement.
    expect(s3).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: [
          blobObjects('account-lists'),
          blobObjects('assets'),
          blobObjects('imports'),
          blobObjects('kits'),
          objects(/^PublishOutputFnGetAttEvidenceBucketArn/, 'claims'),
        ],
      },
    ]);
  });

  it('may only send messages to the lead-effects, send and import queues (lead events, launches, imports)', () => {
    const sqs = statements.filter((s) => asList(s.Action).some((action) => action.startsWith('sqs:')));

    expect(sqs).toEqual([
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: [
          { 'Fn::GetAtt': [expect.stringMatching(/^LeadEffectsQueue/), 'Arn'] },
          { 'Fn::GetAtt': ['SendQueue', 'Arn'] },
          { 'Fn::GetAtt': [expect.stringMatching(/^SendingImportQueue/), 'Arn'] },
        ],
      },
    ]);
  });

  it('may only read the tracking secret (GetSecretValue, no Describe, no KMS)', () => {
    const secrets = statements.filter((s) =>
      asList(s.Action).some((action) => action.startsWith('secretsmanager:')),
    );
    const kms = statements.filter((s) => asList(s.Action).some((action) => action.startsWith('kms:')));

    // The only key it may use is the evidence bucket's (test/infra/evidence.test.ts).
    expect(JSON.stringify(kms)).toMatch(/PublishOutputFnGetAttEvidenceKeyArn/);
    expect(kms).toHaveLength(1);

    expect(secrets).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: {
          'Fn::GetStackOutput': expect.objectContaining({
            StackName: app.data.stackName,
            OutputName: expect.stringMatching(/^PublishOutputRefTrackingSecret/),
          }),
        },
      },
    ]);
  });

  it('may create, read and delete schedules of its own group only, and pass the scheduler role only to Scheduler', () => {
    const scheduling = statements.filter((s) =>
      asList(s.Action).some((action) => action.startsWith('scheduler:') || action.startsWith('iam:')),
    );

    expect(scheduling).toEqual([
      {
        Effect: 'Allow',
        Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':scheduler:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':schedule/channelkit-dev/*',
            ],
          ],
        },
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': ['SchedulerRole', 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('takes the vendor shown in kit templates from context', () => {
    const acme = Template.fromStack(
      buildTestApp({ stage: 'dev', vendorName: 'Acme Corp', vendorWebsite: 'https://www.acme.com' }).app,
    );

    acme.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'ChannelKit HTTP API (Hono)',
      Environment: {
        Variables: Match.objectLike({ VENDOR_NAME: 'Acme Corp', VENDOR_WEBSITE: 'https://www.acme.com' }),
      },
    });
  });

  it('grants nothing else but log writes to its own group and X-Ray telemetry', () => {
    // ses: partner sending domains (test/infra/sending-domains.test.ts).
    // kms: the evidence key (test/infra/evidence.test.ts).
    const covered = [
      'dynamodb:',
      's3:',
      'sqs:',
      'secretsmanager:',
      'scheduler:',
      'iam:PassRole',
      'ses:',
      'kms:',
    ];
    const others = statements.filter(
      (s) => !asList(s.Action).some((action) => covered.some((prefix) => action.startsWith(prefix))),
    );

    expect(others).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ApiFunctionLogGroup/), 'Arn'] },
      },
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
    ]);
  });

  it('attaches no AWS managed policy to the function role', () => {
    const roleId = lambdaSchema.parse(template.toJSON().Resources[functionId]).Properties.Role[
      'Fn::GetAtt'
    ][0];
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { ManagedPolicyArns: Match.absent() },
    });

    expect(Object.keys(roles)).toContain(roleId);
  });

  it('guards /api/{proxy+} with a JWT authorizer for the Cognito pool and web client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'ANY /api/{proxy+}',
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: Match.stringLikeRegexp('CognitoAuthorizer') },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': ['UserPool', 'ProviderURL'] },
        Audience: [{ Ref: Match.stringLikeRegexp('^AuthUserPoolWebClient') }],
      },
    });
  });

  it.each([
    'GET /health',
    'GET /openapi.json',
    'GET /docs',
    'ANY /p/{proxy+}',
    'ANY /t/{proxy+}',
    'ANY /u/{proxy+}',
  ])('serves %s without an authorizer', (routeKey) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      AuthorizationType: 'NONE',
      AuthorizerId: Match.absent(),
    });
  });

  it('has exactly the seven routes of apiRoutes', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 7);
  });

  it('throttles the default stage and logs every request as JSON', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.serializedJson(
          Match.objectLike({ requestId: '$context.requestId', status: '$context.status' }),
        ),
      },
    });
  });
});
