import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { fromRoot } from '../paths';
import { acknowledgeWildcards } from './acknowledge';
import type { ApiRoute } from './api-routes';

export interface WebHostingProps {
  /** The HTTP API's endpoint, `https://<id>.execute-api.<region>.amazonaws.com`. */
  readonly apiEndpoint: string;
  /** The API's paths and their CloudFront path patterns. */
  readonly apiRoutes: readonly ApiRoute[];
  /** The blob bucket's public images, served as-is (path = key) at these path patterns. */
  readonly publicBlobs: PublicBlobs;
  /** Origins besides our own that the portal calls with fetch (the Cognito token endpoint). */
  readonly connectSources: readonly string[];
  readonly retain: boolean;
  readonly accessLogExpiration: Duration;
  readonly logRetention: RetentionDays;
}

export interface PublicBlobs {
  /**
   * A reference to the blob bucket (data stack). Its bucket policy already lets this account's
   * distributions read `assets/*` only; the OAC origin cannot (and must not) add to it.
   */
  readonly bucket: IBucket;
  /** CloudFront path patterns under `/assets/` (see `publicBlobPathPatterns`). */
  readonly pathPatterns: readonly string[];
}

export interface PortalDeployment {
  /** The built portal (`web/dist`). Missing: the deployment is skipped with a warning. */
  readonly assetPath: string;
  /** Written next to the portal as `/config.json`; deploy-time values (tokens) allowed. */
  readonly runtimeConfig: Record<string, unknown>;
}

export const WEB_DIST_MISSING_WARNING = '@channelkit/infra:web-dist-missing';

/** HSTS, nosniff, frame and referrer policy: for every response, portal and API alike. */
const baseSecurityHeaders = (override: boolean): ResponseSecurityHeadersBehavior => ({
  strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override },
  contentTypeOptions: { override },
  frameOptions: { frameOption: HeadersFrameOption.DENY, override },
  referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override },
});

/**
 * The portal's Content-Security-Policy. Scripts only from our origin (Vite emits no inline
 * scripts); inline styles allowed (component libraries set style attributes); images may come
 * from partners' sites; fetch only to our origin and the Cognito token endpoint.
 */
const portalCsp = (connectSources: readonly string[]): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connectSources].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');

/**
 * One public origin for everything (DESIGN.md "URL space"): a CloudFront distribution whose
 * default behaviour serves the portal from a private S3 bucket (Origin Access Control) and
 * whose API paths go, uncached and with every viewer header but Host, to the HTTP API.
 * Access logs of CloudFront and of the site bucket land in a separate logs bucket.
 *
 * The URL space has three parts: `apiRoutes` (the one list, shared with the embedded runtime
 * through `apiPathPatterns` in functions/http/paths.ts) go to the API; `publicBlobs.pathPatterns`
 * (`/assets/kits/*`, `/assets/brands/*`) are kit images read from the blob bucket through OAC,
 * cached, GET/HEAD only, without the SPA function (a missing image is S3's 403, never index.html);
 * everything else (including the portal's own `/assets/<bundle>`) is the portal.
 */
