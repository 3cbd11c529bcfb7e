import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import yauzl from 'yauzl';
import type { Problem } from './template-check';

/**
 * A kit's files, from a folder (the CLI) or a .zip (upload), read with the limits that keep
 * a hostile archive harmless: no path traversal (zip slip), no absolute paths or drive
 * letters, no symlinks, bounded entry count, file size, total size and compression ratio
 * (zip bombs), all enforced while inflating, never trusting the sizes an archive declares.
 */
export const LIMITS = {
  files: 300,
  fileBytes: 5 * 1024 * 1024,
  totalBytes: 25 * 1024 * 1024,
  manifestBytes: 64 * 1024,
  /** Legitimate kits compress about 1:3–1:8; anything past 1:20 on a sizeable entry is a bomb. */
  maxRatio: 20,
  ratioFloorBytes: 256 * 1024,
} as const;

export type KitFiles = Map<string, Buffer>;

export class ArchiveError extends Error {
  override name = 'ArchiveError';
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

const refuse = (code: string, message: string, file = '(archive)'): never => {
  throw new ArchiveError({ severity: 'error', code, file, message });
};

const IGNORED = /(^|\/)(__MACOSX|\.DS_Store|Thumbs\.db|\.git)(\/|$)/;

/** A safe relative path inside the kit, or a refusal naming why. */
export const safePath = (name: string): string => {
  if (name.includes('\\')) refuse('archive-backslash', `${name}: backslashes are not allowed in paths`, name);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    refuse('archive-absolute-path', `${name}: absolute paths are not allowed`, name);
  if (name.split('/').some((part) => part === '..'))
    refuse('archive-path-traversal', `${name}: ".." would escape the kit`, name);
  if (name.includes('\0')) refuse('archive-bad-name', 'a file name contains a NUL byte', name);
  const normal = posix.normalize(name);
  if (normal.startsWith('../') || normal === '..')
    refuse('archive-path-traversal', `${name}: escapes the kit`, name);
  return normal.replace(/^\.\//, '');
};

/** Zipping a folder puts everything under `folder/`: strip one common top-level folder. */
const stripCommonRoot = (files: KitFiles): KitFiles => {
  const names = [...files.keys()];
  const first = names[0]?.split('/')[0];
  if (!first || names.some((n) => !n.startsWith(`${first}/`))) return files;
  return new Map([...files].map(([name, data]) => [name.slice(first.length + 1), data]));
};

const openZip = (buffer: Buffer): Promise<yauzl.ZipFile> =>
  new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: true, decodeStrings: true },
      (error, zip) => (error || !zip ? reject(error ?? new Error('unreadable zip')) : resolve(zip)),
    );
  });

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export const readKitZip = async (buffer: Buffer): Promise<KitFiles> => {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(buffer);
  } catch (error) {
    return refuse(
      'archive-unreadable',
      `not a readable .zip: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (zip.entryCount > LIMITS.files) {
    zip.close();
    refuse('archive-too-many-files', `${zip.entryCount} entries; a kit may have at most ${LIMITS.files}`);
  }
  const files: KitFiles = new Map();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
          if (mode === S_IFLNK)
            refuse('archive-symlink', `${entry.fileName}: symbolic links are not allowed`, entry.fileName);
          const name = safePath(entry.fileName);
          if (name.endsWith('/') || IGNORED.test(name)) return zip.readEntry();
          if (entry.uncompressedSize > LIMITS.fileBytes) {
            refuse(
              'archive-file-too-large',
              `${name}: larger than ${LIMITS.fileBytes / 1024 / 1024} MB`,
              name,
            );
          }
          const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
          if (entry.uncompressedSize > LIMITS.ratioFloorBytes && ratio > LIMITS.maxRatio) {
            refuse(
              'archive-compression-ratio',
              `${name}: compressed ${Math.round(ratio)}:1, which looks like a zip bomb`,
              name,
            );
          }
        } catch (error) {
          return reject(error);
        }
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return reject(error ?? new Error('unreadable entry'));
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            total += chunk.length;
            // Counted as it inflates: declared sizes are never trusted.
            if (size > LIMITS.fileBytes || total > LIMITS.totalBytes) {
              stream.destroy();
              reject(
                new ArchiveError({
                  severity: 'error',
                  code: 'archive-too-large',
                  file: entry.fileName,
                  message: `the kit inflates past ${LIMITS.totalBytes / 1024 / 1024} MB`,
                }),
              );
              return;
            }
            chunks.push(chunk);
          });
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(safePath(entry.fileName), Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // yauzl refuses unsafe names itself (before we see the entry): keep its reason precise.
    if (/absolute path/i.test(message))
      refuse('archive-absolute-path', `absolute paths are not allowed (${message})`);
    if (/invalid relative path/i.test(message))
      refuse('archive-path-traversal', `a path escapes the kit (${message})`);
    if (/invalid characters/i.test(message))
      refuse('archive-backslash', `a file name has invalid characters (${message})`);
    return refuse('archive-unreadable', `the .zip is damaged: ${message}`);
  } finally {
    zip.close();
  }
  return stripCommonRoot(files);
};

/** Reads a kit folder (the CLI), refusing symlinks and applying the same limits. */
export const readKitFolder = async (root: string): Promise<KitFiles> => {
  const files: KitFiles = new Map();
  let total = 0;
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir)) {
      const full = join(dir, entry);
      const name = relative(root, full).split(sep).join('/');
      if (IGNORED.test(name)) continue;
      const stat = await lstat(full);
      if (stat.isSymbolicLink()) refuse('archive-symlink', `${name}: symbolic links are not allowed`, name);
      if (stat.isDirectory()) {
        await visit(full);
        continue;
      }
      if (files.size >= LIMITS.files)
        refuse('archive-too-many-files', `a kit may have at most ${LIMITS.files} files`);
      if (stat.size > LIMITS.fileBytes) refuse('archive-file-too-large', `${name}: larger than 5 MB`, name);
      total += stat.size;
      if (total > LIMITS.totalBytes) refuse('archive-too-large', 'the kit is larger than 25 MB');
      files.set(safePath(name), await readFile(full));
    }
  };
  await visit(root);
  return files;
};
