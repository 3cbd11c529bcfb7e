import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deriveTrackingKeys } from '#functions/sending/config';
import { sendRecords } from '#functions/sending/send-records';
import { createTokenSigner, recipientKey } from '#functions/sending/tokens';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * The Lambda entry (functions/api.ts) as API Gateway's HTTP API invokes it: configuration
 * from the environment, the real DynamoDB Local behind it, tokens verified against the
 * issuer's JWKS over HTTP.
 */
let api: TestApi;
let handler: typeof import('#functions/api')['handler'];

beforeAll(async () => {
  api = await startTestApi();
  process.env.TABLE_NAME = api.table.name;
  process.env.BLOB_BUCKET = 'channelkit-test-blobs';
  process.env.EVIDENCE_BUCKET = 'channelkit-test-evidence';
  // Queues and the scheduler are not called by these requests; the secret is given directly.
  process.env.SEND_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/send';
  process.env.SEND_QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:send';
  process.env.IMPORT_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/import';
  process.env.LEAD_EFFECTS_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/lead-effects';
  process.env.SENDER_DOMAIN = 'mail.vendor.example';
  process.env.SCHEDULE_GROUP = 'channelkit-test';
  process.env.SCHEDULER_ROLE_ARN = 'arn:aws:iam::123456789012:role/scheduler';
  process.env.TRACKING_SECRET = 'a-test-tracking-secret-of-at-least-32-characters';
  process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
  process.env.JWKS_URL = `${api.baseUrl}/jwks.json`;
  process.env.JWT_ISSUER = api.issuer.issuer;
  process.env.JWT_AUDIENCE = api.issuer.audience;
  ({ handler } = await import('#functions/api'));
});
afterAll(() => api.close());

const event = (method: string, path: string, headers: Record<string, string> = {}): LambdaEvent => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'api.example', ...headers },
  body: null,
  isBase64Encoded: false,
  requestContext: {
    accountId: '123456789012',
    apiId: 'api',
    authentication: null,
    authorizer: {},
    domainName: 'api.example',
    domainPrefix: 'api',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
    requestId: 'req-lambda-entry',
    routeKey: '$default',
    stage: '$default',
    time: '24/Nov/2026:12:00:00 +0000',
    timeEpoch: 0,
  },
});

const context: LambdaContext = {
  awsRequestId: 'aws-req-1',
  functionName: 'api',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:api',
  memoryLimitInMB: '1024',
  logGroupName: '/aws/lambda/api',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000,
};

describe('the API Lambda entry', () => {
  it('answers /health', async () => {
    expect(await handler(event('GET', '/health'), context)).toMatchObject({ statusCode: 200 });
  });

  it('serves a partner its own data from the table and refuses another’s', async () => {
    const authorization = `Bearer ${await api.token('u-northwind-1')}`;
    const own = await handler(event('GET', '/api/partners/northwind', { authorization }), context);
    expect(own).toMatchObject({ statusCode: 200, body: expect.stringContaining('Northwind Networks') });
    const other = await handler(event('GET', '/api/partners/globex', { authorization }), context);
    expect(other).toMatchObject({ statusCode: 404, headers: { 'content-type': 'application/problem+json' } });
  });
});

describe('the unsubscribe mail Lambda entry (SES receipt rule action)', () => {
  it('suppresses the address a signed mailto subject names, for that partner only', async () => {
    const { handler: received } = await import('#functions/unsubscribe-mail');
    const secret = process.env.TRACKING_SECRET ?? '';
    const keys = deriveTrackingKeys(secret);
    const email = 'mailto-entry@contoso.example';
    const ref = {
      campaignId: 'C-entry',
      recipientKey: recipientKey(keys.recipientKeySecret, 'C-entry', email),
    };
    const records = sendRecords(api.table, { leaseMs: 60_000, retentionDays: 430 });
    const claim = await records.claim({ ...ref, partnerId: 'northwind', email, links: [] }, new Date());
    await records.markSent(claim.record, 'ses-entry-1', new Date());
    const token = createTokenSigner({ keys: keys.tokenKeys, clock: () => new Date() }).sign({
      ...ref,
      purpose: 'unsubscribe',
    });
    const verdict = { status: 'PASS' };

    const outcomes = await received({
      Records: [
        {
          eventSource: 'aws:ses',
          eventVersion: '1.0',
          ses: {
            mail: {
              messageId: 'inbound-entry-1',
              commonHeaders: {
                from: [email],
                to: ['unsubscribe@mail.vendor.example'],
                subject: `unsubscribe-${token}`,
              },
            },
            receipt: {
              spamVerdict: verdict,
              virusVerdict: verdict,
              spfVerdict: verdict,
              dkimVerdict: verdict,
              dmarcVerdict: verdict,
            },
          },
        },
      ],
    });

    expect(outcomes).toEqual([{ kind: 'unsubscribed', campaignId: 'C-entry', partnerId: 'northwind' }]);
    const asPartner = async (user: string) => {
      const authorization = `Bearer ${await api.token(user)}`;
      const res = await handler(event('GET', `/api/suppressions/${email}`, { authorization }), context);
      return JSON.parse(String(res.body)).suppressed;
    };
    expect(await asPartner('u-northwind-1')).toBe(true);
    expect(await asPartner('u-globex-1')).toBe(false);
  });

  it('logs and drops a malformed event instead of throwing (no retry loop)', async () => {
    const { handler: received } = await import('#functions/unsubscribe-mail');

    await expect(received({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] })).resolves.toEqual([]);
    await expect(received({})).resolves.toEqual([]);
  });
});

describe('the lead-effects Lambda entry (SQS event source, partial batch responses)', () => {
  const record = (messageId: string, body: string) => ({
    messageId,
    receiptHandle: `${messageId}-handle`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:lead-effects',
    awsRegion: 'us-east-1',
  });

  it('fails only a malformed message, and drops an event whose lead is not stored', async () => {
    const { handler: consume } = await import('#functions/lead-effects');
    const gone = {
      kind: 'lead-captured',
      leadId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
      partnerIds: ['northwind'],
      becameEql: true,
      version: 1,
      at: new Date().toISOString(),
    };

    const response = await consume({
      Records: [record('m-bad', '{"kind":"nope"}'), record('m-gone', JSON.stringify(gone))],
    });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
  });
});
