import { resolve } from 'node:path';
import Handlebars from 'handlebars';
import type { Brand } from '#functions/brand/schema';
import { readKitFolder } from '#functions/kits/archive';
import { CompileCache } from '#functions/kits/compile-cache';
import type { KitVersion } from '#functions/kits/schema';
import { resolveSlotValues } from '#functions/kits/slot-values';
import { validateKit } from '#functions/kits/validate';
import type { CampaignForSending, SendBatch } from '#functions/sending/contracts';
import { memoryCounterStore } from '#functions/sending/counters';
import { createSendEngine } from '#functions/sending/engine';
import type { Mailer } from '#functions/sending/mailer';
import { memoryTable } from '#functions/sending/memory-table';
import { silentLogger } from '#functions/sending/ports';
import type { Timer } from '#functions/sending/rate-limiter';
import { northwindBrand } from '#test/support/brand-fixture';
import { measure, printVersusFloor } from './harness';

/*
 * `npm run bench -- send`: emails rendered and handed to SES per second on one core, through the
 * whole worker (batch parsing, suppression port, recipient keys, claim and `sent` records, render
 * with signed links and pixel, headers, tags, counters) with in-memory ports: an in-memory table
 * (the same condition semantics, structuredClone per read/write) instead of DynamoDB and a
 * zero-latency mailer stub instead of SES, so the figure is our CPU cost alone. Floor: a bare
 * Handlebars render of the same templates plus the same stub call.
 */
const EMAILS = 1000;

export const sendBench = async (): Promise<void> => {
  const kit = await loadBenchKit();
  let accepted = 0;
  const stub: Mailer = {
    sendEmail: async () => {
      accepted += 1;
      return { messageId: `stub-${accepted}` };
    },
    getAccountSendRate: async () => ({ maxSendRate: 1e9, max24HourSend: 1e12, sentLast24Hours: 0 }),
  };
  const unlimited: Timer = { now: () => performance.now(), sleep: async () => {} };

  let round = 0;
  let cpuPerEmail = 0;
  const subjectRun = async () => {
    round += 1;
    // A fresh engine each run: every recipient is new, as in a real campaign.
    const { engine } = benchEngine(kit, stub, { timer: unlimited, maxSendRate: 1e9, maxConcurrency: 1 });
    const batches = benchBatches(EMAILS, `r${round}-`);
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const batch of batches) await engine.worker.processBatch(batch);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    cpuPerEmail = (used.user + used.system) / 1000 / EMAILS;
    return (ms * 1000) / EMAILS;
  };

  const bare = Handlebars.create();
  for (const name of ['link', 'asset', 'format_date', 'fallback', 'postal_address']) {
    bare.registerHelper(name, (value: unknown) => (typeof value === 'string' ? value : ''));
  }
  const t = kit.manifest.templates;
  const templates = [t.subject, t.html, t.text].map((path) => bare.compile(kit.templates[path] ?? ''));
  const context = {
    slots: resolveSlotValues(kit.manifest, {}, { forPreview: false }),
    brand: { company_name: 'Northwind Networks', primary_colour: '#0b5cad' },
    vendor: { name: 'Vendor', website: 'https://vendor.example' },
    recipient: { first_name: 'Alex', last_name: 'Rivera', company: 'Contoso Health' },
    unsubscribe_url: 'https://go.vendor.example/u/x',
    landing_url: 'https://go.vendor.example/p/x',
  };
  let floorCpu = 0;
  const floorRun = async () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < EMAILS; i += 1) {
      const [subject = '', html = '', text = ''] = templates.map((template) => template(context));
      await stub.sendEmail({
        from: 'a@b.example',
        replyTo: 'a@b.example',
        to: `r${i}@bench.example`,
        subject,
        html,
        text,
        headers: [],
        tags: {},
      });
    }
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    floorCpu = (used.user + used.system) / 1000 / EMAILS;
    return (ms * 1000) / EMAILS;
  };

  const floor = await measure('bare render + SendEmail stub', floorRun, { unit: 'µs/email', runs: 7 });
  const subject = await measure('worker: render, records, send', subjectRun, { unit: 'µs/email', runs: 7 });
  console.log(
    `${EMAILS} recipients per run, one core, zero-latency SES stub, in-memory table (no DynamoDB):`,
  );
  printVersusFloor(subject, floor);
  console.log(`  cpu per email: ${cpuPerEmail.toFixed(3)} ms (floor ${floorCpu.toFixed(3)} ms), last run`);
  const perSecond = (sample: { median: number }) => Math.round(1e6 / sample.median);
  console.log(`  emails/s per core: ${perSecond(subject)} (floor ${perSecond(floor)})`);
};

