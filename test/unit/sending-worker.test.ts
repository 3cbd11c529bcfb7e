import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Brand } from '#functions/brand/schema';
import { CompileCache } from '#functions/kits/compile-cache';
import type { KitVersion } from '#functions/kits/schema';
import { resolveSlotValues } from '#functions/kits/slot-values';
import { validateKit } from '#functions/kits/validate';
import type { CampaignForSending, SendBatch } from '#functions/sending/contracts';
import { memoryCounterStore } from '#functions/sending/counters';
import { createSendEngine } from '#functions/sending/engine';
import { sesEventSchema } from '#functions/sending/events';
import {
  MailAccountError,
  type Mailer,
  MailRejectedError,
  MailThrottledError,
  type OutgoingEmail,
} from '#functions/sending/mailer';
import { memoryTable } from '#functions/sending/memory-table';
import { silentLogger } from '#functions/sending/ports';
import { simulatedEvents } from '#functions/sending/simulated-events';
import { recipientKey } from '#functions/sending/tokens';
import { northwindBrand } from '#test/support/brand-fixture';
import { testEngineSettings } from '#test/support/engine-settings';
import { loadSampleKit } from '#test/support/kit-fixtures';

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

const brand: Brand = northwindBrand;

const world = (
  options: {
    status?: CampaignForSending['status'];
    mailer?: (email: OutgoingEmail) => Promise<string>;
    /** What parking answers: false as when the campaign was resumed since the worker read it. */
    parkable?: boolean;
    /** The brand frozen onto the campaign at launch (absent: launched before snapshots). */
    brandAtLaunch?: Brand | null;
  } = {},
) => {
  let clockMs = Date.parse('2026-11-24T12:00:00Z');
  const table = memoryTable();
  const counters = memoryCounterStore();
  const sent: OutgoingEmail[] = [];
  const suppressed = new Set<string>();
  const paused: string[] = [];
  const parked: SendBatch[] = [];
  let n = 0;
  const accept = async (email: OutgoingEmail) => {
    sent.push(email);
    n += 1;
    return `ses-${n}`;
  };
  const mailer: Mailer = {
    sendEmail: async (email) => ({ messageId: await (options.mailer ?? accept)(email) }),
    getAccountSendRate: async () => ({ maxSendRate: 1000, max24HourSend: 1e6, sentLast24Hours: 0 }),
  };
  const campaign: CampaignForSending = {
    id: 'C1',
    partnerId: 'northwind',
    kitId: kit.kitId,
    kitVersion: kit.semver,
    slots: resolveSlotValues(kit.manifest, {}, { forPreview: false }),
    status: options.status ?? 'sending',
    slug: 'northwind-zt',
    ...(options.brandAtLaunch === undefined ? {} : { brandAtLaunch: options.brandAtLaunch }),
  };
  const engine = createSendEngine({
    table,
    counters,
    mailer,
    campaigns: { get: async (id) => (id === 'C1' ? campaign : undefined) },
    kits: { getVersion: async () => kit },
    brands: { get: async () => brand },
    compiled: new CompileCache(),
    suppressions: {
      suppressedAmong: async (_p, emails) => new Set(emails.filter((e) => suppressed.has(e))),
      suppress: async (entry) => void suppressed.add(entry.email.toLowerCase()),
    },
    control: {
      pause: async (id) => void paused.push(id),
      park: async (b) => (options.parkable === false ? false : parked.push(b) > 0),
    },
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
  const advance = (ms: number) => {
    clockMs += ms;
  };
  return { engine, table, counters, sent, suppressed, paused, parked, advance, campaign };
};

const batch = (emails: string[], batchId = 'C1#1'): SendBatch => ({
  kind: 'send-batch',
  campaignId: 'C1',
  partnerId: 'northwind',
  batchId,
  recipients: emails.map((email) => ({ email, firstName: 'Alex', lastName: 'R', company: 'Contoso' })),
});

const sqs = (...bodies: (SendBatch | string)[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m${i}`,
    receiptHandle: `r${i}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
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
  })),
});

