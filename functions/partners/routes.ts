import * as z from 'zod';
import { principalOf } from '#functions/http/env';
import { etagOf, ifMatchHeaders, versionFromIfMatch } from '#functions/http/etag';
import {
  commonProblems,
  conflictProblem,
  createRouter,
  json,
  jsonBody,
  notFoundProblem,
  preconditionProblems,
  secureRoute,
} from '#functions/http/router';
import { createPartner, getPartner, type PartnerDeps, updatePartner } from './partners';
import {
  createPartnerSchema,
  pageQuerySchema,
  partnerIdSchema,
  partnerPageSchema,
  partnerSchema,
  updatePartnerSchema,
} from './schema';

const tags = ['Partners'];
const idParams = z.strictObject({ partnerId: partnerIdSchema });

export const partnerRoutes = (deps: PartnerDeps) =>
  createRouter()
    .openapi(
      secureRoute(['marketing', 'auditor'], {
        method: 'get',
        path: '/partners',
        tags,
        summary: 'List partners by name',
        request: { query: pageQuerySchema },
        responses: { 200: json(partnerPageSchema, 'A page of partners'), ...commonProblems },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid('query');
        return c.json(await deps.partners.list(limit, cursor), 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/partners',
        tags,
        summary: 'Create a partner',
        request: {
          body: jsonBody(createPartnerSchema),
        },
        responses: { 201: json(partnerSchema, 'The partner created'), ...commonProblems, ...conflictProblem },
      }),
      async (c) => {
        const partner = await createPartner(deps, c.req.valid('json'));
        c.header('etag', etagOf(partner.version));
        c.header('location', `/api/partners/${partner.id}`);
        return c.json(partner, 201);
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/partners/{partnerId}',
        tags,
        summary: 'Get a partner (partner users: only their own)',
        request: { params: idParams },
        responses: { 200: json(partnerSchema, 'The partner'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const partner = await getPartner(deps, principalOf(c), c.req.valid('param').partnerId);
        c.header('etag', etagOf(partner.version));
        return c.json(partner, 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'patch',
        path: '/partners/{partnerId}',
        tags,
        summary: 'Change a partner’s name, tier or region (optimistic concurrency with If-Match)',
        request: {
          params: idParams,
          headers: ifMatchHeaders,
          body: jsonBody(updatePartnerSchema),
        },
        responses: {
          200: json(partnerSchema, 'The partner after the change'),
          ...commonProblems,
          ...notFoundProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const partner = await updatePartner(
          deps,
          principalOf(c),
          c.req.valid('param').partnerId,
          expected,
          c.req.valid('json'),
        );
        c.header('etag', etagOf(partner.version));
        return c.json(partner, 200);
      },
    );
