import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isOwnLogoUrl, logoKey, logoUrlOf } from '#functions/brand/brand';
import { checkLogo } from '#functions/brand/logo';
import { AppError } from '#platform/errors';

// Fixtures are made here with sharp (a devDependency; the API itself never loads it).
const blue = { r: 11, g: 92, b: 173, alpha: 0.8 };
const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 4, background: blue } });
const png = (width = 240, height = 80) => solid(width, height).png().toBuffer();
const jpeg = (width = 240, height = 80) => solid(width, height).jpeg().toBuffer();
const webp = (width = 240, height = 80) => solid(width, height).webp().toBuffer();
/** Noise does not compress: a 700×700 PNG of it is about 1.4 MB. */
const noisyPng = (side: number) =>
  sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();

/** A PNG with an `acTL` chunk after IHDR: an animated PNG (APNG) to anything that reads it. */
const apng = async () => {
  const still = await png();
  const data = Buffer.from([0, 0, 0, 2, 0, 0, 0, 0]); // two frames, loop forever
  const type = Buffer.from('acTL', 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  type.copy(chunk, 4);
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, data])), 8 + data.length);
  const afterHeader = 8 + 12 + 13; // signature, then IHDR's length, type, 13 data bytes and CRC
  return Buffer.concat([still.subarray(0, afterHeader), chunk, still.subarray(afterHeader)]);
};

const SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80"><script>alert(1)</script></svg>',
);

/** What checkLogo refused with: status, and the problem's detail and field errors. */
const refusal = async (bytes: Uint8Array, type: string | undefined) => {
  const error = await checkLogo(bytes, type).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { status: error.status, detail: error.message, errors: error.errors ?? [] };
};

describe('a logo is judged by its content', () => {
  it.each([
    ['image/png', png, 'png'],
    ['image/jpeg', jpeg, 'jpg'],
    ['image/webp', webp, 'webp'],
  ] as const)('takes a %s whose bytes are that type, measuring it', async (type, make, ext) => {
    expect(await checkLogo(await make(), type)).toEqual({ contentType: type, ext, width: 240, height: 80 });
  });

  it('reads the declared type without parameters or case', async () => {
    expect((await checkLogo(await png(), 'Image/PNG; charset=binary')).contentType).toBe('image/png');
  });

  it('refuses a PNG declared (or named) as a JPEG, naming the header', async () => {
    const refused = await refusal(await png(), 'image/jpeg');
    expect(refused.status).toBe(422);
    expect(refused.errors).toEqual([
      { path: 'header.content-type', message: 'declared image/jpeg but the content is image/png' },
    ]);
  });

  it('refuses SVG whether declared as SVG (415) or disguised as a PNG (422)', async () => {
    const declared = await refusal(SVG, 'image/svg+xml');
    expect(declared.status).toBe(415);
    expect(declared.detail).toMatch(/SVG logos are not accepted/);
    const disguised = await refusal(SVG, 'image/png');
    expect(disguised.status).toBe(422);
    expect(disguised.errors).toEqual([
      { path: 'body', message: 'the content is SVG, which is not accepted (it can carry script)' },
    ]);
  });

  it('refuses types it never takes (415) and content that is not a PNG, JPEG or WebP (422)', async () => {
    expect((await refusal(await png(), 'application/octet-stream')).status).toBe(415);
    expect((await refusal(await png(), undefined)).status).toBe(415);
    const gif = await solid(64, 64).gif().toBuffer();
    expect((await refusal(gif, 'image/png')).errors).toEqual([
      { path: 'body', message: 'the content is not a PNG, JPEG or WebP image (it is image/gif)' },
    ]);
    expect((await refusal(randomBytes(2048), 'image/png')).errors[0]?.message).toBe(
      'the content is not a PNG, JPEG or WebP image',
    );
    expect((await refusal(new Uint8Array(), 'image/png')).errors[0]?.message).toMatch(/empty/);
  });

  it('refuses anything over 1 MB with 413', async () => {
    const big = await noisyPng(700);
    expect(big.byteLength).toBeGreaterThan(1024 * 1024);
    const refused = await refusal(big, 'image/png');
    expect(refused.status).toBe(413);
    expect(refused.detail).toMatch(/at most 1024 KB/);
  });

  it('refuses more than 2048 px or fewer than 32 px on a side, saying the size', async () => {
    const wide = await refusal(await png(2100, 40), 'image/png');
    expect(wide.status).toBe(422);
    expect(wide.errors).toEqual([
      { path: 'body', message: '2100×40 px: a logo may be at most 2048 px on each side' },
    ]);
    const tiny = await refusal(await png(31, 120), 'image/png');
    expect(tiny.errors).toEqual([
      { path: 'body', message: '31×120 px: a logo must be at least 32 px on each side' },
    ]);
    expect(await checkLogo(await png(32, 2048), 'image/png')).toMatchObject({ width: 32, height: 2048 });
  });

  it.each([
    ['image/png', png],
    ['image/jpeg', jpeg],
    ['image/webp', webp],
  ] as const)('refuses a truncated %s though its header still reads', async (type, make) => {
    const whole = await make(400, 200);
    const cut = whole.subarray(0, whole.byteLength - 24);
    const refused = await refusal(cut, type);
    expect(refused.status).toBe(422);
    expect(refused.errors[0]?.message).toMatch(
      /^the image is damaged or incomplete: .*(cut short|past the end)/,
    );
  });

  it('refuses a PNG whose data was corrupted in transit (CRC mismatch)', async () => {
    const damaged = Buffer.from(await png(400, 200));
    const idat = damaged.indexOf('IDAT', 0, 'latin1');
    damaged[idat + 8] = (damaged[idat + 8] ?? 0) ^ 0xff;
    expect((await refusal(damaged, 'image/png')).errors[0]?.message).toBe(
      'the image is damaged or incomplete: the IDAT chunk is corrupt (CRC mismatch)',
    );
  });

  it('refuses animated images: an APNG and an animated WebP', async () => {
    const animation = 'animated images are not accepted: send a single frame';
    expect((await refusal(await apng(), 'image/png')).errors).toEqual([{ path: 'body', message: animation }]);
    const frames = await Promise.all([png(64, 64), solid(64, 64).negate().png().toBuffer()]);
    const animatedWebp = await sharp(frames, { join: { animated: true } })
      .webp()
      .toBuffer();
    expect((await refusal(animatedWebp, 'image/webp')).errors).toEqual([
      { path: 'body', message: animation },
    ]);
  });
});

