import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/**
 * Signed, URL-safe tokens for the open pixel, click redirects and unsubscribe links:
 * `<kid>.<body>.<mac>`, the MAC an HMAC-SHA256 over `<kid>.<body>` with the key `kid` names.
 * Signed with the current key, verified with any configured key, so keys rotate without
 * breaking mail already sent. The body names the send (campaign id + a keyed hash of the
 * address, never the address), the purpose, the day it was issued and, for clicks, the link's
 * index. Tokens stay valid for `maxAgeDays` (never under 60: CASL wants an unsubscribe link to
 * work 60 days; CAN-SPAM 30).
 */
export const MIN_TOKEN_AGE_DAYS = 60;
const DAY_MS = 86_400_000;

export const tokenPurposes = { o: 'open', c: 'click', u: 'unsubscribe' } as const;
type PurposeCode = keyof typeof tokenPurposes;
export type TokenPurpose = (typeof tokenPurposes)[PurposeCode];

export const CAMPAIGN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KID = /^[A-Za-z0-9]{1,8}$/;
const RECIPIENT_KEY = /^[A-Za-z0-9_-]{22}$/;

export interface SendRef {
  campaignId: string;
  /** recipientKey(): a keyed hash of the address, stable for the campaign. */
  recipientKey: string;
}

export type TokenClaims = SendRef &
  ({ purpose: 'open' | 'unsubscribe' } | { purpose: 'click'; link: number });

export type VerifiedClaims = TokenClaims & { issuedAt: Date };

export const tokenKeysSchema = z
  .object({
    current: z.string().regex(KID),
    keys: z.record(z.string().regex(KID), z.string().min(32, 'a token key has at least 32 characters')),
  })
  .refine((k) => k.keys[k.current] !== undefined, { message: 'the current key id has no key' });
export type TokenKeys = z.infer<typeof tokenKeysSchema>;

const purposeCode = z.enum(['o', 'c', 'u']);
const bodySchema = z.tuple([
  purposeCode,
  z.string().regex(/^[0-9a-z]{1,6}$/),
  z.string().regex(CAMPAIGN_ID),
  z.string().regex(RECIPIENT_KEY),
]);
const linkSchema = z.string().regex(/^(0|[1-9][0-9]{0,3})$/);

const keyObjects = new Map<string, KeyObject>();
/** Secrets are imported once per process; a send signs about five MACs with the same key. */
const keyOf = (secret: string): KeyObject => {
  let key = keyObjects.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    if (keyObjects.size >= 32) keyObjects.clear();
    keyObjects.set(secret, key);
  }
  return key;
};
const mac = (secret: string, data: string): Buffer =>
  createHmac('sha256', keyOf(secret)).update(data).digest();
/** The MAC as base64url text, straight from the digest (no intermediate Buffer). */
const macText = (secret: string, data: string): string =>
  createHmac('sha256', keyOf(secret)).update(data).digest('base64url');

/** Stable per (campaign, address), reveals neither: the key of a send record and of its tokens. */
export const recipientKey = (secret: string, campaignId: string, email: string): string =>
  mac(secret, `${campaignId}\n${email.trim().toLowerCase()}`).subarray(0, 16).toString('base64url');

/** The body of a token whose MAC checks out under the key it names (constant-time compare). */
const authenticBody = (keys: Record<string, string>, token: string): string | undefined => {
  if (token.length > 256) return undefined;
  const [kid, body, signature, extra] = token.split('.');
  if (kid === undefined || body === undefined || signature === undefined || extra !== undefined) {
    return undefined;
  }
  const secret = keys[kid];
  if (!secret) return undefined;
  // Compared as canonical text: decoding first would accept variants of the last character,
  // whose two low bits base64 ignores.
  const expected = Buffer.from(macText(secret, `${kid}.${body}`));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? body : undefined;
};

/** Genuine bodies are still parsed, not trusted: the shape is checked field by field. */
const claimsOf = (body: string): VerifiedClaims | undefined => {
  const fields = body.split('~');
  const parsed = bodySchema.safeParse(fields.slice(0, 4));
  if (!parsed.success) return undefined;
  const [code, day, campaignId, rkey] = parsed.data;
  const ref = { campaignId, recipientKey: rkey, issuedAt: new Date(Number.parseInt(day, 36) * DAY_MS) };
  if (code === 'c') {
    const link = linkSchema.safeParse(fields[4]);
    return link.success && fields.length === 5
      ? { ...ref, purpose: 'click', link: Number(link.data) }
      : undefined;
  }
  if (fields.length !== 4) return undefined;
  return { ...ref, purpose: tokenPurposes[code] === 'open' ? 'open' : 'unsubscribe' };
};

export interface TokenSigner {
  sign(claims: TokenClaims): string;
  /** The claims of a genuine, unexpired token of this purpose; undefined for anything else. */
  verify(token: string, purpose: TokenPurpose): VerifiedClaims | undefined;
}

export const createTokenSigner = ({
  keys,
  clock,
  maxAgeDays = 400,
}: {
  keys: TokenKeys;
  clock: () => Date;
  maxAgeDays?: number;
}): TokenSigner => {
  const parsedKeys = tokenKeysSchema.parse(keys);
  if (maxAgeDays < MIN_TOKEN_AGE_DAYS) {
    throw new Error(`tokens must stay valid at least ${MIN_TOKEN_AGE_DAYS} days (CASL)`);
  }
  const codeOf = (purpose: TokenPurpose): PurposeCode =>
    purpose === 'open' ? 'o' : purpose === 'click' ? 'c' : 'u';

  return {
    sign(claims) {
      const day = Math.floor(clock().getTime() / DAY_MS).toString(36);
      const fields = [codeOf(claims.purpose), day, claims.campaignId, claims.recipientKey];
      if (claims.purpose === 'click') fields.push(String(claims.link));
      // The same checks verify() applies to the body (bodySchema), without a parse per token.
      if (!CAMPAIGN_ID.test(claims.campaignId) || !RECIPIENT_KEY.test(claims.recipientKey)) {
        throw new Error('a token names a campaign id and a recipient key of the expected form');
      }
      const body = fields.join('~');
      const kid = parsedKeys.current;
      const secret = parsedKeys.keys[kid] ?? '';
      return `${kid}.${body}.${macText(secret, `${kid}.${body}`)}`;
    },
    verify(token, purpose) {
      const body = authenticBody(parsedKeys.keys, token);
      if (body === undefined) return undefined;
      const claims = claimsOf(body);
      if (!claims || claims.purpose !== purpose) return undefined;
      const ageDays = (clock().getTime() - claims.issuedAt.getTime()) / DAY_MS;
      return ageDays > maxAgeDays || ageDays < -1 ? undefined : claims;
    },
  };
};
