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
import { NotFoundError, UnsupportedMediaTypeError } from '#platform/errors';
import {
  getKitVersion,
  type KitDeps,
  library,
  libraryKitDetail,
  previewForMarketing,
  previewForPartner,
  publishKit,
  retireKit,
  uploadKit,
} from './kits';
import { KIT_ID, SEMVER } from './manifest';
import {
  kitHeadSchema,
  kitVersionDetailSchema,
  libraryKitDetailSchema,
  libraryQuerySchema,
  librarySummarySchema,
  previewRequestSchema,
  previewSchema,
  reportSchema,
  uploadResultSchema,
  versionSummarySchema,
} from './schema';

/** Kit zips arrive through API Gateway and Lambda, whose request payload limit is 6 MB. */
export const KIT_UPLOAD_BYTES = 4 * 1024 * 1024;

const tags = ['Kits'];
const kitParams = z.strictObject({ kitId: z.string().regex(KIT_ID, 'a kit id').max(64) });
const versionParams = kitParams.extend({ version: z.string().regex(SEMVER, 'a semantic version').max(64) });

const detail = (kit: Awaited<ReturnType<typeof getKitVersion>>) => ({
  id: kit.kitId,
  version: kit.semver,
  status: kit.status,
  manifest: kit.manifest,
  report: kit.report,
  assets: kit.assets,
  uploadedAt: kit.uploadedAt,
  publishedAt: kit.publishedAt ?? null,
  retiredAt: kit.retiredAt ?? null,
});

export const kitRoutes = (deps: KitDeps) =>
  createRouter()
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/kits',
        tags,
        summary: 'Upload a kit (.zip) as a draft version, with its validation report',
        description: `The body is the kit folder zipped (at most ${KIT_UPLOAD_BYTES / 1024 / 1024} MB). A kit whose manifest cannot be read answers 422 with the report; otherwise the draft is stored with its report, errors included, and only an error-free draft can be published.`,
        request: {
          body: {
            required: true,
            content: { 'application/zip': { schema: z.string().meta({ format: 'binary' }) } },
          },
        },
        responses: {
          201: json(uploadResultSchema, 'The draft version and its report'),
          ...commonProblems,
          ...conflictProblem,
          422: {
            description: 'The kit cannot be read; `report` says why',
            content: { 'application/problem+json': { schema: z.object({ report: reportSchema }).loose() } },
          },
        },
      }),
      async (c) => {
        const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/zip' && type !== 'application/x-zip-compressed') {
          throw new UnsupportedMediaTypeError('send the kit as application/zip');
        }
        const kit = await uploadKit(deps, principalOf(c), new Uint8Array(await c.req.arrayBuffer()));
        c.header('location', `/api/kits/${kit.kitId}/versions/${kit.semver}`);
        return c.json({ id: kit.kitId, version: kit.semver, status: kit.status, report: kit.report }, 201);
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor'], {
        method: 'get',
        path: '/kits',
        tags,
        summary: 'List kits with their latest and published versions',
        responses: { 200: json(z.object({ items: z.array(kitHeadSchema) }), 'Every kit'), ...commonProblems },
      }),
      async (c) => c.json({ items: await deps.kits.heads() }, 200),
    )
    .openapi(
      secureRoute(['marketing', 'auditor'], {
        method: 'get',
        path: '/kits/{kitId}',
        tags,
        summary: 'A kit’s versions, newest first',
        request: { params: kitParams },
        responses: {
          200: json(z.object({ kit: kitHeadSchema, versions: z.array(versionSummarySchema) }), 'The kit'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const { kitId } = c.req.valid('param');
        const [head, versions] = await Promise.all([deps.kits.getHead(kitId), deps.kits.versions(kitId)]);
        if (!head) throw new NotFoundError(`no kit ${kitId}`);
        return c.json(
          {
            kit: head,
            versions: versions.map((v) => ({
              version: v.semver,
              status: v.status,
              name: v.manifest.name,
              uploadedAt: v.uploadedAt,
              uploadedBy: v.uploadedBy,
              publishedAt: v.publishedAt ?? null,
              retiredAt: v.retiredAt ?? null,
              errors: v.report.errors.length,
              warnings: v.report.warnings.length,
            })),
          },
          200,
        );
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor'], {
        method: 'get',
        path: '/kits/{kitId}/versions/{version}',
        tags,
        summary: 'One version: manifest, validation report, assets',
        request: { params: versionParams },
        responses: {
          200: json(kitVersionDetailSchema, 'The version'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const { kitId, version } = c.req.valid('param');
        return c.json(detail(await getKitVersion(deps, kitId, version)), 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/kits/{kitId}/versions/{version}/publish',
        tags,
        summary: 'Publish an error-free draft: immutable, and in the library of eligible partners',
        request: { params: versionParams },
        responses: {
          200: json(kitVersionDetailSchema, 'The published version'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const { kitId, version } = c.req.valid('param');
        return c.json(detail(await publishKit(deps, kitId, version)), 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/kits/{kitId}/versions/{version}/retire',
        tags,
        summary: 'Retire a published version: hidden from new launches (campaigns keep it)',
        request: { params: versionParams },
        responses: {
          200: json(kitVersionDetailSchema, 'The retired version'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const { kitId, version } = c.req.valid('param');
        return c.json(detail(await retireKit(deps, kitId, version)), 200);
      },
    )
    .openapi(
      secureRoute(['marketing'], {
        method: 'post',
        path: '/kits/{kitId}/versions/{version}/preview',
        tags,
        summary: 'Render any version with a sample partner brand and the given slot values',
        request: { params: versionParams, body: jsonBody(previewRequestSchema) },
        responses: {
          200: json(previewSchema, 'The rendered kit'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const { kitId, version } = c.req.valid('param');
        return c.json(await previewForMarketing(deps, kitId, version, c.req.valid('json').slots), 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/library',
        tags: ['Library'],
        summary: 'Kits my partner is eligible for (tier and region), filtered by text, language and tags',
        request: { query: libraryQuerySchema },
        responses: {
          200: json(
            z.object({
              items: z.array(librarySummarySchema),
              facets: z.object({
                languages: z.array(z.string()),
                products: z.array(z.string()),
                verticals: z.array(z.string()),
                objectives: z.array(z.string()),
              }),
            }),
            'Eligible kits',
          ),
          ...commonProblems,
        },
      }),
      async (c) => c.json(await library(deps, principalOf(c), c.req.valid('query')), 200),
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/library/{kitId}',
        tags: ['Library'],
        summary: 'One eligible kit: its slots and lead form (404 if not eligible)',
        request: { params: kitParams },
        responses: { 200: json(libraryKitDetailSchema, 'The kit'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => c.json(await libraryKitDetail(deps, principalOf(c), c.req.valid('param').kitId), 200),
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/library/{kitId}/preview',
        tags: ['Library'],
        summary: 'Preview the kit co-branded with my brand and these slot values (errors per slot)',
        request: { params: kitParams, body: jsonBody(previewRequestSchema) },
        responses: { 200: json(previewSchema, 'The rendered kit'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) =>
        c.json(
          await previewForPartner(
            deps,
            principalOf(c),
            c.req.valid('param').kitId,
            c.req.valid('json').slots,
          ),
          200,
        ),
    );
