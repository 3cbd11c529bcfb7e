import { randomUUID } from 'node:crypto';
import { type SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';
import type { Brand } from '#functions/brand/schema';
import { brandStore } from '#functions/brand/store';
import { createRouter } from '#functions/http/router';
import { CompileCache } from '#functions/kits/compile-cache';
import type { KitVersion } from '#functions/kits/schema';
import { resolveSlotValues } from '#functions/kits/slot-values';
import { kitStore } from '#functions/kits/store';
import { validateKit } from '#functions/kits/validate';
import { type Emulator, startDynamoLocal } from '#functions/local/emulators';
import { freePort } from '#functions/local/free-port';
import { InProcessQueue } from '#functions/local/in-process-queue';
import { createSesClient, sesMailer } from '#functions/platform/ses-mailer';
import type { CampaignForSending, SendBatch } from '#functions/sending/contracts';
import { dynamoCounterStore } from '#functions/sending/counters';
import { createSendEngine } from '#functions/sending/engine';
import { sesEventSchema } from '#functions/sending/events';
import { type Mailer, MailRejectedError } from '#functions/sending/mailer';
import { type Suppressions, silentLogger } from '#functions/sending/ports';
import { realTimer } from '#functions/sending/rate-limiter';
import { simulatedEvents, withSimulatedEvents } from '#functions/sending/simulated-events';
import { trackingRoutes } from '#functions/tracking/routes';
import { createDocumentClient } from '#platform/dynamo';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { northwindBrand } from '#test/support/brand-fixture';
import { testEngineSettings } from '#test/support/engine-settings';
import { loadSampleKit } from '#test/support/kit-fixtures';
import { assertLocalEndpoint } from '#test/support/local-only';

const sesEndpoint = assertLocalEndpoint(inject('sesEndpoint'));
/*
 * This file writes some ten thousand items and transactions in a few seconds. On the DynamoDB
 * Local every other integration file shares, a busy neighbour (transactions there are serialised)
 * made it twenty times slower in full runs; it gets a DynamoDB Local of its own instead.
 */
let dynamo: Emulator;
let doc: ReturnType<typeof createDocumentClient>;
const BASE = 'https://go.vendor.example';
const run = randomUUID().slice(0, 8);
const domain = `${run}.example`;
let table: Table;
let tableName: string;
let kit: KitVersion;

const brand: Omit<Brand, 'version'> & { version: number } = northwindBrand;

/** Simple in-test implementations of the colleagues' ports, over the same table. */
const campaignSchema = z.object({
  id: z.string(),
  partnerId: z.string(),
  kitId: z.string(),
  kitVersion: z.string(),
  slots: z.record(z.string(), z.string()),
  status: z.enum([
    'draft',
    'pending-approval',
    'approved',
    'rejected',
    'scheduled',
    'sending',
    'paused',
    'sent',
    'cancelled',
  ]),
  slug: z.string(),
});
const campaignKey = (id: string) => ({ pk: `TESTCAMPAIGN#${id}`, sk: 'CAMPAIGN' });
const putCampaign = (campaign: CampaignForSending) =>
  table.create({ ...campaignKey(campaign.id), type: 'test-campaign', version: 1, ...campaign });
const suppressionKey = (scope: string, email: string) => ({
  pk: `TESTSUPP#${scope}`,
  sk: email.toLowerCase(),
});
const suppressions = (): Suppressions => ({
  async suppressedAmong(partnerId, emails) {
    const hits = await Promise.all(
      emails.map(async (email) =>
        (await table.get(suppressionKey(partnerId, email))) ||
        (await table.get(suppressionKey('GLOBAL', email)))
          ? email.toLowerCase()
          : undefined,
      ),
    );
    return new Set(hits.filter((e): e is string => e !== undefined));
  },
  async suppress(entry) {
    const scope = entry.scope === 'global' ? 'GLOBAL' : entry.partnerId;
    await table.putIfAbsent({
      ...suppressionKey(scope, entry.email),
      type: 'test-suppression',
      version: 1,
      reason: entry.reason,
    });
  },
});

const storedEmailSchema = z.object({
  messageId: z.string(),
  from: z.string(),
  replyTo: z.array(z.string()),
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ html: z.string().optional(), text: z.string().optional() }),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});
const outbox = async (toDomain: string) => {
  const store = z
    .object({ emails: z.array(storedEmailSchema) })
    .parse(await (await fetch(`${sesEndpoint}/store`)).json());
  return store.emails.filter((e) => e.destination.to.some((to) => to.endsWith(`@${toDomain}`)));
};

