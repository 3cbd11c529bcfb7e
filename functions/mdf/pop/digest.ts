import { canonicalJson, sha256Hex } from '#functions/audit/hashing';

/** Large evidence by reference: SHA-256 (hex) and size of exactly the bytes an auditor can re-hash. */
export interface Digest {
  sha256: string;
  bytes: number;
}

export const digestBytes = (bytes: Uint8Array | string): Digest => {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return { sha256: sha256Hex(data), bytes: data.byteLength };
};

/** A JSON value's digest over its canonical (RFC 8785) text. */
export const digestJson = (value: unknown): Digest => digestBytes(canonicalJson(value));
