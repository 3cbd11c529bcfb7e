import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Hono } from 'hono';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import * as z from 'zod';
import type { DemoUser } from './demo-data';

/**
 * The dev issuer of the embedded runtime: it plays Cognito's part locally. It signs ID tokens
 * of the same shape (RS256, `token_use: id`, `cognito:groups`, `custom:partner_id`) with its own
 * key, and serves the JWKS the API verifies against. It lives under functions/local/ only, so
 * it is never in the Lambda bundle.
 */
export interface DevIssuer {
  issuer: string;
  audience: string;
  jwksUrl: string;
  sign(user: DemoUser, ttlSeconds?: number): Promise<string>;
  routes: Hono;
}

const storedKeySchema = z
  .object({ kty: z.literal('RSA'), n: z.string(), e: z.string(), d: z.string() })
  .passthrough();

/** Keeps the key under the data folder so tokens survive a restart, like a real issuer's would. */
const loadOrCreateKey = async (keyFile: string | undefined): Promise<JWK> => {
  if (keyFile && existsSync(keyFile)) {
    const parsed = storedKeySchema.safeParse(JSON.parse(readFileSync(keyFile, 'utf8')));
    if (parsed.success) return parsed.data;
  }
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  return jwk;
};

const loginSchema = z.strictObject({ userId: z.string().min(1).max(64) });

export const createDevIssuer = async (options: {
  baseUrl: string;
  users: readonly DemoUser[];
  partnerNames: ReadonlyMap<string, string>;
  keyFile?: string;
  audience?: string;
}): Promise<DevIssuer> => {
  const privateJwk = await loadOrCreateKey(options.keyFile);
  const kid = await calculateJwkThumbprint(privateJwk);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  const key = await importJWK(privateJwk, 'RS256');
  const issuer = `${options.baseUrl}/dev`;
  const audience = options.audience ?? 'channelkit-local';

  const sign = (user: DemoUser, ttlSeconds = 8 * 3600) =>
    new SignJWT({
      token_use: 'id',
      email: user.email,
      name: user.name,
      'cognito:groups': [user.role],
      ...(user.partnerId ? { 'custom:partner_id': user.partnerId } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(user.id)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key);

  const routes = new Hono()
    .get('/jwks.json', (c) => c.json({ keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] }))
    .get('/users', (c) =>
      c.json({
        users: options.users.map((user) => ({
          ...user,
          partnerName: user.partnerId ? (options.partnerNames.get(user.partnerId) ?? null) : null,
        })),
      }),
    )
    .post('/login', async (c) => {
      const parsed = loginSchema.safeParse(await c.req.json().catch(() => undefined));
      const user = parsed.success ? options.users.find((u) => u.id === parsed.data.userId) : undefined;
      if (!user) {
        return c.json(
          {
            type: '/problems/validation',
            title: 'Unknown demo user',
            status: 422,
            detail: 'pick a user from /dev/users',
          },
          422,
          { 'content-type': 'application/problem+json' },
        );
      }
      const ttl = 8 * 3600;
      return c.json({
        token: await sign(user, ttl),
        expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
      });
    });

  return { issuer, audience, jwksUrl: `${options.baseUrl}/dev/jwks.json`, sign, routes };
};
