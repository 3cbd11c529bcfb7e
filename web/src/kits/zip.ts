import { type Zippable, zipSync } from 'fflate';

/** One file of a kit with its path inside the kit folder (`email/body.html.hbs`). */
export type KitFile = { path: string; file: File };

/** What the upload sends: a .zip as dropped, or the dropped folder zipped here. */
export type KitArchive = { blob: Blob; name: string; files: number; zipped: boolean };

/** Files no kit needs, which operating systems scatter into folders. */
const IGNORED = /(^|\/)(__MACOSX|\.DS_Store|Thumbs\.db|desktop\.ini|\.git)(\/|$)/;
/** Already compressed: stored as they are. */
const STORED = /\.(png|jpe?g|gif|webp|zip)$/i;

function isFileEntry(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectoryEntry(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** A directory's entries: `readEntries` answers in batches until it answers none. */
async function childrenOf(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, out: KitFile[]): Promise<void> {
  if (isFileEntry(entry)) {
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), file: await fileOf(entry) });
  } else if (isDirectoryEntry(entry)) {
    for (const child of await childrenOf(entry)) await walk(child, out);
  }
}

/**
 * The entries of a drop, taken synchronously: the browser empties `DataTransfer` once the drop
 * handler returns, so call this inside it and read the files afterwards with `readEntries`.
 */
export function entriesOf(transfer: DataTransfer): FileSystemEntry[] | null {
  const items = [...transfer.items].filter((item) => item.kind === 'file');
  if (items.length === 0 || typeof items[0]?.webkitGetAsEntry !== 'function') return null;
  const entries = items.map((item) => item.webkitGetAsEntry());
  // A browser without entries for some items (a synthetic drop, say): use the plain files.
  return entries.every((entry) => entry !== null) ? entries : null;
}

/** Every file under the dropped entries (folders walked), with paths relative to the drop. */
export async function readEntries(entries: readonly FileSystemEntry[]): Promise<KitFile[]> {
  const files: KitFile[] = [];
  for (const entry of entries) await walk(entry, files);
  return files;
}

/** Files from an `<input type="file">`: a folder pick keeps `webkitRelativePath`. */
export function filesOf(list: FileList | readonly File[]): KitFile[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/**
 * A single .zip goes up as it is; anything else (a folder, or loose files) is zipped here with
 * its relative paths. The API strips one common top-level folder, as `zip -r kit.zip my-kit` makes.
 */
export async function toKitArchive(files: readonly KitFile[]): Promise<KitArchive> {
  const kept = files.filter((entry) => !IGNORED.test(entry.path));
  const only = kept.length === 1 ? kept[0] : undefined;
  if (only !== undefined && /\.zip$/i.test(only.file.name)) {
    return { blob: only.file, name: only.file.name, files: 1, zipped: false };
  }
  if (kept.length === 0) throw new Error('There are no files to upload.');
  const entries: Zippable = {};
  for (const { path, file } of kept) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    entries[path] = [bytes, { level: STORED.test(path) ? 0 : 6 }];
  }
  const zipped = zipSync(entries);
  const root = kept[0]?.path.split('/')[0] ?? 'kit';
  const name = kept.every((entry) => entry.path.startsWith(`${root}/`)) ? `${root}.zip` : 'kit.zip';
  return { blob: new Blob([zipped], { type: 'application/zip' }), name, files: kept.length, zipped: true };
}
