import Handlebars from 'handlebars';
import { brandValues } from '#functions/brand/brand-values';
import { CompileCache } from '#functions/kits/compile-cache';
import { renderEmail } from '#functions/kits/render';
import { resolveSlotValues } from '#functions/kits/slot-values';
import type { Mailer } from '#functions/sending/mailer';
import { memoryTable } from '#functions/sending/memory-table';
import type { Timer } from '#functions/sending/rate-limiter';
import { sendRecords } from '#functions/sending/send-records';
import { createTokenSigner, recipientKey } from '#functions/sending/tokens';
import { measure, printVersusFloor } from './harness';
import { benchBatches, benchBrand, benchEngine, loadBenchKit } from './send';

/*
 * Emails rendered and handed to SES per second on one core, through the whole worker (batch
 * parsing, suppression port, recipient keys, claim and `sent` records, render with signed links
 * and pixel, headers, tags, counters) with in-memory ports: an in-memory table (the same
 * condition semantics, structuredClone per read/write) instead of DynamoDB and a zero-latency
 * mailer stub instead of SES, so the figure is our CPU cost alone. Floor: a bare Handlebars
 * render of the same templates plus the same stub call. Then the pipeline's parts, each alone,
 * so the ratio comes with where the time goes.
 */
const EMAILS = 1000;

export const measureSendPipeline = async (): Promise<void> => {
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
  const perEmail = (started: number) => ((performance.now() - started) * 1000) / EMAILS;

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
    const result = perEmail(started);
    const used = process.cpuUsage(cpu);
    cpuPerEmail = (used.user + used.system) / 1000 / EMAILS;
    return result;
  };

  const bare = Handlebars.create();
  for (const name of ['link', 'asset', 'format_date', 'fallback', 'postal_address']) {
    bare.registerHelper(name, (value: unknown) => (typeof value === 'string' ? value : ''));
  }
  const t = kit.manifest.templates;
  const templates = [t.subject, t.html, t.text].map((path) => bare.compile(kit.templates[path] ?? ''));
  const slots = resolveSlotValues(kit.manifest, {}, { forPreview: false });
  const vendor = { name: 'Vendor', website: 'https://vendor.example' };
  const context = {
    slots,
    brand: { company_name: 'Northwind Networks', primary_colour: '#0b5cad' },
    vendor,
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
    const result = perEmail(started);
    const used = process.cpuUsage(cpu);
    floorCpu = (used.user + used.system) / 1000 / EMAILS;
    return result;
  };

  // The parts, alone: the kit render (our helpers, escaping, four templates), the token MACs
  // one email needs, and the claim + `sent` records on the in-memory table.
  const compiled = new CompileCache().get(kit);
  const brand = brandValues({ name: 'Northwind Networks' }, benchBrand);
  const renderInput = {
    slots,
    brand,
    vendor,
    recipient: { first_name: 'Alex', last_name: 'Rivera', company: 'Contoso Health' },
    unsubscribeUrl: 'https://go.vendor.example/u/x',
    landingUrl: 'https://go.vendor.example/p/x',
    trackLink: (_url: string, index: number) => `https://go.vendor.example/t/c/${index}`,
    assetUrl: (name: string) => `https://go.vendor.example/assets/${name}`,
    formAction: 'https://go.vendor.example/p/x',
  };
  const links = renderEmail(compiled, renderInput).links.length;
  const renderRun = () => {
    const started = performance.now();
    for (let i = 0; i < EMAILS; i += 1) renderEmail(compiled, renderInput);
    return perEmail(started);
  };
  const tokens = createTokenSigner({
    keys: { current: 'k1', keys: { k1: 'bench-token-key-0123456789abcdefghijkl' } },
    clock: () => new Date(),
  });
  const signRun = () => {
    const started = performance.now();
    for (let i = 0; i < EMAILS; i += 1) {
      const ref = {
        campaignId: 'BENCH',
        recipientKey: recipientKey('bench-secret', 'BENCH', `r${i}@x.example`),
      };
      tokens.sign({ ...ref, purpose: 'open' });
      tokens.sign({ ...ref, purpose: 'unsubscribe' });
      for (let link = 0; link < links; link += 1) tokens.sign({ ...ref, purpose: 'click', link });
    }
    return perEmail(started);
  };
  const recordsRun = async () => {
    const records = sendRecords(memoryTable(), { leaseMs: 300_000, retentionDays: 430 });
    const now = new Date();
    const started = performance.now();
    for (let i = 0; i < EMAILS; i += 1) {
      const send = {
        campaignId: 'BENCH',
        recipientKey: `k${i}`,
        partnerId: 'northwind',
        email: `r${i}@x.example`,
        links: ['https://a.example/'],
      };
      const claim = await records.claim(send, now);
      if (claim.kind === 'claimed') await records.markSent(claim.record, `m${i}`, now);
    }
    return perEmail(started);
  };

  const floor = await measure('bare render + SendEmail stub', floorRun, { unit: 'µs/email', runs: 7 });
  const subject = await measure('worker: render, records, send', subjectRun, { unit: 'µs/email', runs: 7 });
  const parts = [
    await measure('  kit render (4 templates, helpers)', renderRun, { unit: 'µs/email', runs: 7 }),
    await measure(`  token MACs (${links + 3} HMAC-SHA256)`, signRun, { unit: 'µs/email', runs: 7 }),
    await measure('  claim + sent records (in memory)', recordsRun, { unit: 'µs/email', runs: 7 }),
  ];
  console.log(
    `${EMAILS} recipients per run, one core, zero-latency SES stub, in-memory table (no DynamoDB), code bundled as for Lambda:`,
  );
  printVersusFloor(subject, floor, '≤ 1.5x');
  console.log(`  cpu per email: ${cpuPerEmail.toFixed(3)} ms (floor ${floorCpu.toFixed(3)} ms), last run`);
  const perSecond = (sample: { median: number }) => Math.round(1e6 / sample.median);
  console.log(`  emails/s per core: ${perSecond(subject)} (floor ${perSecond(floor)})`);
  console.log('  where the time goes, each part alone (µs per email, median of 7):');
  for (const part of parts) console.log(`  ${part.label.padEnd(40)} ${part.median.toFixed(2).padStart(7)}`);
};
