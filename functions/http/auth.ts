import type { MiddlewareHandler } from 'hono';
import { principalFromClaims } from '#functions/auth/principal';
import { UnauthorizedError } from '#platform/errors';
import type { VerifyToken } from '#platform/jwt';
import type { AppEnv } from './env';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** Verifies the bearer token and turns its claims into the typed principal. */
export const authenticate =
  (verify: VerifyToken): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) throw new UnauthorizedError('send a bearer token in the Authorization header');
    c.set('principal', principalFromClaims(await verify(match[1])));
    await next();
  };
