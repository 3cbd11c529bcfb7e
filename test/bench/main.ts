import { parseArgs } from 'node:util';
import { apiBench } from './api';
import { leadsBench } from './leads';
import { previewBench } from './preview';
import { reportsBench } from './reports';
import { sendBench } from './send';
import { sendRateBench } from './send-rate';

// `npm run bench -- <name>`: runs one benchmark (or all with no name) and prints its figures.
const benches: Record<string, () => Promise<void>> = {
  api: apiBench,
  leads: leadsBench,
  preview: previewBench,
  reports: reportsBench,
  send: sendBench,
  'send-rate': sendRateBench,
};

const { positionals } = parseArgs({ allowPositionals: true });
const names = positionals.length > 0 ? positionals : Object.keys(benches);
for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; try one of: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n# bench ${name}`);
  await bench();
}
