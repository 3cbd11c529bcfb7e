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
import { leadIdSchema, leadSchema } from './lead-schema';
import { leadSummarySchema, partnerLeadViewSchema } from './lead-views';
import {
  currentRules,
  decideLead,
  decisionSchema,
  exportLeads,
  getLead,
  type LeadDeps,
  leadFiltersSchema,
  listLeads,
  rulesInputSchema,
  saveRules,
} from './leads';
import { qualificationConfigSchema } from './qualification';

const tags = ['Leads'];
const idParams = z.strictObject({ leadId: leadIdSchema });
const leadPageSchema = z
  .object({ items: z.array(leadSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'LeadPage' });
const leadDetailSchema = z.union([leadSchema, partnerLeadViewSchema]).meta({ id: 'LeadDetail' });
const rulesSchema = qualificationConfigSchema.meta({ id: 'LeadRules' });

export const leadRoutes = (deps: LeadDeps) =>
  createRouter()
    .openapi(
      secureRoute(['marketing', 'partner'], {
        method: 'get',
        path: '/leads',
        tags,
        summary: 'Leads, newest first: a partner’s own inbox, or (marketing) every lead; with filters',
        request: { query: leadFiltersSchema },
        responses: { 200: json(leadPageSchema, 'A page of leads'), ...commonProblems },
      }),
      async (c) => c.json(await listLeads(deps, principalOf(c), c.req.valid('query')), 200),
    )
    .openapi(
      secureRoute(['marketing', 'partner'], {
        method: 'get',
        path: '/leads/export',
        tags,
        summary: 'The leads the caller may see as CSV (same filters); formula-like cells neutralised',
        request: { query: leadFiltersSchema.omit({ limit: true, cursor: true }) },
        responses: {
          200: { description: 'CSV, UTF-8 with BOM', content: { 'text/csv': { schema: z.string() } } },
          ...commonProblems,
        },
      }),
      async (c) => {
        const csv = await exportLeads(deps, principalOf(c), { ...c.req.valid('query'), limit: 100 });
        return c.body(csv, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="leads.csv"',
        });
      },
    )
    .openapi(
      secureRoute(['marketing', 'partner'], {
        method: 'get',
        path: '/leads/{leadId}',
        tags,
        summary:
          'One lead: touches, rule results, attribution and EQL, each with reasons (a partner sees its own part)',
        request: { params: idParams },
        responses: { 200: json(leadDetailSchema, 'The lead'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const { lead, version } = await getLead(deps, principalOf(c), c.req.valid('param').leadId);
        c.header('etag', etagOf(version));
        return c.json(lead, 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/leads/{leadId}/decision',
        tags,
        summary:
          'Vendor sales’ decision: accept, reject (reason), opportunity, won (amount) or lost (reason); If-Match',
        request: { params: idParams, headers: ifMatchHeaders, body: jsonBody(decisionSchema) },
        responses: {
          200: json(leadSchema, 'The lead after the decision'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const lead = await decideLead(deps, c.req.valid('param').leadId, c.req.valid('json'), expected);
        c.header('etag', etagOf(lead.version));
        return c.json(lead, 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'get',
        path: '/lead-rules',
        tags,
        summary: 'The qualification rules applied to each new submission',
        responses: { 200: json(rulesSchema, 'The rules'), ...commonProblems },
      }),
      async (c) => {
        const rules = await currentRules(deps);
        c.header('etag', etagOf(rules.version));
        return c.json(rules, 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'put',
        path: '/lead-rules',
        tags,
        summary: 'Change the qualification rules (no deploy; next submissions use them); If-Match',
        request: { headers: ifMatchHeaders, body: jsonBody(rulesInputSchema) },
        responses: {
          200: json(rulesSchema, 'The saved rules'),
          ...commonProblems,
          ...conflictProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const rules = await saveRules(deps, c.req.valid('json'), expected);
        c.header('etag', etagOf(rules.version));
        return c.json(rules, 200);
      },
    );
