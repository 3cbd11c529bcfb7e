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
import { approvalQueue, decideCampaign, listNotifications } from './campaigns';
import type { CampaignDeps } from './deps';
import {
  campaignIdSchema,
  campaignSchema,
  decisionRequestSchema,
  notificationSchema,
  pageQuerySchema,
} from './schema';

const approvalPageQuerySchema = pageQuerySchema.extend({
  // Each item carries a full render: keep pages small.
  limit: z.coerce.number().int().min(1).max(25).default(10),
});

const approvalItemSchema = z
  .object({
    campaign: campaignSchema,
    partnerName: z.string(),
    preview: z.object({
      subject: z.string(),
      preheader: z.string(),
      html: z.string(),
      text: z.string(),
      landing: z.string(),
    }),
  })
  .meta({ id: 'ApprovalItem' });

/** Brand compliance (marketing) and what partners are told about its decisions. */
export const approvalRoutes = (deps: CampaignDeps) =>
  createRouter()
    .openapi(
      secureRoute(['marketing'], {
        method: 'get',
        path: '/approvals',
        tags: ['Approvals'],
        summary: 'Campaigns waiting for brand approval, oldest first, each rendered as it will go out',
        request: { query: approvalPageQuerySchema },
        responses: {
          200: json(
            z.object({ items: z.array(approvalItemSchema), nextCursor: z.string().nullable() }),
            'A page of the approval queue',
          ),
          ...commonProblems,
        },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid('query');
        return c.json(await approvalQueue(deps, limit, cursor), 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/approvals/{campaignId}',
        tags: ['Approvals'],
        summary: 'Approve or reject a campaign (a comment is required to reject); the partner is notified',
        request: {
          params: z.strictObject({ campaignId: campaignIdSchema }),
          body: jsonBody(decisionRequestSchema),
        },
        responses: {
          200: json(campaignSchema, 'The campaign with the decision recorded'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const { campaignId } = c.req.valid('param');
        return c.json(await decideCampaign(deps, principalOf(c), campaignId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/notifications',
        tags: ['Notifications'],
        summary: 'My notifications (approval decisions), newest first',
        request: { query: pageQuerySchema },
        responses: {
          200: json(
            z.object({ items: z.array(notificationSchema), nextCursor: z.string().nullable() }),
            'A page of notifications',
          ),
          ...commonProblems,
        },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid('query');
        return c.json(await listNotifications(deps, principalOf(c), limit, cursor), 200);
      },
    );
