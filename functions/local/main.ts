import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRuntime } from './runtime';

// `npm start`: the whole platform on this machine. `npm start -- --fresh` wipes the data first.
const { values } = parseArgs({
  options: { fresh: { type: 'boolean', default: false }, port: { type: 'string' } },
  allowPositionals: false,
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const dataDir = resolve(process.env.CHANNELKIT_DATA_DIR ?? '.local/data');

const runtime = await startRuntime({ port, dataDir, fresh: values.fresh, quiet: process.env.QUIET === '1' });

console.info(`
ChannelKit is running (data in ${dataDir}${values.fresh ? ', started fresh' : ''})
Sample kits: ${[...runtime.seeded.published.map((k) => `${k} (published now)`), ...runtime.seeded.existing].join(', ') || 'none'}

  Portal        ${runtime.url}/            (dev login: pick a demo user)
  API docs      ${runtime.docsUrl}
  OpenAPI       ${runtime.url}/openapi.json
  Health        ${runtime.url}/health
  Mail outbox   ${runtime.outboxUrl}/         (every message the platform sends)

Ctrl-C stops everything.
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.info(`\n${signal}: stopping ChannelKit…`);
  await runtime.stop();
  console.info('stopped; nothing left running.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
