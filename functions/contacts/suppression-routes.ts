import * as z from 'zod';
import { principalOf } from '#functions/http/env';
import {
  commonProblems,
  conflictProblem,
  createRouter,
  json,
  jsonBody,
  notFoundProblem,
  secureRoute,
} from '#functions/http/router';
import { suppressManually } from './contacts';
import type { ContactFeature } from './deps';
import { normaliseEmail } from './email';
import { emailSchema, ownPartner } from './routes-shared';
import { pageQuerySchema, suppressionPageSchema, suppressionSchema } from './schema';

const tags = ['Suppressions'];
const emailParams = z.strictObject({ email: emailSchema });
const whySchema = z
  .object({ email: z.string(), suppressed: z.boolean(), entries: z.array(suppressionSchema) })
  .meta({ id: 'SuppressionStatus' });

export const suppressionRoutes = (deps: ContactFeature) =>
  createRouter()
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/suppressions',
        tags,
        summary: 'My suppressions in force (unsubscribes, manual, erasures), by email',
        request: { query: pageQuerySchema },
        responses: { 200: json(suppressionPageSchema, 'A page of suppressions'), ...commonProblems },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid('query');
        const scope = { scope: 'partner', partnerId: ownPartner(principalOf(c)) } as const;
        return c.json(await deps.suppressions.page(scope, limit, cursor), 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/suppressions',
        tags,
        summary: 'Suppress an address for my sends (idempotent)',
        request: { body: jsonBody(z.strictObject({ email: emailSchema }).meta({ id: 'AddSuppression' })) },
        responses: {
          201: json(suppressionSchema, 'Suppressed'),
          200: json(suppressionSchema, 'Already suppressed'),
          ...commonProblems,
        },
      }),
      async (c) => {
        const principal = principalOf(c);
        const { email } = c.req.valid('json');
        const { created, suppression } = await suppressManually(
          deps,
          ownPartner(principal),
          email,
          principal.sub,
        );
        return created ? c.json(suppression, 201) : c.json(suppression, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/suppressions/{email}',
        tags,
        summary: 'Whether and why an address is suppressed for my sends (global and mine)',
        request: { params: emailParams },
        responses: { 200: json(whySchema, 'The suppression status'), ...commonProblems },
      }),
      async (c) => {
        const { email } = c.req.valid('param');
        const entries = await deps.suppressions.why(ownPartner(principalOf(c)), email);
        return c.json(
          { email: normaliseEmail(email) ?? email, suppressed: entries.length > 0, entries },
          200,
        );
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'delete',
        path: '/suppressions/{email}',
        tags,
        summary: 'Lift my manual suppression of an address (unsubscribes, erasures and global ones stay)',
        request: { params: emailParams },
        responses: {
          200: json(suppressionSchema, 'The lifted suppression'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const { email } = c.req.valid('param');
        const lifted = await deps.suppressions.lift(
          ownPartner(principalOf(c)),
          email,
          deps.clock().toISOString(),
        );
        return c.json(lifted, 200);
      },
    );
