import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { apiRoutes } from '../../infra/constructs/api-routes';
import { publicBlobPathPatterns } from '../../infra/constructs/blob-bucket';
import { WEB_DIST_MISSING_WARNING } from '../../infra/constructs/web-hosting';
import { buildTestApp, type TestApp } from './build-app';
import { behaviourFor } from './path-pattern';

// Managed policy ids (the same in every account).
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const distributionSchema = z.object({
  Properties: z.object({
    DistributionConfig: z.object({
      DefaultCacheBehavior: z.record(z.string(), z.unknown()),
      CacheBehaviors: z.array(z.object({ PathPattern: z.string() }).catchall(z.unknown())),
      CustomErrorResponses: z.unknown().optional(),
      Origins: z.array(z.object({ Id: z.string() }).catchall(z.unknown())),
    }),
  }),
});

const headersPolicySchema = z.object({
  Properties: z.object({
    ResponseHeadersPolicyConfig: z.object({
      SecurityHeadersConfig: z.record(z.string(), z.unknown()),
      CustomHeadersConfig: z
        .object({ Items: z.array(z.object({ Header: z.string() }).catchall(z.unknown())) })
        .optional(),
    }),
  }),
});

const portalHeadersSchema = z.object({
  Properties: z.object({
    ResponseHeadersPolicyConfig: z.object({
      SecurityHeadersConfig: z.object({
        ContentSecurityPolicy: z.object({ ContentSecurityPolicy: z.unknown(), Override: z.boolean() }),
        StrictTransportSecurity: z.record(z.string(), z.unknown()),
      }),
    }),
  }),
});

const deploymentSchema = z.object({
  Properties: z
    .object({ SourceObjectKeys: z.array(z.string()), SourceMarkers: z.unknown() })
    .catchall(z.unknown()),
});

const joinSchema = z.object({ 'Fn::Join': z.tuple([z.string(), z.array(z.unknown())]) });

/** The literal text of a string or an Fn::Join, with each token shown as `<token>`. */
const literalText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const join = joinSchema.safeParse(value);
  if (!join.success) return '<token>';
  const [separator, parts] = join.data['Fn::Join'];
  return parts.map(literalText).join(separator);
};

