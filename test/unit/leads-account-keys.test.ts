import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_HASH,
  accountKeyConfigSchema,
  deriveAccountKeys,
  hashAccount,
  hashAccountUnderAllKeys,
} from '#functions/leads/account-keys';

const ROOT = 'root-secret-0123456789abcdef0123456789';
const keys = deriveAccountKeys(ROOT, { primary: 'a1', active: ['a1'] });

describe('account hashes', () => {
  it('are stable across releases: stored lists depend on this exact value', () => {
    expect(hashAccount(keys, 'acme.co.uk')).toEqual({ kid: 'a1', hash: 'akwMAVtItpkJHdX29jeQ8g' });
  });

  it('are the first 128 bits of HMAC-SHA256 under an HKDF-derived key, base64url', () => {
    const key = Buffer.from(hkdfSync('sha256', ROOT, 'channelkit', 'account-keys/a1', 32));
    const expected = createHmac('sha256', key)
      .update('acme.com')
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    const { hash } = hashAccount(keys, 'acme.com');
    expect(hash).toBe(expected);
    expect(hash).toMatch(ACCOUNT_HASH);
  });

  it('depend on the root secret and never show the domain', () => {
    const other = deriveAccountKeys(`${ROOT}x`, { primary: 'a1', active: ['a1'] });
    expect(hashAccount(other, 'acme.com').hash).not.toBe(hashAccount(keys, 'acme.com').hash);
    expect(hashAccount(keys, 'acme.com').hash).not.toBe(hashAccount(keys, 'acme.co.uk').hash);
    expect(hashAccount(keys, 'acme.com').hash.toLowerCase()).not.toContain('acme');
  });

  it('accept only normalised company domains, so a host or URL cannot silently miss', () => {
    expect(() => hashAccount(keys, 'www.acme.com')).toThrow(TypeError);
    expect(() => hashAccount(keys, 'ACME.com')).toThrow(TypeError);
    expect(() => hashAccount(keys, 'https://acme.com')).toThrow(TypeError);
    expect(() => hashAccount(keys, 'ann@acme.com')).toThrow(TypeError);
  });
});

describe('key rotation', () => {
  const rotating = deriveAccountKeys(ROOT, { primary: 'a2', active: ['a1', 'a2'] });

  it('hashes uploads under the primary key', () => {
    expect(hashAccount(rotating, 'acme.com').kid).toBe('a2');
  });

  it('hashes a lookup under every active key, primary first, so lists from either key match', () => {
    const old = hashAccount(keys, 'acme.com');
    const all = hashAccountUnderAllKeys(rotating, 'acme.com');
    expect(all.map((h) => h.kid)).toEqual(['a2', 'a1']);
    expect(all[1]).toEqual(old);
    expect(all[0]?.hash).not.toBe(old.hash);
  });

  it('refuses a primary key that is not active, a short secret and a bad key id', () => {
    expect(accountKeyConfigSchema.safeParse({ primary: 'a3', active: ['a1'] }).success).toBe(false);
    expect(accountKeyConfigSchema.safeParse({ primary: 'a-1', active: ['a-1'] }).success).toBe(false);
    expect(() => deriveAccountKeys('short', { primary: 'a1', active: ['a1'] })).toThrow(/at least 32/);
  });
});
