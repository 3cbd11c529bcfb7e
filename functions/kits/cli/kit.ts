import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { zipSync } from 'fflate';
import { ArchiveError, readKitFolder, readKitZip } from '../archive';
import { kitJsonSchema } from '../json-schema';
import { formatReport } from '../report-format';
import { validateKit } from '../validate';

// `npm run kit -- validate <folder|zip>` and `npm run kit -- push <folder> --url … --token …`:
// for marketing teams that author kits in git.
const load = async (path: string) =>
  path.endsWith('.zip') ? readKitZip(readFileSync(path)) : readKitFolder(resolve(path));

const program = new Command().name('kit').description('Validate and publish ChannelKit campaign kits');

program
  .command('validate')
  .argument('<paths...>', 'kit folders or .zip files')
  .description('print the validation report; exit 1 if any kit has errors')
  .action(async (paths: string[]) => {
    let failed = false;
    for (const path of paths) {
      try {
        const { report } = await validateKit(await load(path));
        console.log(formatReport(report, path));
        failed ||= !report.ok;
      } catch (error) {
        if (!(error instanceof ArchiveError)) throw error;
        console.log(
          `${error.problem.file}  error  ${error.problem.code}  ${error.message}\n${path}: unreadable`,
        );
        failed = true;
      }
    }
    process.exitCode = failed ? 1 : 0;
  });

program
  .command('push')
  .argument('<path>', 'a kit folder or .zip')
  .requiredOption(
    '--url <url>',
    'the ChannelKit instance',
    process.env.CHANNELKIT_URL ?? 'http://localhost:3000',
  )
  .requiredOption('--token <token>', 'a marketing user’s bearer token', process.env.CHANNELKIT_TOKEN)
  .option('--publish', 'publish the uploaded version when it has no errors')
  .description('upload the kit as a new draft version (validated on the server too)')
  .action(async (path: string, options: { url: string; token: string; publish?: boolean }) => {
    const files = await load(path);
    const zip = zipSync(Object.fromEntries([...files].map(([name, data]) => [name, new Uint8Array(data)])));
    const headers = { authorization: `Bearer ${options.token}` };
    const res = await fetch(new URL('/api/kits', options.url), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/zip' },
      body: zip,
    });
    const body: unknown = await res.json();
    console.log(JSON.stringify(body, null, 2));
    if (!res.ok) {
      process.exitCode = 1;
      return;
    }
    if (options.publish && typeof body === 'object' && body && 'id' in body && 'version' in body) {
      const publish = await fetch(
        new URL(`/api/kits/${String(body.id)}/versions/${String(body.version)}/publish`, options.url),
        {
          method: 'POST',
          headers,
        },
      );
      console.log(`publish: ${publish.status} ${publish.statusText}`);
      if (!publish.ok) process.exitCode = 1;
    }
  });

program
  .command('schema')
  .description('write campaigns/kit.schema.json from the manifest schema')
  .option('--out <file>', 'where to write it', 'campaigns/kit.schema.json')
  .action((options: { out: string }) => {
    writeFileSync(options.out, kitJsonSchema());
    console.log(`wrote ${options.out}`);
  });

await program.parseAsync();
