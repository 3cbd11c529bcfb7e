import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import {
  type FieldError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#platform/errors';
import { imageStructure } from './image-structure';
import { LOGO_LIMITS, type LogoType, logoTypes } from './schema';

export interface CheckedLogo {
  contentType: LogoType;
  ext: (typeof logoTypes)[LogoType];
  width: number;
  height: number;
}

const ACCEPTED = 'image/png, image/jpeg or image/webp';
const ANIMATED = 'animated images are not accepted: send a single frame';

const isLogoType = (value: string): value is LogoType => Object.hasOwn(logoTypes, value);

/** The media type a client declared, without parameters: `image/PNG; q=1` → `image/png`. */
export const declaredType = (header: string | undefined): string =>
  (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** SVG is XML text: refuse it by what it is, with the reason, rather than as "not an image". */
const looksLikeSvg = (bytes: Uint8Array): boolean => {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<') && head.includes('<svg');
};

const bodyError = (message: string) => new ValidationError(message, [{ path: 'body', message }]);

/** The media type the bytes are, when it is one we take; a refusal naming what it is otherwise. */
const sniff = async (bytes: Uint8Array): Promise<LogoType> => {
  if (bytes.byteLength === 0) throw bodyError('the body is empty: send the image file');
  if (looksLikeSvg(bytes)) throw bodyError('the content is SVG, which is not accepted (it can carry script)');
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed?.mime === 'image/apng') throw bodyError(ANIMATED);
  if (!sniffed || !isLogoType(sniffed.mime)) {
    throw bodyError(
      `the content is not a PNG, JPEG or WebP image${sniffed ? ` (it is ${sniffed.mime})` : ''}`,
    );
  }
  return sniffed.mime;
};

const measure = (bytes: Uint8Array): { width: number; height: number } => {
  try {
    const { width, height } = imageSize(bytes);
    return { width, height };
  } catch {
    throw bodyError('the image header cannot be read');
  }
};

const sizeProblems = ({ width, height }: { width: number; height: number }): FieldError[] => {
  const problems: FieldError[] = [];
  const { minSide, maxSide } = LOGO_LIMITS;
  if (width > maxSide || height > maxSide)
    problems.push({
      path: 'body',
      message: `${width}×${height} px: a logo may be at most ${maxSide} px on each side`,
    });
  if (width < minSide || height < minSide)
    problems.push({
      path: 'body',
      message: `${width}×${height} px: a logo must be at least ${minSide} px on each side`,
    });
  return problems;
};

/**
 * A logo judged by its bytes, never by the declared type or a file name: the magic bytes
 * (file-type) must be a PNG, JPEG or WebP and agree with the declared Content-Type, the
 * container must be complete (a truncated upload is refused), hold one frame, and measure
 * 32–2048 px on each side (image-size reads the header). Refusals are problem+json: 415 for
 * a type we never take, 413 over 1 MB, 422 naming the problem otherwise.
 */
export const checkLogo = async (
  bytes: Uint8Array,
  contentTypeHeader: string | undefined,
): Promise<CheckedLogo> => {
  const declared = declaredType(contentTypeHeader);
  if (declared === 'image/svg+xml')
    throw new UnsupportedMediaTypeError(
      `SVG logos are not accepted (they can carry script): send ${ACCEPTED}`,
    );
  if (!isLogoType(declared)) throw new UnsupportedMediaTypeError(`send the logo as ${ACCEPTED}`);
  if (bytes.byteLength > LOGO_LIMITS.bytes)
    throw new PayloadTooLargeError(
      `a logo may be at most ${LOGO_LIMITS.bytes / 1024} KB; this one is ${Math.ceil(bytes.byteLength / 1024)} KB`,
    );
  const contentType = await sniff(bytes);
  const structure = imageStructure(bytes, contentType);
  if (structure.damaged) throw bodyError(`the image is damaged or incomplete: ${structure.damaged}`);
  const size = measure(bytes);
  const errors: FieldError[] = [
    ...(contentType === declared
      ? []
      : [{ path: 'header.content-type', message: `declared ${declared} but the content is ${contentType}` }]),
    ...(structure.animated ? [{ path: 'body', message: ANIMATED }] : []),
    ...sizeProblems(size),
  ];
  if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join('; '), errors);
  return { contentType, ext: logoTypes[contentType], ...size };
};
