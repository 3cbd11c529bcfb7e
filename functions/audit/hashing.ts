import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Content hashing for the audit log: RFC 8785 JSON Canonicalization Scheme (the `canonicalize`
 * package, by one of the RFC's authors) then SHA-256, hex. Canonical form makes the hash a
 * property of the JSON value, not of how one serialiser happened to order keys or print numbers,
 * so the CLI, the API and any auditor's own script recompute the same hash from the same value.
 */
export const GENESIS_HASH = '0'.repeat(64);

export class NotCanonicalisableError extends Error {
  override name = 'NotCanonicalisableError';
}

/** The JCS text of a JSON value; throws for values JSON cannot carry (undefined, NaN, cycles). */
export const canonicalJson = (value: unknown): string => {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    throw new NotCanonicalisableError(error instanceof Error ? error.message : 'not JSON');
  }
  if (text === undefined) throw new NotCanonicalisableError('the value has no JSON form');
  return text;
};

/** SHA-256 in lower-case hex of text (as UTF-8) or of bytes exactly as stored. */
export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

/** The hash of an entry's content: SHA-256 of its canonical JSON. */
export const contentHashOf = (content: unknown): string => sha256Hex(canonicalJson(content));

/** The fields an entry's hash seals: everything but the content itself (sealed by its hash). */
export interface SealedFields {
  chain: string;
  seq: number;
  kind: string;
  subject: Record<string, string>;
  contentHash: string;
  prevHash: string;
  recordedAt: string;
  recordedBy: { role: string; sub: string; name: string };
}

/**
 * An entry's own hash: SHA-256 of the canonical JSON of its sealed fields. It names the previous
 * entry's hash, so changing any entry breaks every link after it.
 */
export const entryHashOf = (fields: SealedFields): string =>
  sha256Hex(
    canonicalJson({
      chain: fields.chain,
      seq: fields.seq,
      kind: fields.kind,
      subject: fields.subject,
      contentHash: fields.contentHash,
      prevHash: fields.prevHash,
      recordedAt: fields.recordedAt,
      recordedBy: fields.recordedBy,
    }),
  );
