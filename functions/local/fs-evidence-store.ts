import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { EvidenceStore } from '#platform/evidence';

/**
 * The embedded runtime's evidence store: write-once files under the data folder (the `wx` flag
 * refuses an existing file, as the bucket's conditional put does), content type beside each.
 */
export const fsEvidenceStore = (root: string): EvidenceStore => {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const full = resolve(join(base, key));
    if (!full.startsWith(base + sep)) throw new Error(`evidence key escapes the store: ${key}`);
    return full;
  };
  return {
    async putOnce(key, bytes, contentType) {
      const file = pathOf(key);
      await mkdir(dirname(file), { recursive: true });
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(file, 'wx');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
        throw error;
      }
      try {
        await handle.writeFile(bytes);
      } finally {
        await handle.close();
      }
      // Written last: a reader sees the evidence only once its bytes are complete.
      await writeFile(`${file}.type`, contentType);
      return 'stored';
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
