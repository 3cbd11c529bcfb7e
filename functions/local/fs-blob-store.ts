import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { BlobStore } from '#platform/blobs';

/** The embedded runtime's blob store: files under the data folder, content type beside each. */
export const fsBlobStore = (root: string): BlobStore => {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const full = resolve(join(base, key));
    if (!full.startsWith(base + sep)) throw new Error(`blob key escapes the store: ${key}`);
    return full;
  };
  return {
    async put(key, bytes, contentType) {
      const file = pathOf(key);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, bytes);
      await writeFile(`${file}.type`, contentType);
    },
    async get(key) {
      try {
        const file = pathOf(key);
        return { bytes: await readFile(file), contentType: (await readFile(`${file}.type`, 'utf8')).trim() };
      } catch {
        return undefined;
      }
    },
  };
};
