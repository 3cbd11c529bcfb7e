import { randomBytes, randomUUID } from 'node:crypto';
import type { SESEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';
import { brandStore } from '#functions/brand/store';
import { suppressionKey } from '#functions/contacts/keys';
import { suppressionStore } from '#functions/contacts/suppression';
import { CompileCache } from '#functions/kits/compile-cache';
import { resolveSlotValues } from '#functions/kits/slot-values';
import { kitStore } from '#functions/kits/store';
import { validateKit } from '#functions/kits/validate';
import { deriveTrackingKeys } from '#functions/sending/config';
import type { CampaignForSending, SendBatch } from '#functions/sending/contracts';
import { dynamoCounterStore } from '#functions/sending/counters';
import { createSendEngine } from '#functions/sending/engine';
import { silentLogger } from '#functions/sending/ports';
import { realTimer } from '#functions/sending/rate-limiter';
import { MAILTO_ITEM_PREFIXES, MAILTO_TABLE_ACTIONS } from '#functions/tracking/mailto-unsubscribe';
import { unsubscribeMailConsumer } from '#functions/wiring';
import { createDocumentClient } from '#platform/dynamo';
import { createLogger } from '#platform/logger';
import { createSesClient, sesMailer } from '#platform/ses-mailer';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { northwindBrand } from '#test/support/brand-fixture';
import { testEngineSettings } from '#test/support/engine-settings';
import { loadSampleKit } from '#test/support/kit-fixtures';
import { assertLocalEndpoint } from '#test/support/local-only';

/*
 * A mailto unsubscribe end to end, on DynamoDB Local and the SES emulator: the send engine sends
 * a campaign (real SendEmail, real send records, tokens from the tracking secret), a reader's
 * client mails `unsubscribe@…` with the subject the List-Unsubscribe header carries, and SES's
 * receipt event reaches the function built exactly as the Lambda entry builds it (wiring.ts).
 */
const sesEndpoint = assertLocalEndpoint(inject('sesEndpoint'));
const dynamoEndpoint = assertLocalEndpoint(inject('dynamoEndpoint'));
const doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint });
const run = randomUUID().slice(0, 8);
const domain = `mailto-${run}.example`;
const trackingSecret = randomBytes(32).toString('hex');
const { tokenKeys, recipientKeySecret } = deriveTrackingKeys(trackingSecret);

/**
 * Every DynamoDB call the unsubscribe function makes, as IAM sees it: the action
 * (`GetItemCommand` → `dynamodb:GetItem`) and the item's partition key (its grant names both).
 */
const touched: { action: string; pk: string | undefined }[] = [];
const recordingDoc = createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint });
// Still native at this step (the document client marshals later): `pk` is a string, or `{ S }` after.
const pkValue = z.union([z.string(), z.looseObject({ S: z.string() }).transform((v) => v.S)]);
const keyOf = z.looseObject({ pk: pkValue }).optional();
recordingDoc.middlewareStack.add(
  (next, context) => async (args) => {
    const input = z.looseObject({ Key: keyOf, Item: keyOf }).parse(args.input);
    touched.push({
      action: `dynamodb:${String(context.commandName).replace(/Command$/, '')}`,
      pk: (input.Key ?? input.Item)?.pk,
    });
    return next(args);
  },
  { step: 'initialize', name: 'recordTouchedItems' },
);

const campaigns = new Map<string, CampaignForSending>();
const outboxSchema = z.object({
  emails: z.array(
    z.looseObject({
      destination: z.looseObject({ to: z.array(z.string()) }),
      headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    }),
  ),
});
const outbox = async () =>
  outboxSchema
    .parse(await (await fetch(`${sesEndpoint}/store`)).json())
    .emails.filter((e) => e.destination.to.some((to) => to.endsWith(`@${domain}`)));

let table: Table;
let kitVersion: string;
let engine: ReturnType<typeof createSendEngine>;
let handler: ReturnType<typeof unsubscribeMailConsumer>;
let counters: ReturnType<typeof dynamoCounterStore>;