const build = (options: {
  mailer: (real: Mailer) => Mailer;
  client?: SESv2Client;
  leaseSeconds?: number;
}) => {
  const client = options.client ?? createSesClient({ region: 'us-east-1', endpoint: sesEndpoint });
  const pending = new Set<Promise<unknown>>();
  let consume: (detail: unknown) => Promise<unknown> = async () => {};
  const publish = async (detail: unknown) => {
    const p = consume(detail);
    pending.add(p);
    await p.finally(() => pending.delete(p));
  };
  const real = withSimulatedEvents(
    sesMailer(client),
    publish,
    () => new Date(),
    (e) => {
      throw e;
    },
  );
  const counters = dynamoCounterStore(new Table(doc, tableName));
  const supp = suppressions();
  const engine = createSendEngine({
    table,
    counters,
    mailer: options.mailer(real),
    campaigns: {
      get: async (id) => {
        const item = await table.get(campaignKey(id));
        return item ? campaignSchema.parse(item) : undefined;
      },
    },
    kits: kitStore(table),
    brands: brandStore(table),
    compiled: new CompileCache(),
    suppressions: supp,
    clock: () => new Date(),
    logger: silentLogger,
    timer: realTimer,
    settings: testEngineSettings({
      publicBaseUrl: BASE,
      configurationSetName: 'channelkit-test',
      tokenKeys: {
        current: 'k2',
        keys: { k1: 'integration-old-key-0123456789abcdef', k2: 'integration-key-0123456789abcdefghij' },
      },
      recipientKeySecret: 'integration-recipient-0123456789abcdef',
      // The emulator's GetAccount needs a fuller AWS_SES_ACCOUNT than emulators.ts sets (see report).
      maxSendRate: 2000,
      parallelism: 8,
      leaseSeconds: options.leaseSeconds ?? 1,
      backoff: { attempts: 4, baseMs: 5, capMs: 40 },
    }),
  });
  consume = (detail) => engine.consumeEvent(sesEventSchema.parse(detail));
  const queue = new InProcessQueue({
    name: `send-${run}`,
    handler: engine.handler,
    batchSize: 10,
    maxReceiveCount: 20,
    retryDelayMs: 600,
  });
  const app = createRouter().route('/', trackingRoutes(engine.tracking));
  const settle = async () => {
    await queue.drained();
    while (pending.size > 0) await Promise.all([...pending]);
  };
  return { engine, queue, app, counters, supp, settle };
};

const batches = (campaignId: string, emails: string[]): SendBatch[] => {
  const out: SendBatch[] = [];
  for (let i = 0; i < emails.length; i += 50) {
    out.push({
      kind: 'send-batch',
      campaignId,
      partnerId: 'northwind',
      batchId: `${campaignId}#${i / 50}`,
      recipients: emails
        .slice(i, i + 50)
        .map((email, j) => ({ email, firstName: `Reader${i + j}`, lastName: 'Test', company: 'Contoso' })),
    });
  }
  return out;
};

const campaign = async (id: string): Promise<CampaignForSending> => {
  const c: CampaignForSending = {
    id,
    partnerId: 'northwind',
    kitId: kit.kitId,
    kitVersion: kit.semver,
    slots: resolveSlotValues(kit.manifest, {}, { forPreview: false }),
    status: 'sending',
    slug: 'northwind-zero-trust',
  };
  await putCampaign(c);
  return c;
};

const header = (email: z.infer<typeof storedEmailSchema>, name: string) =>
  email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

