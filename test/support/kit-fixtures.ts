import { resolve } from 'node:path';
import { zipSync } from 'fflate';
import { type KitFiles, readKitFolder } from '#functions/kits/archive';

export const CAMPAIGNS = resolve(import.meta.dirname, '..', '..', 'campaigns');
export const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'kits');
export const sampleKitIds = [
  'zero-trust-webinar',
  'marketplace-private-offer',
  'security-assessment-offer',
] as const;

export const loadSampleKit = (id: (typeof sampleKitIds)[number] = 'zero-trust-webinar'): Promise<KitFiles> =>
  readKitFolder(resolve(CAMPAIGNS, id));

/** A copy of a kit with one file's text changed: each broken fixture differs from a valid kit in one way. */
export const withFile = (files: KitFiles, path: string, change: (text: string) => string): KitFiles => {
  const copy = new Map(files);
  const current = copy.get(path);
  copy.set(path, Buffer.from(change(current ? current.toString('utf8') : '')));
  return copy;
};

export const withManifest = (
  files: KitFiles,
  change: (manifest: Record<string, unknown>) => void,
): KitFiles =>
  withFile(files, 'kit.json', (text) => {
    const manifest = JSON.parse(text);
    change(manifest);
    return JSON.stringify(manifest, null, 2);
  });

export const zipOf = (files: KitFiles): Uint8Array =>
  zipSync(Object.fromEntries([...files].map(([name, data]) => [name, new Uint8Array(data)])));
