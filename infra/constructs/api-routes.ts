import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';

/**
 * Every path the HTTP API serves, with the CloudFront path pattern that sends it there.
 * One list, so the API's routes and the distribution's behaviours cannot drift apart.
 * DESIGN.md "URL space": `/api/...` needs a token; the rest is public by design.
 */
export interface ApiRoute {
  /** API Gateway route path. */
  readonly path: string;
  readonly methods: readonly HttpMethod[];
  /** CloudFront behaviour path pattern for the same URLs. */
  readonly pathPattern: string;
  /** `token`: a Cognito ID token is required at the gateway (and verified again in the function). */
  readonly access: 'token' | 'public';
  /** Why a public route is public: becomes the cdk-nag acknowledgement's reason. */
  readonly whyPublic?: string;
}

export const apiRoutes: readonly ApiRoute[] = [
  { path: '/api/{proxy+}', methods: [HttpMethod.ANY], pathPattern: '/api/*', access: 'token' },
  {
    path: '/health',
    methods: [HttpMethod.GET],
    pathPattern: '/health',
    access: 'public',
    whyPublic: 'Health check for monitors and load tests; answers status only, no data.',
  },
  {
    path: '/openapi.json',
    methods: [HttpMethod.GET],
    pathPattern: '/openapi.json',
    access: 'public',
    whyPublic: 'The published API contract (OWASP API9 inventory); describes routes, returns no data.',
  },
  {
    path: '/docs',
    methods: [HttpMethod.GET],
    pathPattern: '/docs',
    access: 'public',
    whyPublic: 'Browsable API reference rendered from /openapi.json; static documentation only.',
  },
  {
    path: '/p/{proxy+}',
    methods: [HttpMethod.ANY],
    pathPattern: '/p/*',
    access: 'public',
    whyPublic: "Campaign landing pages and their lead forms are for a partner's anonymous contacts.",
  },
  {
    path: '/t/{proxy+}',
    methods: [HttpMethod.ANY],
    pathPattern: '/t/*',
    access: 'public',
    whyPublic: 'Open pixel and click redirect are fetched by mail clients; each URL carries a signed token.',
  },
  {
    path: '/u/{proxy+}',
    methods: [HttpMethod.ANY],
    pathPattern: '/u/*',
    access: 'public',
    whyPublic: 'RFC 8058 one-click unsubscribe must work without a login; each URL carries a signed token.',
  },
];
