import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import * as z from 'zod';
import {
  AppError,
  BadRequestError,
  type FieldError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#platform/errors';
import type { AppEnv } from './env';

/** Problem types are stable identifiers, relative to the API origin (documented in the README). */
export const problemType = (slug: string): string => `/problems/${slug}`;

export const problemSchema = z
  .object({
    type: z.string().meta({ example: '/problems/validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

/** zod issues → field errors named by where they came from, e.g. `body.tier`. */
export const fieldErrors = (target: string, error: z.ZodError): FieldError[] =>
  error.issues.flatMap((issue) => {
    const base = [target, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });

/** Anything thrown → an AppError, or undefined for a genuine fault (a 500 without internals). */
const asAppError = (error: unknown): AppError | undefined => {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new PayloadTooLargeError('the request body exceeds the limit');
    if (error.status === 415) return new UnsupportedMediaTypeError('send the body as application/json');
    if (error.status === 400) return new BadRequestError(error.message || 'the request is malformed');
  }
  return undefined;
};

export const problemResponse = (c: Context<AppEnv>, error: unknown): Response => {
  const known = asAppError(error);
  const requestId = c.get('requestId') ?? 'unknown';
  if (!known) {
    c.get('logger')?.error('unhandled error', { error: error instanceof Error ? error : String(error) });
  }
  const status = known?.status ?? 500;
  // Extensions first: they can never overwrite the standard members.
  const body: Problem = {
    ...known?.extensions,
    type: problemType(known?.type ?? 'internal'),
    title: known?.title ?? 'Something went wrong on our side',
    status,
    detail: known ? known.message : `quote request id ${requestId} when reporting this`,
    instance: c.req.path,
    requestId,
    ...(known?.errors ? { errors: known.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/problem+json',
      'x-request-id': requestId,
      ...(status === 401 ? { 'www-authenticate': 'Bearer realm="channelkit"' } : {}),
    },
  });
};

/** The zod-openapi hook: a failed validation becomes a 422 naming every field. */
export const validationHook = (
  result: { success: true } | { success: false; error: z.ZodError; target: string },
): void => {
  if (!result.success) {
    const target = result.target === 'json' || result.target === 'form' ? 'body' : result.target;
    throw new ValidationError('some fields are invalid', fieldErrors(target, result.error));
  }
};
