import * as z from 'zod';
import { PreconditionRequiredError, ValidationError } from '#platform/errors';

/** Strong ETag of a versioned resource. */
export const etagOf = (version: number): string => `"${version}"`;

/** The version named by `If-Match: "7"` (weak form accepted); optimistic concurrency for writes. */
export const versionFromIfMatch = (header: string | undefined): number => {
  if (!header) throw new PreconditionRequiredError('send If-Match with the ETag you read');
  const match = /^(?:W\/)?"(\d{1,12})"$/.exec(header.trim());
  if (!match?.[1]) {
    throw new ValidationError('If-Match must be an ETag such as "3"', [
      { path: 'header.if-match', message: 'expected an ETag such as "3"' },
    ]);
  }
  return Number(match[1]);
};

/** The request headers of a write that takes If-Match (versionFromIfMatch reads it; 428 without). */
export const ifMatchHeaders = z.object({
  'if-match': z.string().optional().meta({ description: 'ETag from a GET, e.g. "3"' }),
});
