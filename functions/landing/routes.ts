import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import * as z from 'zod';
import { campaignPreview } from '#functions/campaigns/preview';
import type { Campaign } from '#functions/campaigns/schema';
import type { CampaignStore } from '#functions/campaigns/store';
import { clientAddress } from '#functions/http/client-address';
import type { AppEnv } from '#functions/http/env';
import { problemResponse } from '#functions/http/problem';
import { createRouter } from '#functions/http/router';
import type { KitDeps } from '#functions/kits/kits';
import { LEAD_FORM_SCRIPT } from '#functions/kits/render';
import { type CaptureDeps, captureLead, type LandingFacts, signShown } from '#functions/leads/capture';
import { BadRequestError, PayloadTooLargeError, ThrottledError, ValidationError } from '#platform/errors';
import { LEAD_FORM_JS } from './lead-form-script';

/**
 * The public co-branded landing page of a launched campaign (`/p/{slug}`), where the email's
 * tracked links lead, and its lead form. The page is the kit's landing template with the
 * partner's brand and the campaign's slot values; its form carries the visit's UTM parameters,
 * the click it came from and a signed render time back to the POST. The form works without
 * script (a plain POST answered with a page) and with it (the page's one script posts it and
 * shows the answer in place, no reload).
 */
const LIVE = new Set(['sending', 'paused', 'sent']);
const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,80}$/);
/** A lead form is a few fields: anything bigger is not one. */
export const LEAD_FORM_BYTES = 16 * 1024;

/** Landing pages run only their own script and post only to themselves. */
const CSP =
  "default-src 'none'; img-src https: http://localhost:* http://127.0.0.1:* data:; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const NO_STORE = { 'cache-control': 'no-store' } as const;

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1f2933}a{color:#0b5cad}</style></head><body>${body}</body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const notFound = () =>
  new Response(page('Not found', '<p>This page does not exist or is no longer available.</p>'), {
    status: 404,
    headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE },
  });

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
// Any slug reaches the handler, so an unknown or malformed one gets the same HTML 404 page.
const slugParams = z.object({ slug: z.string().max(200) });
const visitQuery = z.looseObject({});

export interface LandingDeps {
  store: CampaignStore;
  kits: KitDeps;
  capture: Omit<CaptureDeps, 'landing'>;
}

const UTM_FIELDS = ['source', 'medium', 'campaign', 'content', 'term'] as const;
const CLICK_TOKEN = /^[A-Za-z0-9._~-]{20,256}$/;

/** The visit's UTM parameters and click token, carried by the page's form as hidden fields. */
const visitFields = (query: Record<string, unknown>) => {
  const fields: Record<string, string> = {};
  for (const name of UTM_FIELDS) {
    const value = query[`utm_${name}`];
    if (typeof value === 'string' && value.trim()) fields[`utm_${name}`] = value.trim().slice(0, 200);
  }
  if (typeof query.ck === 'string' && CLICK_TOKEN.test(query.ck)) fields.ck_click = query.ck;
  return fields;
};

const wantsJson = (c: Context<AppEnv>) => (c.req.header('accept') ?? '').includes('application/json');

