import type { Principal } from '#functions/auth/principal';
import { partnerIdInScope } from '#functions/auth/tenancy';
import { principalOf } from '#functions/http/env';
import { commonProblems, createRouter, json, notFoundProblem, secureRoute } from '#functions/http/router';
import { NotFoundError } from '#platform/errors';
import { type AuditDeps, listEntries, verifyChain } from './audit';
import {
  auditEntryPageSchema,
  type Chain,
  chainQuerySchema,
  entriesQuerySchema,
  partnerOfChain,
  verificationSchema,
} from './schema';

const tags = ['Audit'];

/**
 * Marketing and auditors may read any chain; a partner only its own (`partner:<its id>`). Any other
 * chain, the vendor's included, answers 404 exactly like a chain that does not exist.
 */
const chainInScope = (principal: Principal, chain: Chain): Chain => {
  if (principal.role !== 'partner') return chain;
  const partnerId = partnerOfChain(chain);
  if (partnerId === null) throw new NotFoundError('not found');
  partnerIdInScope(principal, partnerId);
  return chain;
};

export const auditRoutes = (deps: AuditDeps) =>
  createRouter()
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/audit/verify',
        tags,
        summary: 'Recompute an audit chain and report its first broken link (partners: their own chain)',
        description:
          'Recomputes every content hash, entry hash and link from the stored entries, checks no entry is missing and that the chain ends where its head says. `ok: false` names the first broken entry and why.',
        request: { query: chainQuerySchema },
        responses: {
          200: json(verificationSchema, 'The verification result'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const chain = chainInScope(principalOf(c), c.req.valid('query').chain);
        return c.json(await verifyChain(deps, chain), 200);
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/audit/entries',
        tags,
        summary: 'A page of an audit chain’s entries, in order, read-only (partners: their own chain)',
        request: { query: entriesQuerySchema },
        responses: {
          200: json(auditEntryPageSchema, 'A page of entries, oldest first'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const { chain, limit, cursor } = c.req.valid('query');
        return c.json(await listEntries(deps, chainInScope(principalOf(c), chain), limit, cursor), 200);
      },
    );
