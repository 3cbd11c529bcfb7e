import * as z from 'zod';
import { callerPartnerId } from '#functions/auth/tenancy';
import { principalOf } from '#functions/http/env';
import { etagOf, versionFromIfMatch } from '#functions/http/etag';
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
import { type BrandDeps, getBrand, saveBrand } from './brand';
import { brandInputSchema, brandSchema } from './schema';

const tags = ['Brand'];
const savedSchema = z
  .object({
    brand: brandSchema,
    warnings: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .meta({ id: 'BrandSaved' });

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
        request: {
          headers: z.object({ 'if-match': z.string().optional() }),
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
    );