describe('portal hosting (AppStack, S3 + CloudFront)', () => {
  let app: TestApp;
  let template: Template;
  let distribution: z.infer<typeof distributionSchema>['Properties']['DistributionConfig'];

  beforeAll(() => {
    app = buildTestApp({ stage: 'dev' });
    template = Template.fromStack(app.app);
    const [resource] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    distribution = distributionSchema.parse(resource).Properties.DistributionConfig;
  });

  it('blocks all public access to every bucket and encrypts them', () => {
    const buckets = template.findResources('AWS::S3::Bucket');

    expect(Object.keys(buckets)).toHaveLength(2);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('denies every request to any bucket that does not use TLS', () => {
    template.resourceCountIs('AWS::S3::BucketPolicy', 2);
    template.allResourcesProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('versions the site bucket and logs its access to the logs bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^WebAccessLogs') } },
    });
  });

  it('lets only this distribution read the site bucket, through Origin Access Control', () => {
    // One OAC per S3 origin: the site bucket and the blob bucket.
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 2);
    template.allResourcesProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^WebSite') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves the portal from the bucket with SPA routing done by a CloudFront Function', () => {
    expect(distribution.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: CACHING_OPTIMIZED,
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
      ResponseHeadersPolicyId: { Ref: expect.stringMatching(/^WebPortalHeaders/) },
    });
    // No distribution-wide error pages: they would turn the API's 404 problem+json into index.html.
    expect(distribution.CustomErrorResponses).toBeUndefined();
  });

  it('has one behaviour per API path and per public blob path, nothing else', () => {
    expect(distribution.CacheBehaviors.map((behavior) => behavior.PathPattern).sort()).toEqual(
      [...apiRoutes.map((route) => route.pathPattern), ...publicBlobPathPatterns].sort(),
    );
    expect(distribution.CacheBehaviors.map((b) => b.PathPattern).sort()).toEqual(
      [
        '/api/*',
        '/docs',
        '/health',
        '/openapi.json',
        '/p/*',
        '/t/*',
        '/u/*',
        '/assets/kits/*',
        '/assets/brands/*',
      ].sort(),
    );
  });

  it('sends every API path to the HTTP API, uncached, HTTPS only, with all viewer headers but Host', () => {
    const apiOriginId = distribution.Origins.find((origin) => 'CustomOriginConfig' in origin)?.Id;
    const apiBehaviors = distribution.CacheBehaviors.filter((b) => b.TargetOriginId === apiOriginId);

    expect(apiBehaviors.map((behavior) => behavior.PathPattern).sort()).toEqual(
      apiRoutes.map((route) => route.pathPattern).sort(),
    );
    for (const behavior of apiBehaviors) {
      expect(behavior).toMatchObject({
        TargetOriginId: apiOriginId,
        ViewerProtocolPolicy: 'https-only',
        CachePolicyId: CACHING_DISABLED,
        // Landing pages get their own origin request policy (below).
        ...(behavior.PathPattern === '/p/*' ? {} : { OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER }),
        AllowedMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
      });
      expect(behavior).not.toHaveProperty('FunctionAssociations');
    }
  });

  it('passes landing pages the viewer address CloudFront sets (for the lead form limits), the query and form headers only', () => {
    const landing = distribution.CacheBehaviors.find((b) => b.PathPattern === '/p/*');
    const policies = template.findResources('AWS::CloudFront::OriginRequestPolicy');
    const [id, policy] = Object.entries(policies).find(([key]) => key.includes('LandingRequests')) ?? [];
    expect(landing?.OriginRequestPolicyId).toEqual({ Ref: id });
    expect(policy?.Properties.OriginRequestPolicyConfig).toMatchObject({
      HeadersConfig: {
        HeaderBehavior: 'whitelist',
        Headers: ['Accept', 'Content-Type', 'CloudFront-Viewer-Address'],
      },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
      CookiesConfig: { CookieBehavior: 'none' },
    });
  });

  it('serves kit images from the blob bucket through OAC: cached, GET/HEAD, HTTPS only, no SPA function', () => {
    const blobOrigin = distribution.Origins.find(
      (origin) =>
        JSON.stringify(origin.DomainName).includes('BlobBucketRegionalDomainName') &&
        JSON.stringify(origin.DomainName).includes(app.data.stackName),
    );

    expect(blobOrigin).toMatchObject({
      DomainName: {
        'Fn::GetStackOutput': expect.objectContaining({
          StackName: app.data.stackName,
          OutputName: expect.stringMatching(/^PublishOutputFnGetAttBlobBucketRegionalDomainName/),
        }),
      },
      OriginAccessControlId: { 'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    const blobBehaviors = distribution.CacheBehaviors.filter((b) => b.TargetOriginId === blobOrigin?.Id);

    expect(blobBehaviors.map((b) => b.PathPattern).sort()).toEqual([...publicBlobPathPatterns].sort());
    for (const behavior of blobBehaviors) {
      expect(behavior).toEqual({
        PathPattern: behavior.PathPattern,
        TargetOriginId: blobOrigin?.Id,
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD'],
        CachedMethods: ['GET', 'HEAD'],
        // Objects are immutable per kit version; no query string or cookie in the key or to S3.
        CachePolicyId: CACHING_OPTIMIZED,
        Compress: true,
        ResponseHeadersPolicyId: { Ref: expect.stringMatching(/^WebAssetHeaders/) },
      });
      // No SPA routing (a missing image is S3's 403, not index.html) and no origin request policy.
      expect(behavior).not.toHaveProperty('FunctionAssociations');
      expect(behavior).not.toHaveProperty('OriginRequestPolicyId');
    }
  });

  it("sends kit images to the blob bucket but leaves the portal's own /assets/ bundles to the portal", () => {
    // In order, as CloudFront evaluates them.
    const patterns = distribution.CacheBehaviors.map((b) => b.PathPattern);

    expect(behaviourFor(patterns, '/assets/kits/01J9ZK/1.2.0/hero.png')).toBe('/assets/kits/*');
    expect(behaviourFor(patterns, '/assets/brands/p-42/logo.png')).toBe('/assets/brands/*');
    // Vite emits the portal's bundles flat into /assets/ (web/dist/assets/index-<hash>.js).
    expect(behaviourFor(patterns, '/assets/index-C5NpU-9H.js')).toBe('default');
    expect(behaviourFor(patterns, '/assets/index-X-uoCr1w.css')).toBe('default');
    // Archives are never served by CloudFront (and the bucket policy would refuse them anyway).
    expect(behaviourFor(patterns, '/kits/01J9ZK/1.2.0/kit-0123456789abcdef.zip')).toBe('default');
  });

  it('lets email clients embed kit images: no CSP, CORP cross-origin, HSTS and nosniff', () => {
    const [policy] = Object.values(
      template.findResources('AWS::CloudFront::ResponseHeadersPolicy', {
        Properties: { ResponseHeadersPolicyConfig: { Comment: Match.stringLikeRegexp('kit images') } },
      }),
    );
    const config = headersPolicySchema.parse(policy).Properties.ResponseHeadersPolicyConfig;

    expect(config.SecurityHeadersConfig).not.toHaveProperty('ContentSecurityPolicy');
    expect(config.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: expect.objectContaining({ AccessControlMaxAgeSec: 63072000 }),
      ContentTypeOptions: { Override: true },
    });
    expect(config.CustomHeadersConfig?.Items).toEqual([
      { Header: 'Cross-Origin-Resource-Policy', Value: 'cross-origin', Override: true },
    ]);
  });

  it("adds no bucket policy for the blob bucket here (the data stack's policy is the only one)", () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));

    expect(policies).toHaveLength(2);
    expect(JSON.stringify(policies)).not.toContain('BlobBucket');
  });

  it('talks to the API origin over TLS 1.2 only', () => {
    expect(distribution.Origins).toContainEqual(
      expect.objectContaining({
        CustomOriginConfig: expect.objectContaining({
          OriginProtocolPolicy: 'https-only',
          OriginSSLProtocols: ['TLSv1.2'],
        }),
      }),
    );
  });

  it('logs CloudFront requests to the logs bucket', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Logging: { Bucket: Match.anyValue(), Prefix: 'cloudfront/' },
        HttpVersion: 'http2and3',
      }),
    });
  });

  it('sends a CSP and HSTS with the portal', () => {
    const [policy] = Object.values(
      template.findResources('AWS::CloudFront::ResponseHeadersPolicy', {
        Properties: { ResponseHeadersPolicyConfig: { Comment: Match.stringLikeRegexp('portal') } },
      }),
    );
    const headers =
      portalHeadersSchema.parse(policy).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = literalText(headers.ContentSecurityPolicy.ContentSecurityPolicy);

    expect(headers.ContentSecurityPolicy.Override).toBe(true);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' https:\/\/channelkit-dev\.auth\..*\.amazoncognito\.com;/);
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      Override: true,
    });
  });

  it('uploads the portal with a generated config.json and invalidates the CDN', () => {
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    const props = deploymentSchema.parse(deployment).Properties;

    expect(props).toMatchObject({
      DestinationBucketName: { Ref: expect.stringMatching(/^WebSite/) },
      DistributionId: { Ref: expect.stringMatching(/^WebDistribution/) },
      DistributionPaths: ['/*'],
      Prune: true,
    });
    // Two sources: the portal folder and config.json, whose deploy-time values include the client id.
    expect(props.SourceObjectKeys).toHaveLength(2);
    expect(JSON.stringify(props.SourceMarkers)).toMatch(/"Ref":"AuthUserPoolWebClient/);
  });

  it('outputs the portal URL, API URL, user pool id and client id', () => {
    for (const output of ['PortalUrl', 'ApiUrl', 'UserPoolId', 'UserPoolClientId']) {
      template.hasOutput(output, { Value: Match.anyValue() });
    }
  });

  it('skips the upload with a warning when the portal is not built', () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'channelkit-no-dist-'));
    const withoutPortal = buildTestApp({ stage: 'dev' }, emptyDir);
    const stackTemplate = Template.fromStack(withoutPortal.app);

    stackTemplate.resourceCountIs('Custom::CDKBucketDeployment', 0);
    Annotations.fromStack(withoutPortal.app).hasWarning(
      '/ChannelKit-dev-App/Web',
      Match.stringLikeRegexp(
        `No portal build at .*index\\.html missing.*\\[ack: ${WEB_DIST_MISSING_WARNING}\\]`,
      ),
    );
  });
});
