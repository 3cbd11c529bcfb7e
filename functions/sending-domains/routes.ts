import type { MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { callerPartnerId } from '#functions/auth/tenancy';
import { type AppEnv, principalOf } from '#functions/http/env';
import { problemSchema } from '#functions/http/problem';
import {
  commonProblems,
  conflictProblem,
  createRouter,
  json,
  jsonBody,
  notFoundProblem,
  secureRoute,
} from '#functions/http/router';
import { partnerIdSchema } from '#functions/partners/schema';
import { ForbiddenError } from '#platform/errors';
import { IdentityServiceBusyError } from './ports';
import { sendingDomainInputSchema, sendingDomainSchema } from './schema';
import {
  getSendingDomain,
  removeSendingDomain,
  type SendingDomainDeps,
  saveSendingDomain,
  verifySendingDomain,
} from './sending-domains';

const tags = ['Sending domain'];
const removedSchema = z
  .object({ removed: z.string(), sendingFrom: z.literal('vendor-domain') })
  .meta({ id: 'SendingDomainRemoved' });

const unavailableProblem = {
  503: {
    description: 'SES is throttling identity look-ups; retry after the `Retry-After` seconds',
    headers: z.object({ 'retry-after': z.string() }),
    content: { 'application/problem+json': { schema: problemSchema } },
  },
} as const;

const ownPartner = (principal: Parameters<typeof callerPartnerId>[0]) => {
  const partnerId = callerPartnerId(principal);
  if (!partnerId) throw new ForbiddenError('only partner users have a sending domain');
  return partnerId;
};

/** SES throttling becomes a 503 problem (onError); this adds the Retry-After it knows. */
const retryAfter: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.error instanceof IdentityServiceBusyError) {
    c.res.headers.set('retry-after', String(c.error.retryAfterSeconds));
  }
};

/**
 * A partner's own sending domain (issue 4, "Sending identity"): add it (SES identity, DKIM
 * CNAME records), poll or check its status, choose the From local part and whether campaigns use
 * it (verified only), remove it. Marketing and auditors read any partner's.
 */
export const sendingDomainRoutes = (deps: SendingDomainDeps) => {
  const router = createRouter();
  for (const path of ['/sending-domain', '/sending-domain/*', '/partners/:partnerId/sending-domain']) {
    router.use(path, retryAfter);
  }
  return router
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/sending-domain',
        tags,
        summary: 'My sending domain, its DKIM records and status (refreshed from SES at most every 10 s)',
        responses: {
          200: json(sendingDomainSchema, 'The sending domain'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const principal = principalOf(c);
        return c.json(await getSendingDomain(deps, principal, ownPartner(principal)), 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'put',
        path: '/sending-domain',
        tags,
        summary:
          'Add my sending domain (creates the SES identity), or set its From local part and whether campaigns use it (verified only: 409 otherwise)',
        request: { body: jsonBody(sendingDomainInputSchema) },
        responses: {
          200: json(sendingDomainSchema, 'The sending domain'),
          ...commonProblems,
          ...conflictProblem,
          ...unavailableProblem,
        },
      }),
      async (c) =>
        c.json(await saveSendingDomain(deps, ownPartner(principalOf(c)), c.req.valid('json')), 200),
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'delete',
        path: '/sending-domain',
        tags,
        summary: 'Remove my sending domain (deletes the SES identity; campaigns send from the vendor domain)',
        responses: {
          200: json(removedSchema, 'Removed'),
          ...commonProblems,
          ...notFoundProblem,
          ...unavailableProblem,
        },
      }),
      async (c) => {
        const removed = await removeSendingDomain(deps, ownPartner(principalOf(c)));
        return c.json({ removed, sendingFrom: 'vendor-domain' as const }, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/sending-domain/verify',
        tags,
        summary: 'Ask SES for my domain’s verification status now',
        responses: {
          200: json(sendingDomainSchema, 'The sending domain, as SES reports it now'),
          ...commonProblems,
          ...notFoundProblem,
          ...unavailableProblem,
        },
      }),
      async (c) => c.json(await verifySendingDomain(deps, ownPartner(principalOf(c))), 200),
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/partners/{partnerId}/sending-domain',
        tags,
        summary: 'A partner’s sending domain (partner users: only their own)',
        request: { params: z.strictObject({ partnerId: partnerIdSchema }) },
        responses: {
          200: json(sendingDomainSchema, 'The sending domain'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => c.json(await getSendingDomain(deps, principalOf(c), c.req.valid('param').partnerId), 200),
    );
};
