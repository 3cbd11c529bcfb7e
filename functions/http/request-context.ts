import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every request an id (the caller's `x-request-id` when it is sane, else a new one),
 * returns it in `x-request-id`, and logs one structured line per request with it.
 */
export const requestContext =
  (logger: Logger, newId: () => string): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const offered = c.req.header('x-request-id');
    const requestId = offered && REQUEST_ID.test(offered) ? offered : newId();
    const log = logger.createChild({ persistentKeys: { requestId } });
    c.set('requestId', requestId);
    c.set('logger', log);
    c.set('principal', undefined);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    log.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      role: c.get('principal')?.role,
    });
  };
