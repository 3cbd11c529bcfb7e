import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { type Emulator, startDynamoLocal } from '#functions/local/emulators';
import { freePort } from '#functions/local/free-port';
import { createDocumentClient } from '#platform/dynamo';
import { Table } from '#platform/table';
import { verifyChain } from '../audit';
import { chainSchema, type Verification } from '../schema';
import { auditStore } from '../store';

/*
 * `npm run audit -- verify [--chain <chain>…] [--all]`: recomputes audit chains and prints, per
 * chain, OK or the first broken link; exit code 1 if any chain is broken, 2 if it could not check.
 *
 * Which table, first match wins:
 * 1. `--endpoint <url>` or DYNAMODB_ENDPOINT: a DynamoDB Local already running (table: `--table`,
 *    TABLE_NAME, or `channelkit`, the embedded runtime's).
 * 2. TABLE_NAME without an endpoint (or `--table` with `--aws`): the table in AWS, with the usual
 *    credential chain and AWS_REGION.
 * 3. Otherwise the embedded runtime's data (`.local/data`, or CHANNELKIT_DATA_DIR): the CLI starts
 *    its own DynamoDB Local on a copy of `<data>/dynamodb`, so it works whether or not `npm start`
 *    is running and never writes to its data (a copy taken while it writes shows the state as of
 *    the copy).
 */
const DEFAULT_TABLE = 'channelkit';

interface Options {
  chain?: string[];
  all?: boolean;
  endpoint?: string;
  table?: string;
  aws?: boolean;
  region?: string;
  json?: boolean;
}

interface Target {
  table: Table;
  where: string;
  close(): Promise<void>;
}

const localSnapshot = async (): Promise<Target> => {
  const dataDir = resolve(process.env.CHANNELKIT_DATA_DIR ?? '.local/data');
  const source = join(dataDir, 'dynamodb');
  if (!existsSync(source)) {
    throw new Error(
      `no local data at ${source}: run \`npm start\` once, or pass --endpoint <url> (DynamoDB Local) or --aws --table <name>`,
    );
  }
  const copy = mkdtempSync(join(tmpdir(), 'ck-audit-'));
  cpSync(source, copy, { recursive: true });
  let emulator: Emulator | undefined;
  try {
    emulator = await startDynamoLocal({ port: await freePort(), dbPath: copy });
  } catch (error) {
    rmSync(copy, { recursive: true, force: true });
    throw error;
  }
  const doc = createDocumentClient({ region: 'us-east-1', endpoint: emulator.endpoint });
  return {
    table: new Table(doc, DEFAULT_TABLE),
    where: `a copy of ${source}`,
    async close() {
      doc.destroy();
      await emulator?.stop();
      rmSync(copy, { recursive: true, force: true });
    },
  };
};

const target = async (options: Options): Promise<Target> => {
  const endpoint = options.endpoint ?? (options.aws ? undefined : process.env.DYNAMODB_ENDPOINT);
  const tableName = options.table ?? process.env.TABLE_NAME;
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  if (endpoint || tableName) {
    const name = tableName ?? DEFAULT_TABLE;
    const doc = createDocumentClient({ region, endpoint });
    return {
      table: new Table(doc, name),
      where: endpoint ? `${name} at ${endpoint}` : `${name} in AWS ${region}`,
      close: async () => doc.destroy(),
    };
  }
  if (options.aws) throw new Error('--aws needs --table <name> or TABLE_NAME');
  return localSnapshot();
};

const line = (result: Verification): string => {
  const head = result.head ? `head ${result.head.seq} ${result.head.entryHash.slice(0, 12)}…` : 'no head';
  if (result.ok) return `OK      ${result.chain}  ${result.entries} entries, ${head}`;
  const broken = result.firstBroken;
  return `BROKEN  ${result.chain}  entry ${broken?.seq}: ${broken?.reason} (${broken?.detail}); ${result.entries} intact before it, ${head}`;
};

const program = new Command().name('audit').description('Check the tamper-evident MDF audit log');

program
  .command('verify')
  .description('recompute audit chains and report the first broken link of each; exit 1 if any is broken')
  .option('--chain <chain...>', 'chains to verify: `vendor` or `partner:<partnerId>`')
  .option('--all', 'every chain in the table (the default without --chain)')
  .option('--endpoint <url>', 'a running DynamoDB Local (default: DYNAMODB_ENDPOINT)')
  .option('--table <name>', 'the table name (default: TABLE_NAME, or channelkit locally)')
  .option('--aws', 'the table in AWS (credentials and AWS_REGION from the environment)')
  .option('--region <region>', 'the AWS region')
  .option('--json', 'print the results as JSON')
  .action(async (options: Options) => {
    const named = (options.chain ?? []).map((chain) => {
      const parsed = chainSchema.safeParse(chain);
      if (!parsed.success) throw new Error(`--chain ${chain}: must be \`vendor\` or \`partner:<partnerId>\``);
      return parsed.data;
    });
    const where = await target(options);
    try {
      const audit = auditStore(where.table);
      const chains =
        named.length > 0 && !options.all ? named : [...new Set([...named, ...(await audit.chains())])];
      const results: Verification[] = [];
      for (const chain of chains) results.push(await verifyChain({ audit, clock: () => new Date() }, chain));
      if (options.json) console.log(JSON.stringify(results, null, 2));
      else {
        console.log(`Audit log in ${where.where}: ${chains.length} chain(s)`);
        for (const result of results) console.log(line(result));
      }
      process.exitCode = results.every((r) => r.ok) ? 0 : 1;
    } finally {
      await where.close();
    }
  });

try {
  await program.parseAsync();
} catch (error) {
  console.error(`audit: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