const emails = (count: number, prefix = 'r') =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}@example.com`);

describe('send worker', () => {
  it('sends once per recipient however often the batch is delivered', async () => {
    const w = world();
    const event = sqs(batch(emails(10)), batch(emails(10).slice(5)));
    for (let i = 0; i < 3; i += 1) expect(await w.engine.handler(event)).toEqual({ batchItemFailures: [] });
    expect(w.sent.map((e) => e.to).sort()).toEqual(emails(10).sort());
    expect((await w.counters.get('C1')).sent).toBe(10);
  });

  it('reports a malformed message alone, not the whole batch', async () => {
    const w = world();
    const wrongKind = JSON.stringify({ ...batch(['b@example.com']), kind: 'x' });
    const result = await w.engine.handler(sqs(batch(['a@example.com']), 'not json', wrongKind));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }]);
    expect(w.sent).toHaveLength(1);
  });

  it('sends nothing to suppressed or malformed addresses and counts them once', async () => {
    const w = world();
    w.suppressed.add('gone@example.com');
    const event = sqs(batch(['ok@example.com', 'Gone@Example.com', 'x@y.example\r\nBcc: all@example.com']));
    await w.engine.handler(event);
    await w.engine.handler(event);
    expect(w.sent.map((e) => e.to)).toEqual(['ok@example.com']);
    expect(await w.counters.get('C1')).toMatchObject({ sent: 1, suppressed: 1, failed: 1 });
  });

  it('parks a paused campaign’s batch (the message is done), retries one resumed meanwhile, drops a cancelled one', async () => {
    const paused = world({ status: 'paused' });
    expect((await paused.engine.handler(sqs(batch(['a@example.com'])))).batchItemFailures).toEqual([]);
    expect(paused.parked.map((b) => b.recipients.map((r) => r.email))).toEqual([['a@example.com']]);
    expect(paused.sent).toEqual([]);
    const resumedMeanwhile = world({ status: 'paused', parkable: false });
    expect(
      (await resumedMeanwhile.engine.handler(sqs(batch(['a@example.com'])))).batchItemFailures,
    ).toHaveLength(1);
    expect(resumedMeanwhile.sent).toEqual([]);
    const cancelled = world({ status: 'cancelled' });
    expect((await cancelled.engine.handler(sqs(batch(['a@example.com'])))).batchItemFailures).toEqual([]);
    expect(cancelled.sent).toEqual([]);
  });

  it('records a permanent rejection for that recipient and sends the rest', async () => {
    const w = world({
      mailer: async (email) => {
        if (email.to.startsWith('bad')) throw new MailRejectedError('Address blacklisted', 'MessageRejected');
        return 'ses-ok';
      },
    });
    expect(await w.engine.handler(sqs(batch(['bad@example.com', 'good@example.com'])))).toEqual({
      batchItemFailures: [],
    });
    expect(await w.counters.get('C1')).toMatchObject({ sent: 1, failed: 1 });
    expect(await w.engine.handler(sqs(batch(['bad@example.com'])))).toEqual({ batchItemFailures: [] });
    expect((await w.counters.get('C1')).failed).toBe(1);
  });

  it('releases a recipient throttled past the bounded retries and sends it on redelivery', async () => {
    let throttle = true;
    const accepted: string[] = [];
    const w = world({
      mailer: async (email) => {
        if (throttle && email.to === 'slow@example.com')
          throw new MailThrottledError('Maximum sending rate exceeded');
        accepted.push(email.to);
        return `ses-${accepted.length}`;
      },
    });
    const event = sqs(batch(['slow@example.com', 'fast@example.com']));
    expect((await w.engine.handler(event)).batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(accepted).toEqual(['fast@example.com']);
    throttle = false;
    expect(await w.engine.handler(event)).toEqual({ batchItemFailures: [] });
    expect(accepted.sort()).toEqual(['fast@example.com', 'slow@example.com']);
  });

  it('survives a crash after SES accepted: the Send event marks it sent and the retry skips it', async () => {
    let crash = true;
    const accepted: OutgoingEmail[] = [];
    const w = world({
      mailer: async (email) => {
        accepted.push(email);
        const id = `ses-${accepted.length}`;
        if (crash) {
          for (const d of simulatedEvents(email, id, new Date()))
            await w.engine.consumeEvent(sesEventSchema.parse(d));
          throw new Error('worker killed after SES accepted');
        }
        return id;
      },
    });
    const event = sqs(batch(['a@example.com']));
    expect((await w.engine.handler(event)).batchItemFailures).toHaveLength(1);
    crash = false;
    w.advance(301_000);
    expect(await w.engine.handler(event)).toEqual({ batchItemFailures: [] });
    expect(accepted).toHaveLength(1);
    expect(await w.counters.get('C1')).toMatchObject({ sent: 1, delivered: 1 });
  });

  it('keeps an ambiguous failure’s lease (no retry before it ends) and, with no Send event, sends again after it: the documented window', async () => {
    let crash = true;
    const accepted: string[] = [];
    const w = world({
      mailer: async (email) => {
        accepted.push(email.to);
        if (crash) throw new Error('timeout: did SES take it?');
        return 'ses-2';
      },
    });
    const event = sqs(batch(['a@example.com']));
    await w.engine.handler(event);
    crash = false;
    expect((await w.engine.handler(event)).batchItemFailures).toHaveLength(1);
    expect(accepted).toHaveLength(1);
    w.advance(301_000);
    expect(await w.engine.handler(event)).toEqual({ batchItemFailures: [] });
    expect(accepted).toHaveLength(2);
  });

  it('stops on an account-level error: releases the claim, pauses the campaign, fails the rest', async () => {
    const w = world({
      mailer: async () => {
        throw new MailAccountError('Sending paused for this account', 'SendingPausedException');
      },
    });
    const result = await w.engine.handler(sqs(batch(['a@example.com']), batch(['b@example.com'], 'C1#2')));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }, { itemIdentifier: 'm1' }]);
    expect(w.paused).toEqual(['C1']);
    const key = recipientKey('unit-recipient-secret-0123456789abcdef', 'C1', 'a@example.com');
    expect((await w.engine.records.get({ campaignId: 'C1', recipientKey: key }))?.status).toBe('released');
  });

  it('renders the partner’s brand, signed links, the pixel, RFC 8058 headers and sanitised tags', async () => {
    const w = world();
    await w.engine.handler(sqs(batch(['alex@example.com'])));
    const [email] = w.sent;
    expect(email?.from).toBe('"Nora at Northwind via Vendor" <partners@mail.vendor.example>');
    expect(email?.replyTo).toBe('nora@northwind.example');
    expect(email?.html).toContain('1200 Harbor Avenue');
    expect(email?.html).toMatch(
      /<img src="https:\/\/go\.vendor\.example\/t\/o\/[A-Za-z0-9._~-]+" width="1" height="1" alt=""><\/body>/,
    );
    expect(email?.html).toMatch(/href="https:\/\/go\.vendor\.example\/t\/c\/k1\.c~/);
    expect(email?.headers[0]?.value).toMatch(
      /^<https:\/\/go\.vendor\.example\/u\/k1\.u~[^>]+>, <mailto:unsubscribe@mail\.vendor\.example\?subject=unsubscribe-k1\.u~[^>]+>$/,
    );
    expect(email?.tags).toEqual({
      campaign: 'C1',
      partner: 'northwind',
      send: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
    });
    expect(email?.configurationSetName).toBe('channelkit');
  });

  it('renders with the brand frozen at launch, not the profile as edited since', async () => {
    const atLaunch = {
      ...brand,
      senderName: 'Nora at launch',
      postalAddress: ['9 Launch Street', 'Seattle'],
    };
    const w = world({ brandAtLaunch: atLaunch });
    await w.engine.handler(sqs(batch(['alex@example.com'])));
    const [email] = w.sent;
    expect(email?.from).toBe('"Nora at launch via Vendor" <partners@mail.vendor.example>');
    expect(email?.html).toContain('9 Launch Street');
    expect(email?.html).not.toContain('1200 Harbor Avenue');
  });

  it('never sends a campaign launched without a brand profile, even if one exists now', async () => {
    const w = world({ brandAtLaunch: null });
    await w.engine.handler(sqs(batch(['alex@example.com'])));
    expect(w.sent).toEqual([]);
    expect(w.paused).toEqual(['C1']);
  });
});