/** The form's fields as text, from a urlencoded or multipart POST (no JS) or JSON (the script). */
const jsonEntries = (text: string): [string, string][] => {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequestError('the body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new BadRequestError('send a JSON object');
  return Object.entries(body).flatMap(([name, value]): [string, string][] =>
    typeof value === 'string'
      ? [[name, value]]
      : typeof value === 'boolean'
        ? [[name, value ? 'yes' : '']]
        : [],
  );
};

const multipartEntries = async (type: string, text: string): Promise<[string, string][]> => {
  try {
    const data = await new Response(text, { headers: { 'content-type': type } }).formData();
    return [...data.entries()].flatMap(([name, value]): [string, string][] =>
      typeof value === 'string' ? [[name, value]] : [],
    );
  } catch {
    throw new BadRequestError('the multipart body could not be read');
  }
};

/** The form's fields by name, from a urlencoded or multipart body (no JS) or JSON (the page's script). */
const formEntries = (type: string, text: string): [string, string][] | Promise<[string, string][]> => {
  if (type.startsWith('application/json')) return jsonEntries(text);
  if (type.startsWith('application/x-www-form-urlencoded')) return [...new URLSearchParams(text).entries()];
  if (type.startsWith('multipart/form-data')) return multipartEntries(type, text);
  throw new ValidationError(
    'send the form as application/x-www-form-urlencoded, multipart/form-data or JSON',
    [{ path: 'header.content-type', message: 'an HTML form or JSON body' }],
  );
};

/** The form's fields as text; a body past LEAD_FORM_BYTES is refused before it is parsed. */
const readForm = async (c: Context<AppEnv>): Promise<Record<string, string>> => {
  const tooLarge = () => new PayloadTooLargeError(`a lead form is at most ${LEAD_FORM_BYTES} bytes`);
  if (Number(c.req.header('content-length') ?? '0') > LEAD_FORM_BYTES) throw tooLarge();
  const text = await c.req.text();
  if (Buffer.byteLength(text) > LEAD_FORM_BYTES) throw tooLarge();
  const entries = await formEntries((c.req.header('content-type') ?? '').toLowerCase(), text);
  // The first value of a repeated name, as a form with one field of each name sends.
  const form: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!(name in form) && name.length <= 40) form[name] = value.slice(0, 5000);
  }
  return form;
};