/** Creates a campaign of this partner and sends it to these addresses (one send-batch message). */
const sendCampaign = async (partnerId: string, emails: string[]) => {
  const kit = await kitStore(table).getVersion('zero-trust-webinar', kitVersion);
  if (!kit) throw new Error('no kit');
  const id = `M${campaigns.size}-${run}`;
  campaigns.set(id, {
    id,
    partnerId,
    kitId: kit.kitId,
    kitVersion: kit.semver,
    slots: resolveSlotValues(kit.manifest, {}, { forPreview: false }),
    status: 'sending',
    slug: `${partnerId}-zero-trust`,
  });
  const batch: SendBatch = {
    kind: 'send-batch',
    campaignId: id,
    partnerId,
    batchId: `${id}#0`,
    recipients: emails.map((email) => ({ email, firstName: 'Alex', lastName: 'Reader', company: 'Contoso' })),
  };
  const event: SQSEvent = {
    Records: [
      {
        messageId: `msg-${id}`,
        receiptHandle: 'r',
        body: JSON.stringify(batch),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:send',
        awsRegion: 'us-east-1',
      },
    ],
  };
  expect(await engine.handler(event)).toEqual({ batchItemFailures: [] });
  return id;
};

/** The subject a mail client puts on the unsubscribe email: the mailto URI's `subject`, decoded. */
const mailtoSubject = async (to: string) => {
  const email = (await outbox()).find((e) => e.destination.to.includes(to));
  const header = email?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
  const mailto = /<(mailto:[^>]+)>/.exec(header)?.[1];
  if (!mailto) throw new Error(`no mailto in List-Unsubscribe for ${to}: ${header}`);
  const uri = new URL(mailto);
  expect(uri.pathname).toBe('unsubscribe@mail.vendor.example');
  return uri.searchParams.get('subject') ?? '';
};

/** The SES receipt rule's Lambda action event for one received email. */
const receiptEvent = (subject: string, from: string): SESEvent => ({
  Records: [
    {
      eventSource: 'aws:ses',
      eventVersion: '1.0',
      ses: {
        mail: {
          timestamp: new Date().toISOString(),
          source: from,
          messageId: `inbound-${randomUUID()}`,
          destination: ['unsubscribe@mail.vendor.example'],
          headersTruncated: false,
          headers: [],
          commonHeaders: {
            returnPath: from,
            from: [from],
            date: new Date().toUTCString(),
            to: ['unsubscribe@mail.vendor.example'],
            messageId: `<${randomUUID()}@client.example>`,
            subject,
          },
        },
        receipt: {
          timestamp: new Date().toISOString(),
          processingTimeMillis: 300,
          recipients: ['unsubscribe@mail.vendor.example'],
          spamVerdict: { status: 'PASS' },
          virusVerdict: { status: 'PASS' },
          spfVerdict: { status: 'PASS' },
          dkimVerdict: { status: 'PASS' },
          dmarcVerdict: { status: 'PASS' },
          action: {
            type: 'Lambda',
            functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:unsubscribe-mail',
            invocationType: 'Event',
          },
        },
      },
    },
  ],
});

beforeAll(async () => {
  const tableName = `mailto-${randomUUID()}`;
  await ensureTable(doc, tableName);
  table = new Table(doc, tableName);
  const { kit: valid } = await validateKit(await loadSampleKit());
  if (!valid) throw new Error('sample kit invalid');
  kitVersion = valid.manifest.version;
  await kitStore(table).putDraft(
    {
      kitId: valid.manifest.id,
      semver: valid.manifest.version,
      status: 'published',
      manifest: valid.manifest,
      templates: Object.fromEntries(valid.sources),
      assets: [],
      report: { ok: true, errors: [], warnings: [] },
      archive: { key: 'kits/zero-trust-webinar.zip', sha256: `mailto-${run}`, bytes: 0 },
      uploadedAt: '2026-11-01T00:00:00.000Z',
      uploadedBy: 'test',
      version: 1,
    },
    undefined,
  );
  for (const partnerId of ['northwind', 'globex']) await brandStore(table).create(partnerId, northwindBrand);
  counters = dynamoCounterStore(table);
  engine = createSendEngine({
    table,
    counters,
    mailer: sesMailer(createSesClient({ region: 'us-east-1', endpoint: sesEndpoint })),
    campaigns: { get: async (id) => campaigns.get(id) },
    kits: kitStore(table),
    brands: brandStore(table),
    compiled: new CompileCache(),
    suppressions: suppressionStore(table),
    clock: () => new Date(),
    logger: silentLogger,
    timer: realTimer,
    settings: testEngineSettings({
      configurationSetName: 'channelkit-test',
      tokenKeys,
      recipientKeySecret,
      maxSendRate: 2000,
      leaseSeconds: 60,
    }),
  });
  const recorded = new Table(recordingDoc, tableName);
  handler = unsubscribeMailConsumer({
    table: recorded,
    counters: dynamoCounterStore(recorded),
    trackingSecret,
    clock: () => new Date(),
    logger: createLogger('channelkit-test', 'ERROR'),
  });
});
afterAll(() => {
  doc.destroy();
  recordingDoc.destroy();
});

