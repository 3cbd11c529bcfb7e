import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID that is the same every time for the same parts: the time of `at` (so it sorts like any
 * other id of that moment) and 80 bits of a SHA-256 of the parts in place of randomness. A
 * redelivered lead event therefore names the same delivery, payload and notification again, and
 * a conditional create on that id is the dedupe.
 */
export const stableUlid = (at: Date, parts: readonly (string | number)[]): string => {
  let time = at.getTime();
  if (!Number.isSafeInteger(time) || time < 0) throw new RangeError('a ULID needs a time after 1970');
  let head = '';
  for (let i = 0; i < 10; i += 1) {
    head = (CROCKFORD[time % 32] ?? '0') + head;
    time = Math.floor(time / 32);
  }
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  let tail = '';
  // 16 characters of 5 bits = the first 80 bits of the digest.
  for (let bit = 0; bit < 80; bit += 5) {
    const byte = bit >> 3;
    const word = ((digest[byte] ?? 0) << 8) | (digest[byte + 1] ?? 0);
    tail += CROCKFORD[(word >> (11 - (bit & 7))) & 31] ?? '0';
  }
  return head + tail;
};