/** The send engine over in-memory ports (no DynamoDB, no network) for the send benchmarks. */
export const loadBenchKit = async (): Promise<KitVersion> => {
  const { kit } = await validateKit(await readKitFolder(resolve('campaigns/zero-trust-webinar')));
  if (!kit) throw new Error('the sample kit does not validate');
  return {
    kitId: kit.manifest.id,
    semver: kit.manifest.version,
    status: 'published',
    manifest: kit.manifest,
    templates: Object.fromEntries(kit.sources),
    assets: [],
    report: { ok: true, errors: [], warnings: [] },
    archive: { key: 'bench', sha256: 'bench', bytes: 0 },
    uploadedAt: '2026-11-01T00:00:00.000Z',
    uploadedBy: 'bench',
    version: 1,
  };
};

export const benchBrand: Brand = northwindBrand;

export const benchEngine = (
  kit: KitVersion,
  mailer: Mailer,
  options: { timer: Timer; maxSendRate: number; maxConcurrency: number },
) => {
  const campaign: CampaignForSending = {
    id: 'BENCH',
    partnerId: 'northwind',
    kitId: kit.kitId,
    kitVersion: kit.semver,
    slots: resolveSlotValues(kit.manifest, {}, { forPreview: false }),
    status: 'sending',
    slug: 'northwind-zero-trust',
  };
  const counters = memoryCounterStore();
  const engine = createSendEngine({
    table: memoryTable(),
    counters,
    mailer,
    campaigns: { get: async () => campaign },
    kits: { getVersion: async () => kit },
    brands: { get: async () => benchBrand },
    compiled: new CompileCache(),
    suppressions: { suppressedAmong: async () => new Set(), suppress: async () => {} },
    clock: () => new Date(),
    logger: silentLogger,
    timer: options.timer,
    settings: {
      publicBaseUrl: 'https://go.vendor.example',
      vendor: { name: 'Vendor', website: 'https://vendor.example' },
      fromAddress: 'partners@mail.vendor.example',
      unsubscribeMailto: 'unsubscribe@mail.vendor.example',
      configurationSetName: 'channelkit',
      tokenKeys: { current: 'k1', keys: { k1: 'bench-token-key-0123456789abcdefghijkl' } },
      tokenMaxAgeDays: 400,
      recipientKeySecret: 'bench-recipient-secret-0123456789abcdef',
      maxSendRate: options.maxSendRate,
      maxConcurrency: options.maxConcurrency,
      parallelism: 8,
      leaseSeconds: 300,
      backoff: { attempts: 6, baseMs: 20, capMs: 500 },
    },
  });
  return { engine, counters, campaign };
};

export const benchBatches = (count: number, prefix: string): SendBatch[] => {
  const out: SendBatch[] = [];
  for (let i = 0; i < count; i += 50) {
    out.push({
      kind: 'send-batch',
      campaignId: 'BENCH',
      partnerId: 'northwind',
      batchId: `BENCH#${prefix}${i}`,
      recipients: Array.from({ length: Math.min(50, count - i) }, (_, j) => ({
        email: `${prefix}${i + j}@bench.example`,
        firstName: 'Alex',
        lastName: 'Rivera',
        company: 'Contoso Health',
      })),
    });
  }
  return out;
};