describe('an unsubscribe email received by SES', () => {
  const leaver = `leaver@${domain}`;
  const stayer = `stayer@${domain}`;
  let first: string;
  let subject: string;

  it('suppresses the address for the sending partner only, and counts one unsubscribe', async () => {
    first = await sendCampaign('northwind', [leaver, stayer]);
    subject = await mailtoSubject(leaver);
    expect(subject).toMatch(/^unsubscribe-[A-Za-z0-9._~-]+$/);
    const suppressions = suppressionStore(table);
    expect(await suppressions.suppressedAmong('northwind', [leaver])).toEqual(new Set());

    // Sent from another address (forwarded mail, an alias): the signed token is what counts.
    const outcomes = await handler(receiptEvent(`Re: ${subject}`, 'alias@elsewhere.example'));

    expect(outcomes).toEqual([{ kind: 'unsubscribed', campaignId: first, partnerId: 'northwind' }]);
    expect(await suppressions.why('northwind', leaver)).toEqual([
      expect.objectContaining({ scope: 'partner', partnerId: 'northwind', reason: 'unsubscribe' }),
    ]);
    expect(await suppressions.suppressedAmong('globex', [leaver])).toEqual(new Set());
    expect(await suppressions.suppressedAmong('northwind', [stayer])).toEqual(new Set());
    expect(await counters.get(first)).toMatchObject({ sent: 2, unsubscribed: 1 });
    const sends = (await table.query({ partition: `SEND#${first}`, limit: 10 })).items;
    expect(sends.filter((item) => typeof item.unsubscribedAt === 'string').map((item) => item.email)).toEqual(
      [leaver],
    );
  });

  it('changes nothing when the same email is processed again (SES or Lambda retries)', async () => {
    const key = suppressionKey(leaver, { scope: 'partner', partnerId: 'northwind' });
    const before = await table.get(key);

    const again = await handler(receiptEvent(subject, leaver));

    expect(again).toEqual([{ kind: 'already', campaignId: first, partnerId: 'northwind' }]);
    expect(await table.get(key)).toEqual(before);
    expect((await counters.get(first)).unsubscribed).toBe(1);
  });

  it('keeps the address out of the partner’s next campaign, not out of another partner’s', async () => {
    const next = await sendCampaign('northwind', [leaver, stayer]);
    const other = await sendCampaign('globex', [leaver]);

    const mail = await outbox();
    const to = (address: string) => mail.filter((e) => e.destination.to.includes(address)).length;
    expect(to(leaver)).toBe(2);
    expect(to(stayer)).toBe(2);
    expect(await counters.get(next)).toMatchObject({ sent: 1, suppressed: 1 });
    expect(await counters.get(other)).toMatchObject({ sent: 1, suppressed: 0 });
  });

  it('suppresses nothing for a tampered token', async () => {
    const genuine = await mailtoSubject(stayer);
    const tampered = genuine.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));

    expect(await handler(receiptEvent(tampered, stayer))).toEqual([{ kind: 'ignored', reason: 'bad-token' }]);
    expect(await suppressionStore(table).why('northwind', stayer)).toEqual([]);
    expect((await counters.get(first)).unsubscribed).toBe(1);
  });

  it('calls only the DynamoDB actions its IAM grant allows, on the items it allows', () => {
    // Exactly: every action and every prefix granted is one the function needs.
    expect(new Set(touched.map((t) => t.action))).toEqual(new Set(MAILTO_TABLE_ACTIONS));
    expect(
      new Set(touched.map((t) => MAILTO_ITEM_PREFIXES.find((prefix) => t.pk?.startsWith(prefix)))),
    ).toEqual(new Set(MAILTO_ITEM_PREFIXES));
    for (const { action, pk } of touched) {
      expect(MAILTO_TABLE_ACTIONS, action).toContain(action);
      expect(
        MAILTO_ITEM_PREFIXES.some((prefix) => pk?.startsWith(prefix)),
        String(pk),
      ).toBe(true);
    }
  });
});
