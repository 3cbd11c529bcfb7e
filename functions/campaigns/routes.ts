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
import { approvalRoutes } from './approval-routes';
import {
  campaignDetail,
  campaignSeries,
  createCampaign,
  listCampaigns,
  submitCampaign,
  updateCampaign,
} from './campaigns';
import type { CampaignDeps } from './deps';
import { partnerOf } from './guards';
import { cancelCampaign, launchCampaign, pauseCampaign, resumeCampaign, scheduleCampaign } from './lifecycle';
import {
  campaignDetailSchema,
  campaignIdSchema,
  campaignPageSchema,
  campaignSchema,
  campaignSeriesSchema,
  createCampaignSchema,
  pageQuerySchema,
  scheduleRequestSchema,
  updateCampaignSchema,
} from './schema';

const tags = ['Campaigns'];
const idParams = z.strictObject({ campaignId: campaignIdSchema });

/** A status change on one of my campaigns: no body, the campaign after it, 409 if illegal now. */
const action = <P extends string>(path: P, summary: string) =>
  secureRoute(['partner'], {
    method: 'post',
    // A literal path type, so the typed client (hc<AppType>) knows each action and its siblings.
    path: `/campaigns/{campaignId}/${path}` as const,
    tags,
    summary,
    request: { params: idParams },
    responses: {
      200: json(campaignSchema, 'The campaign after the change'),
      ...commonProblems,
      ...notFoundProblem,
      ...conflictProblem,
    },
  });

const campaignRoutesOnly = (deps: CampaignDeps) =>
  createRouter()
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/campaigns',
        tags,
        summary: 'Create a campaign from a kit in my library, with slot values and a list',
        request: { body: jsonBody(createCampaignSchema) },
        responses: {
          201: json(campaignSchema, 'The draft campaign'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const campaign = await createCampaign(deps, principalOf(c), c.req.valid('json'));
        c.header('etag', etagOf(campaign.version));
        c.header('location', `/api/campaigns/${campaign.id}`);
        return c.json(campaign, 201);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/campaigns',
        tags,
        summary: 'My campaigns, newest first',
        request: { query: pageQuerySchema },
        responses: { 200: json(campaignPageSchema, 'A page of campaigns'), ...commonProblems },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid('query');
        return c.json(await listCampaigns(deps, principalOf(c), limit, cursor), 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/campaigns/{campaignId}',
        tags,
        summary: 'One of my campaigns, with its send counters',
        request: { params: idParams },
        responses: { 200: json(campaignDetailSchema, 'The campaign'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const campaign = await campaignDetail(deps, principalOf(c), c.req.valid('param').campaignId);
        c.header('etag', etagOf(campaign.version));
        return c.json(campaign, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/campaigns/{campaignId}/series',
        tags,
        summary: 'My campaign’s counters hour by hour (UTC), for its chart',
        request: { params: idParams },
        responses: {
          200: json(campaignSeriesSchema, 'The hourly series'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => c.json(await campaignSeries(deps, principalOf(c), c.req.valid('param').campaignId), 200),
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'patch',
        path: '/campaigns/{campaignId}',
        tags,
        summary: 'Edit a draft or rejected campaign (optimistic concurrency with If-Match)',
        request: {
          params: idParams,
          headers: ifMatchHeaders,
          body: jsonBody(updateCampaignSchema),
        },
        responses: {
          200: json(campaignSchema, 'The campaign after the change'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const campaign = await updateCampaign(
          deps,
          principalOf(c),
          c.req.valid('param').campaignId,
          expected,
          c.req.valid('json'),
        );
        c.header('etag', etagOf(campaign.version));
        return c.json(campaign, 200);
      },
    )
    .openapi(
      action('submit', 'Submit: to brand approval when the kit requires it, else approved'),
      async (c) => c.json(await submitCampaign(deps, principalOf(c), c.req.valid('param').campaignId), 200),
    )
    .openapi(action('launch', 'Launch now (idempotent: a repeated launch sends once)'), async (c) => {
      const partnerId = partnerOf(principalOf(c));
      const { campaign } = await launchCampaign(
        { ...deps, brands: deps.kits.brands },
        partnerId,
        c.req.valid('param').campaignId,
      );
      return c.json(campaign, 200);
    })
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/campaigns/{campaignId}/schedule',
        tags,
        summary: 'Schedule (or reschedule) the launch at a future time',
        request: { params: idParams, body: jsonBody(scheduleRequestSchema) },
        responses: {
          200: json(campaignSchema, 'The scheduled campaign'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const partnerId = partnerOf(principalOf(c));
        const { campaignId } = c.req.valid('param');
        return c.json(await scheduleCampaign(deps, partnerId, campaignId, c.req.valid('json').at), 200);
      },
    )
    .openapi(action('cancel', 'Cancel before or while sending'), async (c) =>
      c.json(await cancelCampaign(deps, partnerOf(principalOf(c)), c.req.valid('param').campaignId), 200),
    )
    .openapi(action('pause', 'Pause sending: no further batches go out until resumed'), async (c) =>
      c.json(await pauseCampaign(deps, partnerOf(principalOf(c)), c.req.valid('param').campaignId), 200),
    )
    .openapi(action('resume', 'Resume a paused campaign (nobody gets the email twice)'), async (c) =>
      c.json(await resumeCampaign(deps, partnerOf(principalOf(c)), c.req.valid('param').campaignId), 200),
    );

/** Everything the campaigns feature serves under /api: mount with `.route('/api', campaignRoutes(deps))`. */
export const campaignRoutes = (deps: CampaignDeps) =>
  createRouter().route('/', campaignRoutesOnly(deps)).route('/', approvalRoutes(deps));
