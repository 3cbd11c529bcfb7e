import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { NodeFunction } from '../../infra/constructs/node-function';
import { measure, printVersusFloor, type Sample } from './harness';

/*
 * `npm run bench -- api`: each Lambda bundle's minified size (from cdk.out, as `npm run synth`
 * writes it) and its module init time in a fresh Node process, next to the floor: a
 * hello-world Hono Lambda bundled by the same NodeFunction construct in this run.
 * Goals: bundle ≤ 300 KB minified, init ≤ 100 ms.
 */
const templateSchema = z.object({
  Resources: z.record(
    z.string(),
    z.object({ Type: z.string(), Metadata: z.record(z.string(), z.unknown()).optional() }).loose(),
  ),
});

interface Bundle {
  name: string;
  file: string;
}

const bundlesIn = (outdir: string): Bundle[] =>
  readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .flatMap((file) => {
      const template = templateSchema.parse(JSON.parse(readFileSync(join(outdir, file), 'utf8')));
      return Object.entries(template.Resources).flatMap(([id, resource]) => {
        const asset = resource.Metadata?.['aws:asset:path'];
        if (resource.Type !== 'AWS::Lambda::Function' || typeof asset !== 'string') return [];
        const bundle = join(outdir, asset, 'index.mjs');
        return existsSync(bundle)
          ? [{ name: `${file.replace('.template.json', '')}/${id}`, file: bundle }]
          : [];
      });
    });

const floorBundle = (outdir: string): Bundle => {
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'BenchFloor');
  new NodeFunction(stack, 'HelloHono', {
    entry: 'test/bench/fixtures/hello-hono.ts',
    description: 'bench floor',
    serviceName: 'floor',
    logLevel: 'INFO',
    logRetention: RetentionDays.ONE_DAY,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  app.synth();
  const [floor] = bundlesIn(outdir);
  if (!floor) throw new Error('the floor bundle was not built');
  return floor;
};

// What the Lambdas read at init (config is parsed when a module loads); nothing is called: the
// tracking secret is given directly instead of read from Secrets Manager, queues are never used.
const lambdaEnv = {
  ...process.env,
  TABLE_NAME: 'bench',
  BLOB_BUCKET: 'bench-blobs',
  EVIDENCE_BUCKET: 'bench-evidence',
  AWS_REGION: 'us-east-1',
  JWKS_URL: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench/.well-known/jwks.json',
  JWT_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
  JWT_AUDIENCE: 'bench',
  SEND_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/send',
  SEND_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:send',
  IMPORT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/import',
  LEAD_EFFECTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/lead-effects',
  SCHEDULE_GROUP: 'bench',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/bench',
  TRACKING_SECRET: 'a-bench-tracking-secret-of-at-least-32-characters',
  SENDER_DOMAIN: 'mail.vendor.example',
  SES_MAX_SEND_RATE: '14',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

const initOnce = (file: string): number => {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: lambdaEnv,
    encoding: 'utf8',
  });
  return Number(out.trim().split('\n').at(-1));
};

const metaSchema = z.object({
  outputs: z.record(
    z.string(),
    z.object({ inputs: z.record(z.string(), z.object({ bytesInOutput: z.number() })) }),
  ),
});

/** What the bytes of a bundle are, by package, from the esbuild metafile written beside it. */
const composition = (bundle: Bundle): string => {
  const metaFile = join(bundle.file, '..', 'index.meta.json');
  if (!existsSync(metaFile)) return '';
  const meta = metaSchema.parse(JSON.parse(readFileSync(metaFile, 'utf8')));
  const groups = new Map<string, number>();
  const group = (path: string) => {
    if (
      /node_modules\/(@aws-sdk|@smithy|@aws-crypto|bowser|fast-xml-parser|strnum|mnemonist|tslib|uuid)\//.test(
        path,
      )
    )
      return 'AWS SDK';
    if (/node_modules\/zod\/.*\/locales\//.test(path) && !path.endsWith('/en.js')) return 'zod locales';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
    return pkg ?? 'ChannelKit code';
  };
  for (const output of Object.values(meta.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      groups.set(group(path), (groups.get(group(path)) ?? 0) + input.bytesInOutput);
    }
  }
  return [...groups]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KB`)
    .join(', ');
};

const sizeOf = (bundle: Bundle, label: string): Sample => ({
  label,
  median: statSync(bundle.file).size,
  unit: 'bytes',
  runs: 1,
});

export const apiBench = async (): Promise<void> => {
  console.log('synthesising (npm run synth) to read the bundles from cdk.out…');
  execFileSync('npx', ['cdk', 'synth', '--quiet'], { stdio: 'inherit' });
  const bundles = bundlesIn('cdk.out');
  const floorDir = mkdtempSync(join(tmpdir(), 'ck-bench-floor-'));
  try {
    const floor = floorBundle(floorDir);
    const floorSize = sizeOf(floor, 'hello Hono');
    const floorInit = await measure('hello Hono', () => initOnce(floor.file), { warmup: 1, runs: 9 });
    console.log('\nbundle size (minified ESM, from cdk.out)');
    for (const bundle of bundles) {
      printVersusFloor(sizeOf(bundle, bundle.name), floorSize, '≤ 300 KB');
      const parts = composition(bundle);
      if (parts) console.log(`    made of: ${parts}`);
    }
    console.log('\nmodule init in a fresh Node process (import of the bundle)');
    printVersusFloor(floorInit, floorInit);
    for (const bundle of bundles) {
      try {
        printVersusFloor(
          await measure(bundle.name, () => initOnce(bundle.file), { warmup: 1, runs: 9 }),
          floorInit,
          '≤ 100 ms',
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        console.log(`  ${bundle.name}: init failed (${reason})`);
      }
    }
  } finally {
    rmSync(floorDir, { recursive: true, force: true });
  }
};
