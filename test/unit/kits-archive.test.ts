import { randomBytes } from 'node:crypto';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ArchiveError, LIMITS, readKitFolder, readKitZip } from '#functions/kits/archive';
import { loadSampleKit, zipOf } from '#test/support/kit-fixtures';

const refusal = async (read: Promise<unknown>) => {
  try {
    await read;
  } catch (error) {
    if (error instanceof ArchiveError) return error.problem.code;
    throw error;
  }
  return 'accepted';
};

const zip = (entries: Record<string, Uint8Array | [Uint8Array, { attrs?: number; level?: 0 | 9 }]>) =>
  Buffer.from(zipSync(entries));

describe('reading a kit .zip safely', () => {
  it('reads a zipped sample kit, with or without a top-level folder', async () => {
    const files = await loadSampleKit();
    const flat = await readKitZip(Buffer.from(zipOf(files)));
    expect([...flat.keys()].sort()).toEqual([...files.keys()].sort());
    const nested = await readKitZip(
      zip(
        Object.fromEntries(
          [...files].map(([name, data]) => [`zero-trust-webinar/${name}`, new Uint8Array(data)]),
        ),
      ),
    );
    expect(nested.get('kit.json')?.equals(files.get('kit.json') ?? Buffer.alloc(0))).toBe(true);
  });

  it('refuses path traversal (zip slip)', async () => {
    expect(
      await refusal(
        readKitZip(zip({ 'kit.json': new Uint8Array(2), '../../etc/cron.d/x': new Uint8Array(1) })),
      ),
    ).toBe('archive-path-traversal');
  });

  it('refuses absolute paths', async () => {
    expect(await refusal(readKitZip(zip({ '/etc/passwd': new Uint8Array(1) })))).toBe(
      'archive-absolute-path',
    );
  });

  it('refuses symbolic links', async () => {
    const link = 0o120777 << 16;
    expect(
      await refusal(
        readKitZip(zip({ 'assets/hero.png': [new TextEncoder().encode('/etc/passwd'), { attrs: link }] })),
      ),
    ).toBe('archive-symlink');
  });

  it('refuses a zip bomb by its compression ratio before inflating it', async () => {
    expect(
      await refusal(readKitZip(zip({ 'kit.json': [new Uint8Array(2 * 1024 * 1024), { level: 9 }] }))),
    ).toBe('archive-compression-ratio');
  });

  it('refuses more files than a kit may have', async () => {
    const entries = Object.fromEntries(
      Array.from({ length: LIMITS.files + 1 }, (_, i) => [`assets/${i}.png`, new Uint8Array(1)]),
    );
    expect(await refusal(readKitZip(zip(entries)))).toBe('archive-too-many-files');
  });

  it('refuses more bytes in total than a kit may have, counted while inflating', async () => {
    const big = () => new Uint8Array(randomBytes(4.5 * 1024 * 1024));
    const entries = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [
        `assets/${i}.bin`,
        [big(), { level: 0 }] as [Uint8Array, { level: 0 }],
      ]),
    );
    expect(await refusal(readKitZip(zip(entries)))).toBe('archive-too-large');
  });

  it('refuses an archive whose declared sizes lie', async () => {
    const honest = zip({ 'kit.json': [new Uint8Array(randomBytes(64 * 1024)), { level: 0 }] });
    // Patch the central directory's uncompressed size (offset 24 in its entry) to claim 100 bytes.
    const central = honest.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    honest.writeUInt32LE(100, central + 24);
    expect(await refusal(readKitZip(honest))).toBe('archive-unreadable');
  });

  it('refuses something that is not a zip', async () => {
    expect(await refusal(readKitZip(Buffer.from('PK but not really')))).toBe('archive-unreadable');
  });
});

describe('reading a kit folder', () => {
  it('refuses a symbolic link inside the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-kit-'));
    writeFileSync(join(dir, 'kit.json'), '{}');
    symlinkSync('/etc/passwd', join(dir, 'secret.txt'));
    expect(await refusal(readKitFolder(dir))).toBe('archive-symlink');
  });
});
