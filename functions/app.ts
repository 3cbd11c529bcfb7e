import type { Logger } from '@aws-lambda-powertools/logger';
import { Scalar } from '@scalar/hono-api-reference';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Role } from '#functions/auth/principal';
import { authenticate } from '#functions/http/auth';
import { problemResponse } from '#functions/http/problem';
import { requestContext } from '#functions/http/request-context';
import { createRouter } from '#functions/http/router';
import { capabilitiesFrom } from '#functions/meta/capabilities';
import { meRoutes } from '#functions/meta/routes';
import { partnerRoutes } from '#functions/partners/routes';
import { partnerStore } from '#functions/partners/store';
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
}

export const createApp = (deps: AppDeps) => {
  const partners = partnerStore(deps.table);
  const app = createRouter();
  app.onError((error, c) => problemResponse(c, error));
  app.notFound((c) => problemResponse(c, new NotFoundError(`no route for ${c.req.method} ${c.req.path}`)));
  app.use('*', requestContext(deps.logger, deps.newId));
  app.use('*', secureHeaders());
  app.use(
    '*',
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: () => {
        throw new PayloadTooLargeError(`the body exceeds ${deps.maxBodyBytes} bytes`);
      },
    }),
  );
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