describe('where a logo is stored and which URLs a profile may use', () => {
  const base = 'https://d111.cloudfront.example';

  it('stores logos content-addressed in the partner’s public folder', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const hash = createHash('sha256').update(bytes).digest('hex');
    expect(logoKey('northwind', bytes, 'png')).toBe(`assets/brands/northwind/logo-${hash.slice(0, 16)}.png`);
    expect(logoUrlOf(`${base}/`, 'assets/brands/northwind/logo-abc.png')).toBe(
      `${base}/assets/brands/northwind/logo-abc.png`,
    );
  });

  it('accepts only the partner’s own stored logos on the public origin', () => {
    const own = (url: string) => isOwnLogoUrl(base, 'northwind', url);
    expect(own(`${base}/assets/brands/northwind/logo-0123456789abcdef.png`)).toBe(true);
    expect(own(`${base}/assets/brands/northwind/logo.png`)).toBe(true);
    // Another partner's asset, the kits' folder, another origin, a tracker:
    expect(own(`${base}/assets/brands/globex/logo.png`)).toBe(false);
    expect(own(`${base}/assets/kits/zero-trust-webinar/1.0.0/hero.png`)).toBe(false);
    expect(own('https://tracker.example/assets/brands/northwind/logo.png')).toBe(false);
    expect(own('http://d111.cloudfront.example/assets/brands/northwind/logo.png')).toBe(false);
    // Tricks that would land elsewhere or carry data:
    expect(own(`${base}/assets/brands/northwind/../globex/logo.png`)).toBe(false);
    expect(own(`${base}/assets/brands/northwind/..%2Fglobex%2Flogo.png`)).toBe(false);
    expect(own(`${base}/assets/brands/northwind/logo.png?u=ada@contoso.example`)).toBe(false);
    expect(own(`${base}/assets/brands/northwind/logo.png#x`)).toBe(false);
    expect(own(`https://evil@d111.cloudfront.example/assets/brands/northwind/logo.png`)).toBe(false);
    expect(own(`${base}/assets/brands/northwind/`)).toBe(false);
    expect(own(`${base}/assets/brands/northwind/sub/logo.png`)).toBe(false);
    expect(own('not a url')).toBe(false);
  });
});
