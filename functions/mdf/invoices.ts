import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { sha256Hex } from '#functions/audit/hashing';
import { imageStructure } from '#functions/brand/image-structure';
import { declaredType } from '#functions/brand/logo';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '#platform/errors';
import { INVOICE_LIMITS, type InvoiceType, invoiceTypes } from './claim-schema';

/** An invoice or receipt as its bytes say it is. */
export interface CheckedInvoice {
  contentType: InvoiceType;
  sha256: string;
  bytes: number;
  pages: number;
}

const ACCEPTED = 'application/pdf, image/png, image/jpeg or image/webp';
const isInvoiceType = (value: string): value is InvoiceType =>
  (invoiceTypes as readonly string[]).includes(value);
const bodyError = (message: string) => new ValidationError(message, [{ path: 'body', message }]);

const latin1 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/**
 * Active or unreadable PDF content an auditor's viewer should never be handed: scripts, launch
 * actions, embedded files, and encryption (an auditor could not open it later).
 */
const pdfRefusals: [RegExp, string][] = [
  [/\/Encrypt\b/, 'the PDF is encrypted: send it without a password'],
  [/\/(JavaScript|JS)\b/, 'the PDF carries JavaScript, which is not accepted'],
  [/\/Launch\b/, 'the PDF carries a launch action, which is not accepted'],
  [/\/EmbeddedFiles?\b/, 'the PDF carries embedded files: send each document on its own'],
];

/**
 * A PDF judged by its structure, without rendering it: the header, a cross-reference pointer and
 * an end-of-file marker at its end (a truncated upload has none), at least one page object, and no
 * active content. Pages are counted from the page objects.
 */
const checkPdf = (bytes: Uint8Array): number => {
  const text = latin1(bytes);
  if (!/^%PDF-[12]\.\d/.test(text)) throw bodyError('the PDF header is missing or unknown');
  const tail = text.slice(-2048);
  if (!tail.includes('%%EOF') || !/startxref\s+\d+/.test(tail)) {
    throw bodyError('the PDF is incomplete (no cross-reference or end-of-file marker at its end)');
  }
  for (const [pattern, message] of pdfRefusals) if (pattern.test(text)) throw bodyError(message);
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  if (pages === 0) throw bodyError('the PDF has no pages');
  return pages;
};

const checkImage = (bytes: Uint8Array, type: Exclude<InvoiceType, 'application/pdf'>): number => {
  const structure = imageStructure(bytes, type);
  if (structure.damaged) throw bodyError(`the image is damaged or incomplete: ${structure.damaged}`);
  if (structure.animated) throw bodyError('animated images are not accepted: send a single frame');
  let size: { width: number; height: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw bodyError('the image header cannot be read');
  }
  const { minSide, maxSide } = INVOICE_LIMITS;
  if (size.width < minSide || size.height < minSide || size.width > maxSide || size.height > maxSide) {
    throw bodyError(
      `${size.width}×${size.height} px: a scan must measure ${minSide}–${maxSide} px on each side`,
    );
  }
  return 1;
};

/**
 * An invoice or receipt judged by its bytes, never by the declared type or a name: the magic
 * bytes (file-type) must be a PDF, PNG, JPEG or WebP and agree with the declared Content-Type;
 * the file must be complete and, for a PDF, free of scripts, launch actions, embedded files and
 * encryption. 415 for a type never taken, 413 over the limit, 422 naming the problem otherwise.
 */
export const checkInvoice = async (
  bytes: Uint8Array,
  contentTypeHeader: string | undefined,
): Promise<CheckedInvoice> => {
  const declared = declaredType(contentTypeHeader);
  if (!isInvoiceType(declared)) throw new UnsupportedMediaTypeError(`send the invoice as ${ACCEPTED}`);
  if (bytes.byteLength > INVOICE_LIMITS.bytes) {
    throw new PayloadTooLargeError(
      `an invoice may be at most ${INVOICE_LIMITS.bytes / 1024 / 1024} MiB; this one is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MiB`,
    );
  }
  if (bytes.byteLength === 0) throw bodyError('the body is empty: send the invoice file');
  const sniffed = (await fileTypeFromBuffer(bytes))?.mime;
  if (!sniffed || !isInvoiceType(sniffed)) {
    throw bodyError(`the content is not a PDF, PNG, JPEG or WebP${sniffed ? ` (it is ${sniffed})` : ''}`);
  }
  if (sniffed !== declared) {
    const message = `declared ${declared} but the content is ${sniffed}`;
    throw new ValidationError(message, [{ path: 'header.content-type', message }]);
  }
  const pages = sniffed === 'application/pdf' ? checkPdf(bytes) : checkImage(bytes, sniffed);
  return {
    contentType: sniffed,
    sha256: sha256Hex(bytes),
    bytes: bytes.byteLength,
    pages,
  };
};
