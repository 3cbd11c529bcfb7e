import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'hono';
import type { Principal } from '#functions/auth/principal';
import { UnauthorizedError } from '#platform/errors';

/** Per-request variables every route can read. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    principal: Principal | undefined;
  };
}

/** The verified caller; only reachable behind the auth middleware, which sets it. */
export const principalOf = (c: Context<AppEnv>): Principal => {
  const principal = c.get('principal');
  if (!principal) throw new UnauthorizedError('authentication is required');
  return principal;
};
