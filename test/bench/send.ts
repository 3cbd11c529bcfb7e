import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
 * `npm run bench -- send` bundles send-measure.ts the way the Lambdas are bundled (esbuild, ESM,
 * minified, node24) and runs that bundle, so the figures are for the code as deployed rather
 * than for tsx's on-the-fly transform (which adds per-closure naming calls the bundle has not).
 * The floor is in the same bundle, so both sides get the same treatment.
 */
export const sendBench = async (): Promise<void> => {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'channelkit-bench-'));
  const outfile = join(dir, 'send-measure.mjs');
  try {
    await build({
      entryPoints: [resolve(import.meta.dirname, 'send-measure.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      minify: true,
      mainFields: ['module', 'main'],
      tsconfig: resolve('tsconfig.json'),
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'warning',
    });
    const measured: { measureSendPipeline: () => Promise<void> } = await import(pathToFileURL(outfile).href);
    await measured.measureSendPipeline();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
