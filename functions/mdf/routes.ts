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
import { createFund, getFund, listFunds, updateFund } from './funds';
import type { MdfDeps } from './ports';
import { createRequest, decideRequest, getRequest, listRequests, withdrawRequest } from './requests';
import {
  createFundSchema,
  createRequestSchema,
  decisionSchema,
  fundIdSchema,
  fundPageSchema,
  fundQuerySchema,
  fundSchema,
  mdfRequestSchema,
  requestIdSchema,
  requestPageSchema,
  requestQuerySchema,
  updateFundSchema,
} from './schema';

const tags = ['MDF'];
const fundParams = z.strictObject({ fundId: fundIdSchema });
const requestParams = z.strictObject({ requestId: requestIdSchema });

/** Market development funds: allocations (marketing) and pre-approval requests (partners). */
export const mdfRoutes = (deps: MdfDeps) =>
  createRouter()
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/mdf/funds',
        tags,
        summary: 'Allocate a fund to a partner for a fiscal period (one per partner, period and currency)',
        request: { body: jsonBody(createFundSchema) },
        responses: { 201: json(fundSchema, 'The fund'), ...commonProblems, ...conflictProblem },
      }),
      async (c) => {
        const fund = await createFund(deps, principalOf(c), c.req.valid('json'));
        c.header('etag', etagOf(fund.version));
        c.header('location', `/api/mdf/funds/${fund.id}`);
        return c.json(fund, 201);
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/funds',
        tags,
        summary: 'Funds with their balances (partners: their own), by partner and period',
        request: { query: fundQuerySchema },
        responses: { 200: json(fundPageSchema, 'A page of funds'), ...commonProblems },
      }),
      async (c) => c.json(await listFunds(deps, principalOf(c), c.req.valid('query')), 200),
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/funds/{fundId}',
        tags,
        summary: 'A fund and its balances (partners: only their own)',
        request: { params: fundParams },
        responses: { 200: json(fundSchema, 'The fund'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const fund = await getFund(deps, principalOf(c), c.req.valid('param').fundId);
        c.header('etag', etagOf(fund.version));
        return c.json(fund, 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'patch',
        path: '/mdf/funds/{fundId}',
        tags,
        summary: 'Raise or lower the allocation (never below what is committed) or the claim deadline',
        request: { params: fundParams, headers: ifMatchHeaders, body: jsonBody(updateFundSchema) },
        responses: {
          200: json(fundSchema, 'The fund after the change'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const fund = await updateFund(
          deps,
          principalOf(c),
          c.req.valid('param').fundId,
          expected,
          c.req.valid('json'),
        );
        c.header('etag', etagOf(fund.version));
        return c.json(fund, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/mdf/requests',
        tags,
        summary:
          'Ask for pre-approval of an activity (an existing or a planned campaign) against an own fund',
        request: { body: jsonBody(createRequestSchema) },
        responses: { 201: json(mdfRequestSchema, 'The request, submitted'), ...commonProblems },
      }),
      async (c) => {
        const request = await createRequest(deps, principalOf(c), c.req.valid('json'));
        c.header('etag', etagOf(request.version));
        c.header('location', `/api/mdf/requests/${request.id}`);
        return c.json(request, 201);
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/requests',
        tags,
        summary: 'Requests, submitted first and oldest first (partners: their own)',
        request: { query: requestQuerySchema },
        responses: { 200: json(requestPageSchema, 'A page of requests'), ...commonProblems },
      }),
      async (c) => c.json(await listRequests(deps, principalOf(c), c.req.valid('query')), 200),
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/requests/{requestId}',
        tags,
        summary: 'A request (partners: only their own)',
        request: { params: requestParams },
        responses: { 200: json(mdfRequestSchema, 'The request'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const request = await getRequest(deps, principalOf(c), c.req.valid('param').requestId);
        c.header('etag', etagOf(request.version));
        return c.json(request, 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/mdf/requests/{requestId}/decision',
        tags,
        summary: 'Approve (committing the vendor’s share, never more than remains) or reject with a reason',
        request: { params: requestParams, headers: ifMatchHeaders, body: jsonBody(decisionSchema) },
        responses: {
          200: json(mdfRequestSchema, 'The request with the decision'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const request = await decideRequest(
          deps,
          principalOf(c),
          c.req.valid('param').requestId,
          expected,
          c.req.valid('json'),
        );
        c.header('etag', etagOf(request.version));
        return c.json(request, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/mdf/requests/{requestId}/withdraw',
        tags,
        summary: 'Withdraw an own request while it is still submitted',
        request: { params: requestParams },
        responses: {
          200: json(mdfRequestSchema, 'The request, withdrawn'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const request = await withdrawRequest(deps, principalOf(c), c.req.valid('param').requestId);
        c.header('etag', etagOf(request.version));
        return c.json(request, 200);
      },
    );
