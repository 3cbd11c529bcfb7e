import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import * as z from 'zod';
import type { Principal } from '#functions/auth/principal';
import { readKitFolder } from '#functions/kits/archive';
import { type KitDeps, publishKit, uploadKit } from '#functions/kits/kits';

const kitRef = z.object({ id: z.string(), version: z.string() });
const CAMPAIGNS = resolve(import.meta.dirname, '..', '..', 'campaigns');

const seeder: Principal = {
  role: 'marketing',
  sub: 'seed',
  email: 'seed@channelkit.local',
  name: 'Seed',
  partnerId: null,
};

/**
 * Uploads and publishes every sample kit in campaigns/ through the same use-cases as the API,
 * once: a kit version already stored is left as it is (so a retired sample stays retired).
 */
export const seedKits = async (deps: KitDeps): Promise<{ published: string[]; existing: string[] }> => {
  const published: string[] = [];
  const existing: string[] = [];
  const folders = readdirSync(CAMPAIGNS, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const folder of folders) {
    const files = await readKitFolder(join(CAMPAIGNS, folder.name));
    const manifest = files.get('kit.json');
    if (!manifest) continue;
    const { id, version } = kitRef.parse(JSON.parse(manifest.toString('utf8')));
    if (await deps.kits.getVersion(id, version)) {
      existing.push(`${id}@${version}`);
      continue;
    }
    const zip = zipSync(Object.fromEntries([...files].map(([name, data]) => [name, new Uint8Array(data)])));
    const kit = await uploadKit(deps, seeder, zip);
    if (!kit.report.ok)
      throw new Error(
        `sample kit ${id} does not validate: ${kit.report.errors.map((e) => e.message).join('; ')}`,
      );
    await publishKit(deps, id, version);
    published.push(`${id}@${version}`);
  }
  return { published, existing };
};
