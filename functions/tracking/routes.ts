import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '#functions/http/env';
import { problemResponse, problemSchema } from '#functions/http/problem';
import { createRouter } from '#functions/http/router';
import { type ClickRules, type EngagementDeps, recordClick, recordOpen } from '#functions/sending/engagement';
import type { Suppressions } from '#functions/sending/ports';
import type { SendRecord, SendRecords } from '#functions/sending/send-records';
import type { TokenSigner } from '#functions/sending/tokens';
import { NotFoundError } from '#platform/errors';
import { page, unsubscribeDonePage, unsubscribeNotFoundPage, unsubscribePage } from './pages';
import { sentSendFor as sendFor, unsubscribeSend } from './unsubscribe';

/**
 * Public tracking and unsubscribe routes (no auth; mounted at the root): `/t/o/{token}` open
 * pixel, `/t/c/{token}` click redirect, `/u/{token}` unsubscribe (GET shows a page, POST per
 * RFC 8058 unsubscribes). Every token is verified (HMAC, purpose, age) before anything is read;
 * a bad token is a 404 and nothing else.
 */
export interface TrackingDeps extends EngagementDeps {
  tokens: TokenSigner;
  records: SendRecords;
  suppressions: Pick<Suppressions, 'suppress'>;
  clock: () => Date;
  clickRules?: ClickRules;
  /**
   * The landing pages' URL prefix (`<public origin>/p/`): a click to one carries its token on
   * as `ck`, so a lead submitted there is attributed to this send.
   */
  landingPrefix?: string;
}

/** The landing URL with the click token as `ck` (kept: any query and fragment it had). */
export const withClickToken = (link: string, token: string): string => {
  const url = new URL(link);
  url.searchParams.set('ck', token);
  return url.toString();
};

/** The classic transparent 1×1 GIF, 43 bytes. */
export const PIXEL = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

const NO_STORE = { 'cache-control': 'no-store, private', pragma: 'no-cache' } as const;
const tokenParams = z.strictObject({
  token: z
    .string()
    .min(20)
    .max(256)
    .regex(/^[A-Za-z0-9._~-]+$/),
});
const notFoundJson = (c: Context<AppEnv>) => problemResponse(c, new NotFoundError('no such link'));
const notFound = {
  description: 'Unknown, tampered or expired token',
  content: { 'application/problem+json': { schema: problemSchema } },
};
const tags = ['Tracking'];

const quietly = async (c: Context<AppEnv>, what: string, work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (error) {
    // Counting must never cost the reader the pixel or the redirect.
    c.get('logger')?.warn(`could not record ${what}`, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
};

const unsubscribeForm = z.looseObject({ 'List-Unsubscribe': z.literal('One-Click').optional() });

const readForm = async (c: Context<AppEnv>): Promise<unknown> => {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  return c.req.parseBody();
};

export const trackingRoutes = (deps: TrackingDeps) => {
  const html = (c: Context<AppEnv>, body: string, status: 200 | 400 | 404) =>
    c.html(body, status, { ...NO_STORE, 'x-robots-tag': 'noindex' });

  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/t/o/{token}',
        tags,
        summary: 'Open pixel (a 1×1 GIF); counts the open of a send',
        request: { params: tokenParams },
        responses: {
          200: { description: 'The pixel', content: { 'image/gif': { schema: z.string() } } },
          404: notFound,
        },
      }),
      async (c) => {
        const found = await sendFor(deps, c.req.valid('param').token, 'open');
        if (!found) return notFoundJson(c);
        await quietly(c, 'an open', () => recordOpen(deps, found.record, deps.clock()));
        return c.body(new Uint8Array(PIXEL), 200, { 'content-type': 'image/gif', ...NO_STORE });
      },
      (result, c) => (result.success ? undefined : notFoundJson(c)),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/t/c/{token}',
        tags,
        summary: 'Click redirect to a link that was in the email',
        description: 'HEAD requests (scanners) redirect too and count as raw clicks, never as human ones.',
        request: { params: tokenParams },
        responses: { 302: { description: 'Redirect to the link' }, 404: notFound },
      }),
      async (c) => {
        const found = await sendFor(deps, c.req.valid('param').token, 'click');
        if (found?.claims.purpose !== 'click') return notFoundJson(c);
        const link = found.record.links[found.claims.link];
        if (!link || !/^https?:\/\//i.test(link)) return notFoundJson(c);
        const method = c.req.method === 'HEAD' ? 'HEAD' : 'GET';
        const record: SendRecord = found.record;
        const click = { link: found.claims.link, at: deps.clock(), method } as const;
        await quietly(c, 'a click', () => recordClick(deps, record, click, deps.clickRules));
        const location =
          deps.landingPrefix && link.startsWith(deps.landingPrefix)
            ? withClickToken(link, c.req.valid('param').token)
            : link;
        return c.body(null, 302, { location, ...NO_STORE, 'referrer-policy': 'no-referrer' });
      },
      (result, c) => (result.success ? undefined : notFoundJson(c)),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/u/{token}',
        tags,
        summary: 'Unsubscribe confirmation page (changes nothing: link scanners prefetch)',
        request: { params: tokenParams },
        responses: {
          200: {
            description: 'A page with a button that POSTs',
            content: { 'text/html': { schema: z.string() } },
          },
          404: {
            description: 'Unknown, tampered or expired link',
            content: { 'text/html': { schema: z.string() } },
          },
        },
      }),
      async (c) => {
        const found = await sendFor(deps, c.req.valid('param').token, 'unsubscribe');
        if (!found) return html(c, unsubscribeNotFoundPage, 404);
        return html(c, found.record.unsubscribedAt ? unsubscribeDonePage : unsubscribePage, 200);
      },
      (result, c) => (result.success ? undefined : html(c, unsubscribeNotFoundPage, 404)),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/u/{token}',
        tags,
        summary: 'One-click unsubscribe (RFC 8058): suppresses the address for the partner',
        description:
          'Body `List-Unsubscribe=One-Click` as application/x-www-form-urlencoded or multipart/form-data (or the page’s own form). No cookie, login or redirect; the address is suppressed before the 200.',
        request: { params: tokenParams },
        responses: {
          200: { description: 'Unsubscribed', content: { 'text/html': { schema: z.string() } } },
          400: {
            description: 'A body that is not a one-click unsubscribe',
            content: { 'text/html': { schema: z.string() } },
          },
          404: {
            description: 'Unknown, tampered or expired link',
            content: { 'text/html': { schema: z.string() } },
          },
        },
      }),
      async (c) => {
        const found = await sendFor(deps, c.req.valid('param').token, 'unsubscribe');
        if (!found) return html(c, unsubscribeNotFoundPage, 404);
        if (!unsubscribeForm.safeParse(await readForm(c)).success) {
          return html(c, page('Unsubscribe', '<p>That request was not understood.</p>'), 400);
        }
        // The same unsubscribe as a mailto received by SES (./unsubscribe.ts).
        await unsubscribeSend(deps, found.record);
        return html(c, unsubscribeDonePage, 200);
      },
      (result, c) => (result.success ? undefined : html(c, unsubscribeNotFoundPage, 404)),
    );
};
