import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompileCache } from '#functions/kits/compile-cache';
import type { KitVersion } from '#functions/kits/schema';
import { resolveSlotValues } from '#functions/kits/slot-values';
import { validateKit } from '#functions/kits/validate';
import type { CampaignForSending, SendBatch } from '#functions/sending/contracts';
import { memoryCounterStore } from '#functions/sending/counters';
import { createSendEngine } from '#functions/sending/engine';
import type { OutgoingEmail } from '#functions/sending/mailer';
import { memoryTable } from '#functions/sending/memory-table';
import { silentLogger } from '#functions/sending/ports';
import type { StoredSendingDomain } from '#functions/sending-domains/schema';
import { northwindBrand } from '#test/support/brand-fixture';
import { testEngineSettings } from '#test/support/engine-settings';
import { loadSampleKit } from '#test/support/kit-fixtures';

/*
 * Issue 4, "Sending identity": a campaign of a partner whose own domain is verified and chosen
 * for sending goes out From that domain under the partner's sender name alone; otherwise From is
 * the vendor's domain, "Partner via Vendor". The unsubscribe mailto stays on the vendor's domain.
 */
let kit: KitVersion;
beforeAll(async () => {
  const { kit: valid } = await validateKit(await loadSampleKit());
  if (!valid) throw new Error('sample kit invalid');
  kit = {
    kitId: valid.manifest.id,
    semver: valid.manifest.version,
    status: 'published',
    manifest: valid.manifest,
    templates: Object.fromEntries(valid.sources),
    assets: [],
    report: { ok: true, errors: [], warnings: [] },
    archive: { key: 'k', sha256: 'unit', bytes: 0 },
    uploadedAt: '2026-11-01T00:00:00.000Z',
    uploadedBy: 'test',
    version: 1,
  };
});

const domain = (over: Partial<StoredSendingDomain>): StoredSendingDomain => ({
  partnerId: 'northwind',
  domain: 'mail.northwind.example',
  status: 'verified',
  dkimStatus: 'SUCCESS',
  tokens: ['t1', 't2', 't3'],
  localPart: 'news',
  useForSending: true,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  checkedAt: '2026-11-01T00:00:00.000Z',
  version: 2,
  ...over,
});

/** Sends one recipient of one campaign through the engine; answers the email SES was given. */
const sendOne = async (sendingDomain: StoredSendingDomain | undefined) => {
  const sent: OutgoingEmail[] = [];
  const lookups: string[] = [];
  const campaign: CampaignForSending = {
    id: 'C1',
    partnerId: 'northwind',
    kitId: kit.kitId,
    kitVersion: kit.semver,
    slots: resolveSlotValues(kit.manifest, {}, { forPreview: false }),
    status: 'sending',
    slug: 'northwind-zt',
  };
  let clockMs = Date.parse('2026-11-24T12:00:00Z');
  const engine = createSendEngine({
    table: memoryTable(),
    counters: memoryCounterStore(),
    mailer: {
      sendEmail: async (email) => {
        sent.push(email);
        return { messageId: `ses-${sent.length}` };
      },
      getAccountSendRate: async () => ({ maxSendRate: 1000, max24HourSend: 1e6, sentLast24Hours: 0 }),
    },
    campaigns: { get: async (id) => (id === 'C1' ? campaign : undefined) },
    kits: { getVersion: async () => kit },
    brands: { get: async () => northwindBrand },
    sendingDomains: {
      get: async (partnerId) => {
        lookups.push(partnerId);
        return sendingDomain;
      },
    },
    compiled: new CompileCache(),
    suppressions: { suppressedAmong: async () => new Set(), suppress: async () => {} },
    clock: () => new Date(clockMs),
    logger: silentLogger,
    timer: {
      now: () => clockMs,
      sleep: async (ms) => {
        clockMs += ms;
      },
    },
    random: () => 0.5,
    settings: testEngineSettings(),
  });
  const batch = (batchId: string, email: string): SendBatch => ({
    kind: 'send-batch',
    campaignId: 'C1',
    partnerId: 'northwind',
    batchId,
    recipients: [{ email, firstName: 'Alex', lastName: 'R', company: 'Contoso' }],
  });
  const event = (body: SendBatch, i: number): SQSEvent => ({
    Records: [
      {
        messageId: `m${i}`,
        receiptHandle: `r${i}`,
        body: JSON.stringify(body),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'x',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:send',
        awsRegion: 'us-east-1',
      },
    ],
  });
  expect(await engine.handler(event(batch('C1#1', 'a@example.com'), 1))).toEqual({ batchItemFailures: [] });
  expect(await engine.handler(event(batch('C1#2', 'b@example.com'), 2))).toEqual({ batchItemFailures: [] });
  return { sent, lookups };
};

const mailtoOf = (email: OutgoingEmail | undefined) =>
  email?.headers.find((h) => h.name === 'List-Unsubscribe')?.value.match(/<mailto:([^?]+)\?/)?.[1];

describe('From on a partner’s own sending domain', () => {
  it('uses the verified, chosen partner domain under the sender name alone; the unsubscribe mailto stays the vendor’s', async () => {
    const { sent, lookups } = await sendOne(domain({}));

    expect(sent.map((email) => email.from)).toEqual([
      '"Nora at Northwind" <news@mail.northwind.example>',
      '"Nora at Northwind" <news@mail.northwind.example>',
    ]);
    expect(sent[0]?.replyTo).toBe('nora@northwind.example');
    expect(mailtoOf(sent[0])).toBe('unsubscribe@mail.vendor.example');
    // Read once per campaign (with the brand), not per batch or recipient.
    expect(lookups).toEqual(['northwind']);
  });

  it.each([
    ['pending', domain({ status: 'pending', dkimStatus: 'PENDING' })],
    ['failed', domain({ status: 'failed', dkimStatus: 'FAILED' })],
    ['verified but not chosen', domain({ useForSending: false })],
    ['absent', undefined],
  ])(
    'falls back to the vendor domain, "Partner via Vendor", when the partner domain is %s',
    async (_, found) => {
      const { sent } = await sendOne(found);

      expect(sent[0]?.from).toBe('"Nora at Northwind via Vendor" <partners@mail.vendor.example>');
      expect(mailtoOf(sent[0])).toBe('unsubscribe@mail.vendor.example');
    },
  );
});