beforeAll(async () => {
  dynamo = await startDynamoLocal({ port: await freePort() });
  doc = createDocumentClient({ region: 'us-east-1', endpoint: assertLocalEndpoint(dynamo.endpoint) });
  tableName = `sending-${randomUUID()}`;
  await ensureTable(doc, tableName);
  table = new Table(doc, tableName);
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
    archive: { key: 'kits/zero-trust-webinar.zip', sha256: `int-${run}`, bytes: 0 },
    uploadedAt: '2026-11-01T00:00:00.000Z',
    uploadedBy: 'test',
    version: 1,
  };
  await kitStore(table).putDraft(kit, undefined);
  await brandStore(table).create('northwind', brand);
});
afterAll(async () => {
  doc.destroy();
  await dynamo.stop();
});

describe('send engine against DynamoDB Local and the SES emulator', () => {
  it('sends a 1,000-recipient campaign exactly once per recipient through redeliveries and crashes', async () => {
    const c = await campaign(`C1-${run}`);
    const emails = Array.from({ length: 1000 }, (_, i) => `reader${i}@${domain}`);
    const suppressed = Array.from({ length: 25 }, (_, i) => `gone${i}@${domain}`);
    const rejected = `reject-me@${domain}`;
    const all = [...emails, ...suppressed, rejected];
    const first = new Set<string>();
    const w = build({
      mailer: (real) => ({
        getAccountSendRate: () => real.getAccountSendRate(),
        async sendEmail(email) {
          if (email.to === rejected)
            throw new MailRejectedError('Email address is on a block list', 'MessageRejected');
          const n = Number(/reader(\d+)@/.exec(email.to)?.[1] ?? -1);
          const firstTime = !first.has(email.to);
          first.add(email.to);
          // Killed between the claim and SES: nothing sent; the lease runs out, a redelivery sends.
          if (firstTime && n % 50 === 7) throw new Error('worker killed before calling SES');
          const out = await real.sendEmail(email);
          // Killed after SES accepted, before `sent` was written: the Send event marks it sent.
          if (firstTime && n % 50 === 13) throw new Error('worker killed after SES accepted');
          return out;
        },
      }),
    });
    for (const email of suppressed.slice(0, 15))
      await w.supp.suppress({ scope: 'partner', partnerId: 'northwind', email, reason: 'unsubscribe' });
    for (const email of suppressed.slice(15))
      await w.supp.suppress({ scope: 'global', email, reason: 'hard-bounce' });

    const messages = batches(c.id, all);
    for (const m of messages) w.queue.send(JSON.stringify(m));
    await w.settle();
    // Redeliver every batch twice more (SQS is at least once).
    for (let round = 0; round < 2; round += 1) for (const m of messages) w.queue.send(JSON.stringify(m));
    await w.settle();
    expect(w.queue.deadLetters).toEqual([]);

    const mail = await outbox(domain);
    expect(mail).toHaveLength(1000);
    expect(new Set(mail.map((m) => m.destination.to[0]))).toEqual(new Set(emails));
    expect(mail.some((m) => m.destination.to.some((to) => to.startsWith('gone') || to === rejected))).toBe(
      false,
    );
    expect(await w.counters.get(c.id)).toMatchObject({
      sent: 1000,
      suppressed: 25,
      failed: 1,
      delivered: 1000,
    });

    const landing = `${BASE}/p/northwind-zero-trust`;
    for (let i = 0; i < mail.length; i += 50) {
      await Promise.all(
        mail.slice(i, i + 50).map(async (m) => {
          expect(m.from).toBe('"Nora at Northwind via Vendor" <partners@mail.vendor.example>');
          expect(m.replyTo).toEqual(['nora@northwind.example']);
          expect(m.body.html).toContain('1200 Harbor Avenue, Suite 400');
          expect(m.body.text).toContain('Northwind Networks');
          expect(header(m, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
          const unsubscribe =
            /^<https:\/\/go\.vendor\.example\/u\/([A-Za-z0-9._~-]+)>, <mailto:unsubscribe@mail\.vendor\.example\?subject=unsubscribe-\1>$/.exec(
              header(m, 'List-Unsubscribe') ?? '',
            );
          expect(unsubscribe?.[1] && w.engine.tokens.verify(unsubscribe[1], 'unsubscribe')).toBeTruthy();
          const track = /href="https:\/\/go\.vendor\.example(\/t\/c\/[A-Za-z0-9._~-]+)"/.exec(
            m.body.html ?? '',
          );
          const res = await w.app.request(track?.[1] ?? '/t/c/none');
          expect(res.status).toBe(302);
          expect(res.headers.get('location')).toBe(landing);
          expect(res.headers.get('cache-control')).toContain('no-store');
        }),
      );
    }
    expect(await w.counters.get(c.id)).toMatchObject({ clicked: 1000, uniqueClicked: 1000 });
  }, 240_000);

  it('retries SES throttling (injected with aws-sdk-client-mock) and loses nothing', async () => {
    const c = await campaign(`C2-${run}`);
    const throttledDomain = `throttle-${domain}`;
    const emails = Array.from({ length: 120 }, (_, i) => `t${i}@${throttledDomain}`);
    const client = createSesClient({ region: 'us-east-1', endpoint: sesEndpoint });
    const realSend = client.send.bind(client);
    const mock = mockClient(client);
    let calls = 0;
    mock.on(SendEmailCommand).callsFake(async (input) => {
      calls += 1;
      // Two calls in three are over the rate (SES drops them): some recipients stay throttled
      // past the bounded retries and come back with the redelivered message.
      if (calls % 3 !== 0)
        throw new TooManyRequestsException({
          $metadata: { httpStatusCode: 429 },
          message: 'Maximum sending rate exceeded',
        });
      return realSend(new SendEmailCommand(input));
    });
    try {
      const w = build({ mailer: (real) => real, client });
      for (const m of batches(c.id, emails)) w.queue.send(JSON.stringify(m));
      await w.settle();
      expect(w.queue.deadLetters).toEqual([]);
      const mail = await outbox(throttledDomain);
      expect(mail.map((m) => m.destination.to[0]).sort()).toEqual([...emails].sort());
      expect(calls).toBeGreaterThan(300);
      expect((await w.counters.get(c.id)).sent).toBe(120);
    } finally {
      mock.restore();
    }
  }, 120_000);

  it('one-click unsubscribe suppresses at once and the next batch skips the address; bad tokens get 404s', async () => {
    const c = await campaign(`C3-${run}`);
    const unsubDomain = `unsub-${domain}`;
    const w = build({ mailer: (real) => real });
    w.queue.send(JSON.stringify(batches(c.id, [`leaver@${unsubDomain}`, `stayer@${unsubDomain}`])[0]));
    await w.settle();
    const [leaver] = (await outbox(unsubDomain)).filter((m) => m.destination.to[0]?.startsWith('leaver'));
    const url =
      /^<https:\/\/go\.vendor\.example(\/u\/[^>]+)>/.exec(
        header(leaver ?? storedEmailSchema.parse({}), 'List-Unsubscribe') ?? '',
      )?.[1] ?? '';

    // A link scanner's GET changes nothing.
    const page = await w.app.request(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect(await w.supp.suppressedAmong('northwind', [`leaver@${unsubDomain}`])).toEqual(new Set());

    const post = await w.app.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('location')).toBeNull();
    expect(post.headers.get('set-cookie')).toBeNull();
    expect(await w.supp.suppressedAmong('northwind', [`leaver@${unsubDomain}`])).toEqual(
      new Set([`leaver@${unsubDomain}`]),
    );
    expect(
      (
        await w.app.request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        })
      ).status,
    ).toBe(200);
    expect((await w.counters.get(c.id)).unsubscribed).toBe(1);

    const next = await campaign(`C4-${run}`);
    w.queue.send(JSON.stringify(batches(next.id, [`leaver@${unsubDomain}`, `stayer@${unsubDomain}`])[0]));
    await w.settle();
    const after = await outbox(unsubDomain);
    expect(after.filter((m) => m.destination.to[0]?.startsWith('leaver'))).toHaveLength(1);
    expect(after.filter((m) => m.destination.to[0]?.startsWith('stayer'))).toHaveLength(2);
    expect((await w.counters.get(next.id)).suppressed).toBe(1);

    // Tampered and foreign tokens: 404, never a redirect.
    const click =
      /href="https:\/\/go\.vendor\.example\/t\/c\/([A-Za-z0-9._~-]+)"/.exec(leaver?.body.html ?? '')?.[1] ??
      '';
    const tampered = click.replace(/~(\d+)\./, (_m, d: string) => `~${Number(d) + 1}.`);
    const foreign = foreignToken(click);
    for (const path of [
      `/t/c/${tampered}`,
      `/t/c/${foreign}`,
      '/t/c/not-a-token-at-all-0123456789',
      `/t/c/${click}x`,
      `/t/o/${click}`,
    ]) {
      const res = await w.app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(
      (
        await w.app.request(`/u/${foreign}`, {
          method: 'POST',
          body: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(404);
    const head = await w.app.request(`/t/c/${click}`, { method: 'HEAD' });
    expect(head.status).toBe(302);
    const pixel = await w.app.request(
      /src="https:\/\/go\.vendor\.example(\/t\/o\/[^"]+)"/.exec(leaver?.body.html ?? '')?.[1] ?? '',
    );
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    expect((await pixel.arrayBuffer()).byteLength).toBe(43);
    expect(await w.counters.get(c.id)).toMatchObject({ opened: 1, uniqueOpened: 1 });
  }, 60_000);

  it('publishes the mailbox simulator’s events through the one consumer: bounces and complaints suppress globally', async () => {
    const c = await campaign(`C5-${run}`);
    const w = build({ mailer: (real) => real });
    const simulator = ['success', 'bounce', 'complaint', 'suppressionlist'].map(
      (box) => `${box}@simulator.amazonses.com`,
    );
    w.queue.send(JSON.stringify(batches(c.id, simulator)[0]));
    await w.settle();
    // Simulated events are published after each send, asynchronously (as SES's are): wait, bounded.
    const expected = { sent: 4, delivered: 2, bounced: 2, complained: 1 };
    const deadline = Date.now() + 15_000;
    let counters = await w.counters.get(c.id);
    while (
      Object.entries(expected).some(([k, v]) => Reflect.get(counters, k) !== v) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 100));
      counters = await w.counters.get(c.id);
    }
    expect(counters).toMatchObject(expected);
    expect(await w.supp.suppressedAmong('any-partner', simulator)).toEqual(new Set(simulator.slice(1)));
    expect(
      simulatedEvents({ to: simulator[0] ?? '', tags: {} }, 'x', new Date()).map((e) => e.eventType),
    ).toEqual(['Send', 'Delivery']);
  }, 60_000);
});

/** A token for the same send and link signed with a key this deployment does not have. */
const foreignToken = (genuine: string): string => {
  const [, body] = genuine.split('.');
  return `k2.${body}.${'x'.repeat(43)}`;
};

describe('SES adapter against the emulator', () => {
  it('reads the account send rate with GetAccount from an emulator given a complete account', async () => {
    const { startSesLocal } = await import('#functions/local/emulators');
    const { freePort } = await import('#functions/local/free-port');
    const previous = process.env.AWS_SES_ACCOUNT;
    process.env.AWS_SES_ACCOUNT = JSON.stringify({
      DedicatedIpAutoWarmupEnabled: false,
      Details: {
        AdditionalContactEmailAddresses: [],
        ContactLanguage: 'EN',
        MailType: 'MARKETING',
        ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
        UseCaseDescription: 'ChannelKit tests',
        WebsiteURL: 'https://vendor.example',
      },
      EnforcementStatus: 'HEALTHY',
      ProductionAccessEnabled: true,
      SendingEnabled: true,
      SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 },
      SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    const ses = await startSesLocal({ port: await freePort() });
    try {
      const mailer = sesMailer(createSesClient({ region: 'us-east-1', endpoint: ses.endpoint }));
      expect(await mailer.getAccountSendRate()).toEqual({
        maxSendRate: 14,
        max24HourSend: 50000,
        sentLast24Hours: 0,
      });
    } finally {
      await ses.stop();
      process.env.AWS_SES_ACCOUNT = previous;
    }
  });
});
