import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { etagOf, ifMatchHeaders, versionFromIfMatch } from '#functions/http/etag';
import { problemSchema } from '#functions/http/problem';
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
import { UnavailableError } from '#platform/errors';
import type { Table } from '#platform/table';
import {
  createdWebhookSchema,
  deliveryPageQuerySchema,
  deliveryPageSchema,
  deliverySchema,
  type LeadEffectsMessage,
  webhookIdSchema,
  webhookInputSchema,
  webhookListSchema,
  webhookSchema,
} from './schema';
import { type SecretBox, webhookSecretBox } from './secret-box';
import { AWS_URL_POLICY, type UrlPolicy } from './url-guard';
import { webhookStore } from './webhook-store';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  testWebhook,
  updateWebhook,
  type WebhookDeps,
  webhookDeliveries,
} from './webhooks';

/** What the API takes from its runtime for lead effects: the queue, the secret box, the URL policy. */
export interface LeadEffectsApiDeps {
  /** Puts a message on the lead-effects queue (SQS in AWS, in-process locally). */
  enqueue: (message: LeadEffectsMessage) => Promise<void>;
  /** Seals webhook signing secrets (key derived from the tracking secret: `webhookSecretBox`). */
  secrets: SecretBox;
  urlPolicy: UrlPolicy;
}

/**
 * For an API built without a lead-effects queue (tests that do not exercise it): webhooks can be
 * configured, but their secrets open nowhere else and sending a test answers 503.
 */
export const unconfiguredLeadEffects = (): LeadEffectsApiDeps => ({
  enqueue: async () => {
    throw new UnavailableError('the lead-effects queue is not configured here');
  },
  secrets: webhookSecretBox(randomBytes(32).toString('hex')),
  urlPolicy: AWS_URL_POLICY,
});

const tags = ['CRM webhooks'];
const params = z.strictObject({ webhookId: webhookIdSchema });
const unavailable = {
  503: {
    description: 'The lead-effects queue is unavailable; retry later',
    content: { 'application/problem+json': { schema: problemSchema } },
  },
} as const;

/**
 * Marketing's CRM webhooks (issue 5): JSON deliveries of lead events per partner program,
 * signed with `ChannelKit-Signature` (HMAC-SHA256), retried with backoff, every attempt logged.
 */
export const webhookRoutes = (deps: {
  table: Table;
  effects: LeadEffectsApiDeps;
  clock: () => Date;
  newId: () => string;
}) => {
  const feature: WebhookDeps = {
    store: webhookStore(deps.table),
    secrets: deps.effects.secrets,
    enqueue: deps.effects.enqueue,
    urlPolicy: deps.effects.urlPolicy,
    clock: deps.clock,
    newId: deps.newId,
  };
  return createRouter()
    .openapi(
      secureRoute(['marketing'], {
        method: 'get',
        path: '/webhooks',
        tags,
        summary: 'Every CRM webhook (never their secrets)',
        responses: { 200: json(webhookListSchema, 'The webhooks'), ...commonProblems },
      }),
      async (c) => c.json({ items: await listWebhooks(feature) }, 200),
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/webhooks',
        tags,
        summary:
          'Add a CRM webhook: https URL (no private, loopback or link-local host), programs, events. The signing secret is in this answer only.',
        request: { body: jsonBody(webhookInputSchema) },
        responses: {
          201: json(createdWebhookSchema, 'The webhook, with its signing secret (shown once)'),
          ...commonProblems,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const created = await createWebhook(feature, c.req.valid('json'));
        c.header('etag', etagOf(created.version));
        c.header('location', `/api/webhooks/${created.id}`);
        c.header('cache-control', 'no-store');
        return c.json(created, 201);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'put',
        path: '/webhooks/{webhookId}',
        tags,
        summary: 'Change a webhook (send If-Match with its ETag); the secret stays',
        request: {
          params,
          headers: ifMatchHeaders,
          body: jsonBody(webhookInputSchema),
        },
        responses: {
          200: json(webhookSchema, 'The webhook'),
          ...commonProblems,
          ...notFoundProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const webhook = await updateWebhook(
          feature,
          c.req.valid('param').webhookId,
          expected,
          c.req.valid('json'),
        );
        c.header('etag', etagOf(webhook.version));
        return c.json(webhook, 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'delete',
        path: '/webhooks/{webhookId}',
        tags,
        summary: 'Delete a webhook; deliveries still queued for it are cancelled',
        request: { params },
        responses: { 204: { description: 'Deleted' }, ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        await deleteWebhook(feature, c.req.valid('param').webhookId);
        return c.body(null, 204);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'get',
        path: '/webhooks/{webhookId}/deliveries',
        tags,
        summary: 'The delivery log of a webhook, newest first: every attempt with status, duration and error',
        request: { params, query: deliveryPageQuerySchema },
        responses: {
          200: json(deliveryPageSchema, 'A page of deliveries'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid('query');
        return c.json(await webhookDeliveries(feature, c.req.valid('param').webhookId, limit, cursor), 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/webhooks/{webhookId}/test',
        tags,
        summary: 'Send a signed `webhook-test` delivery now (through the queue; see the delivery log)',
        request: { params },
        responses: {
          201: json(deliverySchema, 'The test delivery, queued'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
          ...unavailable,
        },
      }),
      async (c) => {
        const delivery = await testWebhook(feature, c.req.valid('param').webhookId);
        c.header('location', `/api/webhooks/${delivery.webhookId}/deliveries`);
        return c.json(delivery, 201);
      },
    );
};
