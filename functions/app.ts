import type { Logger } from '@aws-lambda-powertools/logger';
import { Scalar } from '@scalar/hono-api-reference';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Role } from '#functions/auth/principal';
import { brandRoutes, LOGO_UPLOAD_BYTES } from '#functions/brand/routes';
import { brandStore } from '#functions/brand/store';
import type { CampaignPorts } from '#functions/campaigns/deps';
import { campaignRoutes } from '#functions/campaigns/routes';
import { campaignStore } from '#functions/campaigns/store';
import { CONTACT_IMPORT_BYTES, contactRoutes } from '#functions/contacts/routes';
import type { ImportMessage } from '#functions/contacts/schema';
import { authenticate } from '#functions/http/auth';
import { problemResponse } from '#functions/http/problem';
import { requestContext } from '#functions/http/request-context';
import { createRouter } from '#functions/http/router';
import { CompileCache } from '#functions/kits/compile-cache';
import { KIT_UPLOAD_BYTES, kitRoutes } from '#functions/kits/routes';
import { kitStore } from '#functions/kits/store';
import { landingRoutes } from '#functions/landing/routes';
import { capabilitiesFrom } from '#functions/meta/capabilities';
import { meRoutes } from '#functions/meta/routes';
import { partnerRoutes } from '#functions/partners/routes';
import { partnerStore } from '#functions/partners/store';
import { type TrackingDeps, trackingRoutes } from '#functions/tracking/routes';
import type { BlobStore } from '#platform/blobs';
import { NotFoundError, PayloadTooLargeError } from '#platform/errors';
import type { VerifyToken } from '#platform/jwt';
import type { Table } from '#platform/table';

/** Everything the API needs from outside, injected: the Lambda entry and the embedded runtime build it. */
export interface AppDeps {
  table: Table;
  verifyToken: VerifyToken;
  logger: Logger;
  clock: () => Date;
  newId: () => string;
  maxBodyBytes: number;
  version: string;
  blobs: BlobStore;
  /** The public origin (CloudFront in AWS): kit asset URLs, landing pages and links use it. */
  publicBaseUrl: string;
  vendor: { name: string; website: string };
  /** Hands a contacts import to the import worker (SQS in AWS, the in-process queue locally). */
  enqueueContactImport: (message: ImportMessage) => Promise<void>;
  /** What campaigns take from contacts, the send queue, the scheduler and the counters. */
  campaignPorts: CampaignPorts;
  /** The public tracking and unsubscribe routes' collaborators (no mailer). */
  tracking: TrackingDeps;
}

/** Routes that take more than the default body limit. */
const bodyLimits: Record<string, number> = {
  'POST /api/kits': KIT_UPLOAD_BYTES,
  'POST /api/brand/logo': LOGO_UPLOAD_BYTES,
  'POST /api/contacts/imports': CONTACT_IMPORT_BYTES,
};

export const createApp = (deps: AppDeps) => {
  const partners = partnerStore(deps.table);
  const brands = brandStore(deps.table);
  const campaigns = campaignStore(deps.table);
  const kitDeps = {
    kits: kitStore(deps.table),
    blobs: deps.blobs,
    partners,
    brands,
    compiled: new CompileCache(),
    clock: deps.clock,
    publicBaseUrl: deps.publicBaseUrl,
    vendor: deps.vendor,
  };
  const app = createRouter();
  app.onError((error, c) => problemResponse(c, error));
  app.notFound((c) => problemResponse(c, new NotFoundError(`no route for ${c.req.method} ${c.req.path}`)));
  app.use('*', requestContext(deps.logger, deps.newId));
  app.use('*', secureHeaders());
  app.use('*', (c, next) => {
    const maxSize = bodyLimits[`${c.req.method} ${c.req.path}`] ?? deps.maxBodyBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new PayloadTooLargeError(`the body exceeds ${maxSize} bytes`);
      },
    })(c, next);
  });
  app.use('/api/*', authenticate(deps.verifyToken));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito ID token (in AWS) or a dev-issuer token (npm start)',
  });

  let capabilityList: ReturnType<typeof capabilitiesFrom> | undefined;
  const capabilities = (role: Role) => {
    capabilityList ??= capabilitiesFrom(openApiDocument().paths ?? {});
    return capabilityList.filter((cap) => cap.roles.includes(role));
  };

  const api = app
    .get('/health', (c) => c.json({ status: 'ok', version: deps.version, time: deps.clock().toISOString() }))
    .route('/api', partnerRoutes({ partners, clock: deps.clock, newId: deps.newId }))
    .route(
      '/api',
      brandRoutes({ brands, clock: deps.clock, blobs: deps.blobs, publicBaseUrl: deps.publicBaseUrl }),
    )
    .route('/api', kitRoutes(kitDeps))
    .route(
      '/api',
      contactRoutes({
        table: deps.table,
        blobs: deps.blobs,
        enqueue: deps.enqueueContactImport,
        clock: deps.clock,
        newId: deps.newId,
      }),
    )
    .route(
      '/api',
      campaignRoutes({
        store: campaigns,
        kits: kitDeps,
        ...deps.campaignPorts,
        clock: deps.clock,
        newId: deps.newId,
      }),
    )
    .route('/', trackingRoutes(deps.tracking))
    .route('/', landingRoutes({ store: campaigns, kits: kitDeps }))
    .route('/api', meRoutes({ partners, capabilities }));

  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'ChannelKit API',
      version: deps.version,
      description:
        'Campaign kits, co-branded partner sends, leads and MDF. Errors are RFC 9457 problem+json; `x-roles` names who may call each operation.',
    },
  };
  const openApiDocument = () => app.getOpenAPI31Document(documentConfig);
  app.doc31('/openapi.json', documentConfig);
  // The reference UI's script comes from our own origin (web/dist/vendor), with no fonts or
  // telemetry from Scalar's servers, so /docs works offline and tells no one it was opened.
  app.get(
    '/docs',
    Scalar({
      url: '/openapi.json',
      cdn: '/vendor/scalar-api-reference.js',
      pageTitle: 'ChannelKit API',
      withDefaultFonts: false,
      telemetry: false,
    }),
  );
  return api;
};

export type AppType = ReturnType<typeof createApp>;
