import { crc32 } from 'node:zlib';
import type { LogoType } from './schema';

/**
 * What the bytes of an image say about themselves, read without decoding a pixel (sharp is
 * native and stays out of the API Lambda): is the container complete and undamaged, and does
 * it hold more than one frame? Enough to refuse a truncated upload and an animation, which an
 * email header should never be.
 */
export interface ImageStructure {
  /** Why the file is damaged or cut short; null when the container reads to its end. */
  damaged: string | null;
  animated: boolean;
}

const ascii = (bytes: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...bytes.subarray(start, start + length));

const u32be = (view: DataView, at: number) => view.getUint32(at, false);

const damaged = (reason: string, animated = false): ImageStructure => ({ damaged: reason, animated });

/** One PNG chunk at `offset`: its type and where the next starts, or why it is broken. */
const pngChunk = (
  bytes: Uint8Array,
  view: DataView,
  offset: number,
): { error: string } | { type: string; end: number } => {
  const type = ascii(bytes, offset + 4, 4);
  const end = offset + 12 + u32be(view, offset);
  if (end > bytes.length) return { error: `the ${type} chunk runs past the end of the file` };
  if (crc32(bytes.subarray(offset + 4, end - 4)) !== u32be(view, end - 4))
    return { error: `the ${type} chunk is corrupt (CRC mismatch)` };
  return { type, end };
};

/** PNG: every chunk within the file with a matching CRC, IHDR first, some IDAT, ending at IEND. */
const png = (bytes: Uint8Array): ImageStructure => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seen = new Set<string>();
  for (let offset = 8; offset + 12 <= bytes.length; ) {
    const chunk = pngChunk(bytes, view, offset);
    if ('error' in chunk) return damaged(chunk.error, seen.has('acTL'));
    if (seen.size === 0 && chunk.type !== 'IHDR') return damaged('the PNG does not start with its header');
    seen.add(chunk.type);
    if (chunk.type === 'IEND') {
      return { damaged: seen.has('IDAT') ? null : 'the PNG has no image data', animated: seen.has('acTL') };
    }
    offset = chunk.end;
  }
  return damaged('the PNG is cut short (no IEND chunk)', seen.has('acTL'));
};

/** SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), describe the frame. */
const isFrameMarker = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);

/** The JPEG's marker segments up to the start of scan; an error when one is cut short. */
const jpegHeaders = (bytes: Uint8Array): { error: string } | { sawFrame: boolean } => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sawFrame = false;
  for (let offset = 2; ; ) {
    if (offset + 4 > bytes.length) return { error: 'the JPEG is cut short before its image data' };
    if (bytes[offset] !== 0xff) return { error: 'the JPEG has a damaged segment' };
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // a fill byte
      continue;
    }
    const length = view.getUint16(offset + 2, false);
    if (length < 2 || offset + 2 + length > bytes.length)
      return { error: 'the JPEG is cut short inside a segment' };
    sawFrame ||= isFrameMarker(marker);
    if (marker === 0xda) return { sawFrame }; // start of scan: entropy-coded data follows
    offset += 2 + length;
  }
};

/**
 * JPEG: the marker segments up to the scan are within the file, and the file ends with the
 * end-of-image marker (encoders may pad with zero bytes after it). Never animated.
 */
const jpeg = (bytes: Uint8Array): ImageStructure => {
  const headers = jpegHeaders(bytes);
  if ('error' in headers) return damaged(headers.error);
  if (!headers.sawFrame) return damaged('the JPEG has no frame header');
  let last = bytes.length;
  while (last > 0 && bytes[last - 1] === 0x00) last -= 1;
  if (last < 2 || bytes[last - 2] !== 0xff || bytes[last - 1] !== 0xd9)
    return damaged('the JPEG is cut short (no end-of-image marker)');
  return { damaged: null, animated: false };
};

/** WebP: the RIFF container's declared size is all there, its chunks fit, and frames are counted. */
const webp = (bytes: Uint8Array): ImageStructure => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = 8 + view.getUint32(4, true);
  if (riffEnd > bytes.length) return damaged('the WebP is cut short');
  const seen = new Set<string>();
  let flags = 0;
  for (let offset = 12; offset + 8 <= riffEnd; ) {
    const type = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    if (offset + 8 + size > riffEnd) return damaged(`the ${type.trim()} chunk runs past the end of the file`);
    if (type === 'VP8X' && size >= 1) flags = bytes[offset + 8] ?? 0;
    seen.add(type);
    offset += 8 + size + (size % 2);
  }
  const animated = (flags & 0x02) !== 0 || seen.has('ANIM') || seen.has('ANMF');
  if (!animated && !seen.has('VP8 ') && !seen.has('VP8L')) return damaged('the WebP has no image data');
  return { damaged: null, animated };
};

export const imageStructure = (bytes: Uint8Array, type: LogoType): ImageStructure =>
  type === 'image/png' ? png(bytes) : type === 'image/jpeg' ? jpeg(bytes) : webp(bytes);