export class WebHosting extends Construct {
  readonly siteBucket: Bucket;
  readonly logsBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<id>.cloudfront.net`, no trailing slash. */
  readonly url: string;
  private readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    this.logRetention = props.logRetention;

    this.logsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL grant to the bucket owner.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: props.accessLogExpiration }],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retain,
    });
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would log its own log writes.',
    });

    // The portal's files are a build output, rebuilt and redeployed from git: never retained.
    this.siteBucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      code: FunctionCode.fromFile({ filePath: fromRoot('infra/constructs/spa-routing.js') }),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serves index.html for portal routes (paths without a file extension)',
    });
    const portalHeaders = new ResponseHeadersPolicy(this, 'PortalHeaders', {
      comment: 'ChannelKit portal: CSP and security headers',
      securityHeadersBehavior: {
        ...baseSecurityHeaders(true),
        contentSecurityPolicy: { contentSecurityPolicy: portalCsp(props.connectSources), override: true },
      },
    });
    // The API sets its own headers (and CSP for /docs and landing pages); these only fill gaps.
    const apiHeaders = new ResponseHeadersPolicy(this, 'ApiHeaders', {
      comment: 'ChannelKit API: security headers the app did not set',
      securityHeadersBehavior: baseSecurityHeaders(false),
    });

    // Kit images are embedded by email clients and partner sites: no CSP or CORP same-origin here,
    // and CORP cross-origin says so explicitly (a page with COEP require-corp may embed them).
    const assetHeaders = new ResponseHeadersPolicy(this, 'AssetHeaders', {
      comment: 'ChannelKit public kit images: security headers, embeddable cross-origin',
      securityHeadersBehavior: baseSecurityHeaders(true),
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cross-Origin-Resource-Policy', value: 'cross-origin', override: true }],
      },
    });

    const apiOrigin = new HttpOrigin(Fn.select(2, Fn.split('/', props.apiEndpoint)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    });
    const apiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // With caching disabled this forwards Authorization too; Host must stay API Gateway's own.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
    };
    // Landing pages and their lead form: only what they read reaches the API, and the client's
    // address comes from CloudFront itself (CloudFront-Viewer-Address, set by CloudFront, never the
    // viewer), which the API's per-address limits on form posts key on.
    const landingRequests = new OriginRequestPolicy(this, 'LandingRequests', {
      comment: 'ChannelKit landing pages: UTM and click query strings, form headers, the viewer address',
      headerBehavior: OriginRequestHeaderBehavior.allowList(
        'Accept',
        'Content-Type',
        'CloudFront-Viewer-Address',
      ),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    const landingBehavior: BehaviorOptions = { ...apiBehavior, originRequestPolicy: landingRequests };
    // Objects are immutable per kit version (the API sets Cache-Control: immutable): cache them.
    // No origin request policy: no query string, cookie or viewer header reaches S3.
    const blobBehavior: BehaviorOptions = {
      origin: S3BucketOrigin.withOriginAccessControl(props.publicBlobs.bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: assetHeaders,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'ChannelKit portal, API and kit images',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: portalHeaders,
        functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries([
        ...props.apiRoutes.map(
          (route) =>
            [route.pathPattern, route.pathPattern === '/p/*' ? landingBehavior : apiBehavior] as const,
        ),
        ...props.publicBlobs.pathPatterns.map((pattern) => [pattern, blobBehavior] as const),
      ]),
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'annotation::@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
        reason:
          "Intended: the blob bucket's policy lives in the data stack (CloudFront may read assets/* only, kits/* is denied); naming this distribution there would make the data stack depend on this one.",
      },
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Partners and their contacts are worldwide; no country is excluded by design.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF: a CloudFront web ACL must live in us-east-1 (a separate stack). The equivalent is in the API: the public lead form refuses bots (honeypot) and bursts per client address (CloudFront-Viewer-Address) and per campaign with counters in DynamoDB (functions/leads/submission-limits.ts); the authenticated API checks every token and is throttled per stage.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'Served on the default *.cloudfront.net certificate until the vendor brings a custom domain; CloudFront then applies TLSv1.2_2021 as the minimum protocol.',
      },
    );

    this.url = `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Uploads the built portal and its `config.json`, then invalidates the CDN so the new
   * index.html is served at once. If the build is missing (a test, a fresh clone), nothing is
   * deployed and synth carries a warning: `npm run deploy` always builds first.
   */
  deployPortal(portal: PortalDeployment): void {
    if (!existsSync(join(portal.assetPath, 'index.html'))) {
      Annotations.of(this).addWarningV2(
        WEB_DIST_MISSING_WARNING,
        `No portal build at ${portal.assetPath} (index.html missing): the portal is not deployed. Run \`npm run build:web\` first.`,
      );
      return;
    }
    const deployment = new BucketDeployment(this, 'DeployPortal', {
      sources: [Source.asset(portal.assetPath), Source.jsonData('config.json', portal.runtimeConfig)],
      destinationBucket: this.siteBucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      logGroup: new LogGroup(this, 'DeployPortalLogs', {
        retention: this.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    acknowledgeDeploymentHandler(deployment);
  }
}

/**
 * BucketDeployment runs a CDK-owned singleton Lambda (Python + AWS CLI) during deployments
 * only. Its role and runtime are aws-cdk-lib's; we accept exactly these findings on it.
 */
const acknowledgeDeploymentHandler = (deployment: BucketDeployment): void => {
  const copying =
    'Deploy-time copy from the CDK asset bucket into the site bucket (CDK BucketDeployment grants).';
  acknowledgeWildcards(deployment.handlerRole, [
    { finding: /^Action::s3:(GetBucket|GetObject|List|Abort|DeleteObject)\*$/, reason: copying },
    {
      finding: /^Resource::arn:(?:aws[a-z-]*|<AWS::Partition>):s3:::cdk-[a-z0-9]+-assets-[^/]+\/\*$/,
      reason: copying,
    },
    { finding: /^Resource::<WebSite[0-9A-F]{8}\.Arn>\/\*$/, reason: copying },
    {
      finding: /^Resource::\*$/,
      reason:
        'cloudfront:CreateInvalidation/GetInvalidation after each upload, as granted by CDK BucketDeployment.',
    },
  ]);
  Validations.of(deployment.handlerRole).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'The CDK-owned deployment handler logs with the basic execution role; it runs only during deployments.',
  });
  const handler = Stack.of(deployment)
    .node.children.filter((child): child is LambdaFunction => child instanceof LambdaFunction)
    .find((fn) => fn.role === deployment.handlerRole);
  if (!handler)
    throw new Error('BucketDeployment handler function not found: aws-cdk-lib changed its layout');
  const cdkRuntime =
    'aws-cdk-lib picks this handler runtime (with its AWS CLI layer) and moves it forward on upgrades.';
  Validations.of(handler).acknowledge(
    { id: 'AwsSolutions-L1', reason: cdkRuntime },
    { id: 'Serverless-LambdaLatestVersion', reason: cdkRuntime },
    {
      id: 'Serverless-LambdaDLQ',
      reason:
        'CloudFormation custom-resource handler: a failure fails and rolls back the deployment; nothing to replay.',
    },
    {
      id: 'Serverless-LambdaTracing',
      reason: 'Runs only during deployments, never on a request path; nothing to trace.',
    },
  );
};
