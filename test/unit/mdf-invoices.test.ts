import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { INVOICE_LIMITS } from '#functions/mdf/claim-schema';
import { checkInvoice } from '#functions/mdf/invoices';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '#platform/errors';
import { minimalPdf, minimalPng } from '#test/support/invoice-fixtures';

/* Invoices are judged by their bytes: type, completeness, active content, size. */
const refusal = async (bytes: Uint8Array, type: string) => {
  try {
    await checkInvoice(bytes, type);
  } catch (error) {
    return error;
  }
  throw new Error('accepted');
};

describe('checkInvoice', () => {
  it('accepts a one-page PDF and names it by its SHA-256', async () => {
    const pdf = minimalPdf();
    expect(await checkInvoice(pdf, 'application/pdf')).toEqual({
      contentType: 'application/pdf',
      sha256: createHash('sha256').update(pdf).digest('hex'),
      bytes: pdf.byteLength,
      pages: 1,
    });
  });

  it('accepts a PNG scan, with its declared type’s parameters ignored', async () => {
    expect(await checkInvoice(minimalPng(), 'image/PNG; charset=binary')).toMatchObject({
      contentType: 'image/png',
      pages: 1,
    });
  });

  it('refuses a PDF cut short (no end-of-file marker)', async () => {
    const pdf = minimalPdf();
    const error = await refusal(pdf.subarray(0, pdf.byteLength - 20), 'application/pdf');
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/incomplete/);
  });

  it.each([
    ['/JavaScript', /JavaScript/],
    ['/Encrypt 9 0 R', /encrypted/],
    ['/Launch', /launch action/],
    ['/EmbeddedFiles', /embedded files/],
  ])('refuses a PDF carrying %s', async (extra, message) => {
    const error = await refusal(minimalPdf('x', `/AA << /O << /S ${extra} >> >> `), 'application/pdf');
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses content that disagrees with the declared type, naming the header', async () => {
    const error = await refusal(minimalPng(), 'application/pdf');
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { path: 'header.content-type', message: 'declared application/pdf but the content is image/png' },
    ]);
  });

  it('refuses text posing as a PDF', async () => {
    const error = await refusal(new TextEncoder().encode('not a pdf at all'), 'application/pdf');
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('refuses types never taken (415) and files over the limit (413)', async () => {
    expect(await refusal(minimalPdf(), 'text/html')).toBeInstanceOf(UnsupportedMediaTypeError);
    const big = new Uint8Array(INVOICE_LIMITS.bytes + 1);
    big.set(minimalPdf());
    expect(await refusal(big, 'application/pdf')).toBeInstanceOf(PayloadTooLargeError);
  });

  it('refuses an image too small to be a scan', async () => {
    const error = await refusal(minimalPng(8, 8), 'image/png');
    expect((error as Error).message).toMatch(/8×8 px/);
  });

  it('refuses a damaged PNG (a CRC that does not match)', async () => {
    const png = Buffer.from(minimalPng());
    png[20] = (png[20] ?? 0) ^ 0xff;
    const error = await refusal(png, 'image/png');
    expect((error as Error).message).toMatch(/damaged|CRC/);
  });
});
