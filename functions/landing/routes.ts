import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import { campaignPreview } from '#functions/campaigns/preview';
import type { CampaignStore } from '#functions/campaigns/store';
import { createRouter } from '#functions/http/router';
import type { KitDeps } from '#functions/kits/kits';

/**
 * The public co-branded landing page of a launched campaign (`/p/{slug}`), where the email's
 * tracked links lead: the kit's landing template with the partner's brand and the campaign's
 * slot values. Lead capture (the form's POST) is issue 5; until then the form's POST answers
 * 503 with a retry hint rather than pretending to accept a lead it would not keep.
 */
const LIVE = new Set(['sending', 'paused', 'sent']);
const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,80}$/);

/** Landing pages run no script and post only to themselves. */
const CSP =
  "default-src 'none'; img-src https: http://localhost:* http://127.0.0.1:* data:; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const notFound = () =>
  new Response(
    '<!doctype html><title>Not found</title><p>This page does not exist or is no longer available.</p>',
    {
      status: 404,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    },
  );

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
// Any slug reaches the handler, so an unknown or malformed one gets the same HTML 404 page.
const slugParams = z.object({ slug: z.string().max(200) });

export const landingRoutes = (deps: { store: CampaignStore; kits: KitDeps }) =>
  createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/p/{slug}',
        tags: ['Public'],
        summary: 'A launched campaign’s co-branded landing page (public)',
        request: { params: slugParams },
        responses: { 200: html('The landing page'), 404: html('No such live campaign') },
      }),
      async (c) => {
        const slug = slugSchema.safeParse(c.req.valid('param').slug);
        if (!slug.success) return notFound();
        const campaign = await deps.store.bySlug(slug.data);
        if (!campaign || !LIVE.has(campaign.status)) return notFound();
        const partner = await deps.kits.partners.get(campaign.partnerId);
        const { landing } = await campaignPreview(deps.kits, campaign, partner);
        return c.html(landing, 200, {
          'content-security-policy': CSP,
          'cache-control': 'public, max-age=60',
        });
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/p/{slug}',
        tags: ['Public'],
        summary: 'Lead form submission (lead capture arrives with issue 5: 503 until then)',
        request: { params: slugParams },
        responses: { 503: html('Not accepting registrations yet') },
      }),
      (c) =>
        c.html(
          '<!doctype html><title>Not yet</title><p>Registrations open soon. Please try again later.</p>',
          503,
          {
            'retry-after': '3600',
            'cache-control': 'no-store',
          },
        ),
    );
