import * as z from 'zod';
import { callerPartnerId } from '#functions/auth/tenancy';
import { principalOf } from '#functions/http/env';
import { etagOf, ifMatchHeaders, versionFromIfMatch } from '#functions/http/etag';
import { problemSchema } from '#functions/http/problem';
import {
  commonProblems,
  createRouter,
  json,
  jsonBody,
  notFoundProblem,
  preconditionProblems,
  secureRoute,
} from '#functions/http/router';
import { partnerIdSchema } from '#functions/partners/schema';
import { ForbiddenError } from '#platform/errors';
import { type BrandDeps, getBrand, removeLogo, saveBrand, uploadLogo } from './brand';
import { brandInputSchema, brandSchema, LOGO_LIMITS, logoUploadedSchema } from './schema';

/** The body limit of a logo upload (functions/app.ts `bodyLimits`). */
export const LOGO_UPLOAD_BYTES = LOGO_LIMITS.bytes;

const tags = ['Brand'];
const savedSchema = z
  .object({
    brand: brandSchema,
    warnings: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .meta({ id: 'BrandSaved' });

const binary = { schema: z.string().meta({ format: 'binary' }) };
const logoBody = {
  required: true,
  content: { 'image/png': binary, 'image/jpeg': binary, 'image/webp': binary },
};
const logoProblem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

const ownPartner = (principal: Parameters<typeof callerPartnerId>[0]) => {
  const partnerId = callerPartnerId(principal);
  if (!partnerId) throw new ForbiddenError('only partner users have a brand profile');
  return partnerId;
};

export const brandRoutes = (deps: BrandDeps) =>
  createRouter()
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/brand',
        tags,
        summary: 'My brand profile (what kit templates show as brand.*)',
        responses: { 200: json(brandSchema, 'The brand profile'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const principal = principalOf(c);
        const brand = await getBrand(deps, principal, ownPartner(principal));
        c.header('etag', etagOf(brand.version));
        return c.json(brand, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'put',
        path: '/brand',
        tags,
        summary: 'Create or replace my brand profile (If-Match when replacing); warns on poor contrast',
        description:
          '`logoUrl` is null or a URL that POST /api/brand/logo answered: one of your own logos under /assets/brands/{yourPartnerId}/ on the public origin, never another partner’s asset or an outside URL.',
        request: {
          headers: ifMatchHeaders,
          body: jsonBody(brandInputSchema),
        },
        responses: {
          200: json(savedSchema, 'The saved profile and any warnings'),
          ...commonProblems,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const ifMatch = c.req.valid('header')['if-match'];
        const expected = ifMatch === undefined ? undefined : versionFromIfMatch(ifMatch);
        const saved = await saveBrand(deps, ownPartner(principalOf(c)), c.req.valid('json'), expected);
        c.header('etag', etagOf(saved.brand.version));
        return c.json(saved, 200);
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/partners/{partnerId}/brand',
        tags,
        summary: 'A partner’s brand profile (partner users: only their own)',
        request: { params: z.strictObject({ partnerId: partnerIdSchema }) },
        responses: { 200: json(brandSchema, 'The brand profile'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => c.json(await getBrand(deps, principalOf(c), c.req.valid('param').partnerId), 200),
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/brand/logo',
        tags,
        summary: 'Upload my logo (PNG, JPEG or WebP) and show it on my brand profile',
        description: `The body is the image itself, its Content-Type image/png, image/jpeg or image/webp. It is judged by its content: the magic bytes must agree with the declared type; no SVG (it can carry script), no animation, nothing truncated; at most ${LOGO_LIMITS.bytes / 1024} KB and ${LOGO_LIMITS.minSide}–${LOGO_LIMITS.maxSide} px on each side (the portal downscales to 600 px wide first). The logo is stored content-addressed on the public origin and the profile's \`logoUrl\` set to it, touching nothing else (no If-Match needed: a concurrent profile edit is kept, and an editor still holding the old ETag gets 412). Without a profile yet, the logo is stored and its URL answered for the profile you create next.`,
        request: { body: logoBody },
        responses: {
          201: json(logoUploadedSchema, 'The stored logo, and the profile showing it'),
          ...commonProblems,
          409: logoProblem('The profile kept changing while the logo was set; retry'),
          413: logoProblem(`Larger than ${LOGO_LIMITS.bytes / 1024} KB`),
          415: logoProblem('Declared type is not image/png, image/jpeg or image/webp (SVG included)'),
          422: logoProblem('Not a usable image by its content; `errors` names the problem'),
        },
      }),
      async (c) => {
        const partnerId = ownPartner(principalOf(c));
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const uploaded = await uploadLogo(deps, partnerId, bytes, c.req.header('content-type'));
        c.header('location', uploaded.logoUrl);
        if (uploaded.brand) c.header('etag', etagOf(uploaded.brand.version));
        return c.json(uploaded, 201);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'delete',
        path: '/brand/logo',
        tags,
        summary: 'Take the logo off my brand profile (touches nothing else)',
        responses: {
          200: json(brandSchema, 'The profile without a logo'),
          ...commonProblems,
          ...notFoundProblem,
          409: logoProblem('The profile kept changing; retry'),
        },
      }),
      async (c) => {
        const brand = await removeLogo(deps, ownPartner(principalOf(c)));
        c.header('etag', etagOf(brand.version));
        return c.json(brand, 200);
      },
    );