export const landingRoutes = (deps: LandingDeps) => {
  /** The landing facts capture needs, per campaign, for a minute (a burst of posts renders once). */
  const facts = new Map<string, { at: number; facts: Promise<LandingFacts> }>();
  const landingFacts = (campaign: Campaign): Promise<LandingFacts> => {
    const now = Date.now();
    const hit = facts.get(campaign.id);
    if (hit && now - hit.at < 60_000) return hit.facts;
    const loaded = (async () => {
      const partner = await deps.kits.partners.get(campaign.partnerId);
      const preview = await campaignPreview(deps.kits, campaign, partner);
      const kit = await deps.kits.kits.getVersion(campaign.kitId, campaign.kitVersion);
      if (!kit) throw new Error(`kit ${campaign.kitId}@${campaign.kitVersion} is gone`);
      return {
        manifest: kit.manifest,
        consent: preview.consent,
        page: `${deps.kits.publicBaseUrl.replace(/\/$/, '')}/p/${campaign.slug}`,
      };
    })();
    loaded.catch(() => facts.delete(campaign.id));
    if (facts.size > 500) facts.clear();
    facts.set(campaign.id, { at: now, facts: loaded });
    return loaded;
  };
  const capture: CaptureDeps = { ...deps.capture, landing: landingFacts };

  /**
   * Campaigns by slug, kept 30 s: a burst of visits and posts reads the campaign once. A
   * campaign that stops being live (cancelled) stops taking leads within that time.
   */
  const bySlug = new Map<string, { at: number; campaign: Promise<Campaign | undefined> }>();
  const liveCampaign = async (rawSlug: string) => {
    const slug = slugSchema.safeParse(rawSlug);
    if (!slug.success) return undefined;
    const now = Date.now();
    let hit = bySlug.get(slug.data);
    if (!hit || now - hit.at > 30_000) {
      hit = { at: now, campaign: deps.store.bySlug(slug.data) };
      hit.campaign.catch(() => bySlug.delete(slug.data));
      if (bySlug.size > 1000) bySlug.clear();
      bySlug.set(slug.data, hit);
    }
    const campaign = await hit.campaign;
    return campaign && LIVE.has(campaign.status) ? campaign : undefined;
  };

  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/p/{slug}',
        tags: ['Public'],
        summary: 'A launched campaign’s co-branded landing page (public)',
        description:
          'Query `utm_*` parameters and `ck` (the click token the email’s redirect adds) are carried by the lead form.',
        request: { params: slugParams, query: visitQuery },
        responses: { 200: html('The landing page'), 404: html('No such live campaign') },
      }),
      async (c) => {
        const campaign = await liveCampaign(c.req.valid('param').slug);
        if (!campaign) return notFound();
        const partner = await deps.kits.partners.get(campaign.partnerId);
        const hidden = {
          ...visitFields(c.req.query()),
          ck_shown: signShown(deps.capture.formKey, campaign.id, deps.capture.clock()),
        };
        const { landing } = await campaignPreview(deps.kits, campaign, partner, hidden);
        // Each page carries its own render time and visit: never shared from a cache.
        return c.html(landing, 200, { 'content-security-policy': CSP, ...NO_STORE });
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/p/{slug}',
        tags: ['Public'],
        summary:
          'Lead form submission (public): a plain form POST gets a page, `Accept: application/json` gets JSON',
        description:
          'Fields are checked against the kit’s declared form fields; a filled honeypot is answered like a success and stored nowhere; bursts from one address and floods of one campaign get 429 with Retry-After.',
        request: { params: slugParams },
        responses: {
          200: html('Received (a lead was stored or updated)'),
          400: html('Malformed body'),
          404: html('No such live campaign'),
          413: html('Body larger than a form'),
          422: html('Invalid fields, named'),
          429: html('Too many submissions; retry after the given time'),
        },
      }),
      async (c) => {
        const campaign = await liveCampaign(c.req.valid('param').slug);
        if (!campaign) return notFound();
        const json = wantsJson(c);
        try {
          const form = await readForm(c);
          const outcome = await captureLead(capture, campaign, form, {
            clientAddress: clientAddress(c),
            clickToken: form.ck_click,
            shownToken: form.ck_shown,
            utm: Object.fromEntries(
              UTM_FIELDS.flatMap((name) => {
                const value = form[`utm_${name}`]?.trim().slice(0, 200);
                return value ? [[name, value]] : [];
              }),
            ),
          });
          if (outcome.kind === 'invalid')
            throw new ValidationError('some fields need another look', outcome.errors);
          if (outcome.kind === 'limited') {
            c.header('retry-after', String(outcome.retryAfterSeconds));
            throw new ThrottledError('too many submissions just now; please try again shortly');
          }
          const message = 'Thank you! We have your details and will be in touch.';
          if (json) return c.json({ status: 'received', message }, 200, NO_STORE);
          const back = `/p/${campaign.slug}`;
          return c.html(
            page(
              'Thank you',
              `<h1>Thank you</h1><p>${message}</p><p><a href="${back}">Back to the page</a></p>`,
            ),
            200,
            NO_STORE,
          );
        } catch (error) {
          if (json || !(error instanceof Error) || !('status' in error)) return problemResponse(c, error);
          return friendlyError(c, error, `/p/${campaign.slug}`);
        }
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: LEAD_FORM_SCRIPT,
        tags: ['Public'],
        summary: 'The landing page’s only script: posts the lead form without a reload (public)',
        responses: {
          200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } },
        },
      }),
      (c) =>
        c.body(LEAD_FORM_JS, 200, {
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'public, max-age=3600',
          'x-content-type-options': 'nosniff',
        }),
    );
};

/** The same problem as a page a person can read, with the fields named and a way back. */
const friendlyError = (c: Context<AppEnv>, error: Error & { status?: unknown }, back: string) => {
  const status = typeof error.status === 'number' ? error.status : 400;
  const fields = error instanceof ValidationError ? (error.errors ?? []) : [];
  const list = fields.length
    ? `<ul>${fields.map((f) => `<li>${escapeHtml(f.path.replace(/^body\./, '').replace(/_/g, ' '))} ${escapeHtml(f.message)}</li>`).join('')}</ul>`
    : '';
  const body = `<h1>Please check the form</h1><p>${escapeHtml(error.message)}</p>${list}<p><a href="${back}">Back to the form</a></p>`;
  return c.html(page('Please check the form', body), status as 400 | 404 | 413 | 422 | 429, NO_STORE);
};
