import { createHmac, createSecretKey, hkdfSync } from 'node:crypto';
import * as z from 'zod';
import { companyDomainOf } from './normalise';

/**
 * Account lists are stored as keyed hashes of normalised company domains, never as domains:
 * HMAC-SHA256 under a key only the platform holds, so a leaked table does not reveal whose
 * customers are whose, and nobody can test a guessed domain against it offline (a plain hash
 * would let them). Each hash carries the id of its key so keys rotate: new uploads hash under
 * the primary key, lookups hash the lead's domain under every active key and match any, and an
 * old key retires once no stored list uses it (the raw lists are not kept, so lists hashed under
 * it are re-uploaded by their owners first).
 *
 * The hash is the first 128 bits of the MAC, base64url (22 characters): collisions between two
 * domains are out of reach (2^64 work for a birthday pair among adversarially chosen inputs, far
 * beyond the handful of domains a list holds), and the key, not the length, is what stops guessing.
 */
const KID = /^[A-Za-z0-9]{1,8}$/;

export const accountKeyConfigSchema = z
  .strictObject({
    /** The key new uploads are hashed with. */
    primary: z.string().regex(KID),
    /** Every key a stored list may still use, the primary among them. */
    active: z.array(z.string().regex(KID)).min(1).max(4),
  })
  .refine((c) => c.active.includes(c.primary), { message: 'the primary key id must be active' });
export type AccountKeyConfig = z.infer<typeof accountKeyConfigSchema>;

export const defaultAccountKeyConfig: AccountKeyConfig = { primary: 'a1', active: ['a1'] };

export interface AccountKeys {
  primary: string;
  /** Prepared MACs by key id, primary first. */
  macs: ReadonlyArray<readonly [kid: string, mac: (data: string) => Buffer]>;
}

export interface AccountHash {
  kid: string;
  hash: string;
}

export const ACCOUNT_HASH = /^[A-Za-z0-9_-]{22}$/;

/**
 * One key per id from the platform's root secret through HKDF-SHA256, salt `channelkit` and a
 * label per key, as deriveTrackingKeys (functions/sending/config.ts) derives the tracking keys:
 * one secret to manage, and no key can be derived from another. The labels differ from the
 * tracking ones, so sharing the root secret gives unrelated keys.
 */
export const deriveAccountKeys = (rootSecret: string, config: AccountKeyConfig): AccountKeys => {
  if (rootSecret.length < 32) throw new Error('the root secret must be at least 32 characters');
  const { primary, active } = accountKeyConfigSchema.parse(config);
  const kids = [primary, ...active.filter((kid) => kid !== primary)];
  return {
    primary,
    macs: kids.map((kid) => {
      // A KeyObject imported once: a list upload hashes up to 100,000 domains with it.
      const key = createSecretKey(
        Buffer.from(hkdfSync('sha256', rootSecret, 'channelkit', `account-keys/${kid}`, 32)),
      );
      return [kid, (data: string) => createHmac('sha256', key).update(data, 'utf8').digest()] as const;
    }),
  };
};

const normalised = (domain: string): string => {
  if (companyDomainOf(domain) !== domain) {
    throw new TypeError('hash a normalised company domain (companyDomainOf), not a host, URL or email');
  }
  return domain;
};

const digest = (mac: (data: string) => Buffer, domain: string) =>
  mac(domain).subarray(0, 16).toString('base64url');

/** The hash a list upload stores: under the primary key. */
export const hashAccount = (keys: AccountKeys, domain: string): AccountHash => {
  const [primary] = keys.macs;
  if (!primary) throw new Error('no account key');
  return { kid: primary[0], hash: digest(primary[1], normalised(domain)) };
};

/** The hashes a lookup checks: one per active key, primary first, so rotation misses nothing. */
export const hashAccountUnderAllKeys = (keys: AccountKeys, domain: string): AccountHash[] => {
  const value = normalised(domain);
  return keys.macs.map(([kid, mac]) => ({ kid, hash: digest(mac, value) }));
};
