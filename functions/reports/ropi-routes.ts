import * as z from 'zod';
import { principalOf } from '#functions/http/env';
import { commonProblems, createRouter, json, notFoundProblem, secureRoute } from '#functions/http/router';
import { partnerIdSchema } from '#functions/partners/schema';
import {
  type RopiDeps,
  ropiCampaignReport,
  ropiCampaignReportSchema,
  ropiReport,
  ropiReportSchema,
} from './ropi-report';

const programQuery = z.strictObject({
  partnerId: partnerIdSchema
    .optional()
    .meta({ description: 'Only this partner’s row (a partner user: its own, the default)' }),
});
const campaignQuery = z.strictObject({
  partnerId: partnerIdSchema.optional().meta({
    description: 'Whose campaigns: required for marketing and auditors; a partner’s own by default',
  }),
});

const MONEY_NOTE =
  'Money in integer minor units, per currency (never added across currencies); ROPI is won revenue (and pipeline, separately) ÷ MDF paid in the same currency, as a decimal string rounded down. Read from precomputed aggregates: the cost does not grow with sends or leads.';

export const ropiRoutes = (deps: RopiDeps) =>
  createRouter()
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/reports/ropi',
        tags: ['Reports'],
        summary: 'Return on partner investment: the program and each partner (a partner: its own row only)',
        description: MONEY_NOTE,
        request: { query: programQuery },
        responses: {
          200: json(ropiReportSchema, 'The program row and one row per partner'),
          ...notFoundProblem,
          ...commonProblems,
        },
      }),
      async (c) => c.json(await ropiReport(deps, principalOf(c), c.req.valid('query').partnerId), 200),
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/reports/ropi/campaigns',
        tags: ['Reports'],
        summary: 'Return on partner investment per campaign of one partner (a partner: its own)',
        description: MONEY_NOTE,
        request: { query: campaignQuery },
        responses: {
          200: json(ropiCampaignReportSchema, 'One row per campaign of the partner'),
          ...notFoundProblem,
          ...commonProblems,
        },
      }),
      async (c) =>
        c.json(await ropiCampaignReport(deps, principalOf(c), c.req.valid('query').partnerId), 200),
    );
