import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type * as z from 'zod';
import type { Role } from '#functions/auth/principal';
import { ForbiddenError } from '#platform/errors';
import { type AppEnv, principalOf } from './env';
import { problemSchema, validationHook } from './problem';

/** Every feature's sub-app: zod validation failures become 422 problem+json naming the fields. */
export const createRouter = (): OpenAPIHono<AppEnv> =>
  new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

export const requireRole =
  (allowed: readonly Role[]): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const { role } = principalOf(c);
    if (!allowed.includes(role)) throw new ForbiddenError(`the ${role} role may not do this`);
    await next();
  };

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The errors any authenticated route can answer, documented once. */
export const commonProblems = {
  400: problem('Malformed request (e.g. invalid JSON)'),
  401: problem('No valid bearer token'),
  403: problem('The caller’s role may not use this operation'),
  413: problem('Body larger than the limit'),
  415: problem('Body is not application/json'),
  422: problem('Invalid fields; `errors` names each one'),
} as const;

export const notFoundProblem = { 404: problem('Not found, or not visible to the caller') } as const;
export const conflictProblem = { 409: problem('Conflicts with the stored state') } as const;
export const preconditionProblems = {
  412: problem('If-Match does not match the stored version'),
  428: problem('If-Match header is required'),
} as const;

/**
 * An authenticated API operation open to the given roles. The roles are enforced by
 * middleware before validation and published in the OpenAPI document as `x-roles`, which
 * is also how `/api/me` tells each role what the API offers it.
 */
export const secureRoute = <const R extends RouteConfig>(allowed: readonly Role[], route: R) =>
  createRoute({
    ...route,
    security: [{ bearer: [] }],
    'x-roles': allowed,
    middleware: [requireRole(allowed)],
  });

/** A JSON response declaration for a route. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body declaration (without `required`, a wrong content type skips validation). */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
