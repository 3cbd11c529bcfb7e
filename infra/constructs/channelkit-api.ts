import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeWildcardsWhenResolved } from './acknowledge';
import { type ApiRoute, apiRoutes } from './api-routes';
import {
  type BlobBinding,
  bindBlobs,
  bindEvidence,
  bindTable,
  blobPrefixes,
  denyAuditLogChanges,
  EVIDENCE_PREFIX,
  type EvidenceBinding,
  type TableBinding,
} from './bindings';
import { BLOB_BUCKET_LOGICAL_ID } from './blob-bucket';
import { EVIDENCE_BUCKET_LOGICAL_ID } from './evidence-bucket';
import { type LogLevel, NodeFunction } from './node-function';

export interface ChannelKitApiProps {
  readonly table: TableBinding;
  /** Kit images (`assets/`), archives (`kits/`) and contact imports (`imports/`). */
  readonly blobs: BlobBinding;
  /** MDF evidence: invoices, receipts and frozen POP packs under `claims/` (write-once, object lock). */
  readonly evidence: EvidenceBinding;
  /** The vendor as kit templates show it. */
  readonly vendor: { readonly name: string; readonly website: string };
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Steady-state requests per second and burst for the whole stage (API4: resource consumption). */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
}

/**
 * HTTP API access log line: JSON, so Logs Insights can query it. No token, email or body:
 * the caller is identified by the `sub` claim only.
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    httpMethod: '$context.httpMethod',
    routeKey: '$context.routeKey',
    path: '$context.path',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
  }),
);

/**
 * The product's HTTP API: one Lambda (functions/api.ts, the Hono app) behind an API Gateway
 * HTTP API whose routes come from `apiRoutes`. Public routes exist from the start; the
 * token-protected ones are added with `addTokenRoutes()` once the user pool exists (the
 * pool's callback URL needs the CloudFront domain, which needs this API first).
 */
export class ChannelKitApi extends Construct {
  readonly handler: NodeFunction;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** The HTTP API's access log (JSON lines: path, status, latency…): alarms count from it. */
  readonly accessLogs: LogGroup;
  private readonly integration: HttpLambdaIntegration;

  constructor(scope: Construct, id: string, props: ChannelKitApiProps) {
    super(scope, id);

    this.handler = new NodeFunction(this, 'Function', {
      entry: 'functions/api.ts',
      description: 'ChannelKit HTTP API (Hono)',
      serviceName: 'channelkit-api',
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      // Under API Gateway's 30 s integration limit, so a slow request ends in our own logged timeout.
      timeout: Duration.seconds(25),
      environment: { VENDOR_NAME: props.vendor.name, VENDOR_WEBSITE: props.vendor.website },
    });
    bindTable(this.handler, props.table, 'readWrite');
    denyAuditLogChanges(this.handler, props.table);
    // imports/: the API stores an uploaded contact CSV there (and reads back the worker's report)
    // before it enqueues the import; the import worker reads and writes nothing else.
    // account-lists/: raw account-list uploads, kept for their owner's download; only the API reads them.
    bindBlobs(this.handler, props.blobs, [
      blobPrefixes.public,
      blobPrefixes.private,
      blobPrefixes.imports,
      blobPrefixes.accountLists,
    ]);
    bindEvidence(this.handler, props.evidence);
    // The bucket ARN comes from the data stack (Fn::GetStackOutput once prepared): acknowledged then.
    acknowledgeWildcardsWhenResolved(this.handler.role ?? this.handler, [
      {
        finding: new RegExp(`^Resource::.*${BLOB_BUCKET_LOGICAL_ID}\\.?Arn.*/(assets|kits)/\\*$`),
        reason:
          'Object keys under assets/ and kits/ carry kit ids and versions, so GetObject/PutObject name the two prefixes (bindBlobs); no ListBucket, no Delete, no other prefix.',
      },
      {
        finding: new RegExp(`^Resource::.*${BLOB_BUCKET_LOGICAL_ID}\\.?Arn.*/imports/\\*$`),
        reason:
          'Contact import files are keyed by partner and import id, so GetObject/PutObject name the imports/ prefix (bindBlobs); no ListBucket, no Delete.',
      },
      {
        finding: new RegExp(`^Resource::.*${BLOB_BUCKET_LOGICAL_ID}\\.?Arn.*/account-lists/\\*$`),
        reason:
          'Raw account lists are keyed by owner (vendor or partner id) and kind, so GetObject/PutObject name the account-lists/ prefix (bindBlobs); no ListBucket, no Delete (a deleted list is overwritten empty; the versioned bucket expires the old version).',
      },
      {
        finding: new RegExp(`^Resource::.*${EVIDENCE_BUCKET_LOGICAL_ID}\\.?Arn.*/${EVIDENCE_PREFIX}\\*$`),
        reason:
          'MDF evidence (invoices, receipts, POP packs) is keyed by partner, claim and content hash, so GetObject/PutObject name the claims/ prefix (bindEvidence); no ListBucket, no Delete, no retention changes (explicitly denied).',
      },
    ]);
    Validations.of(this.handler).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Invoked only synchronously by API Gateway: the caller gets the error, and a dead-letter queue only ever receives asynchronous invocations.',
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.accessLogs = accessLogs;
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'ChannelKit API, served to browsers through CloudFront',
      createDefaultStage: false,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });
    this.integration = new HttpLambdaIntegration('Handler', this.handler);

    for (const route of apiRoutes.filter((r) => r.access === 'public')) this.addRoute(route, undefined);
  }

  /** Adds the routes that need a token, each guarded by the given (JWT) authorizer. */
  addTokenRoutes(authorizer: IHttpRouteAuthorizer): void {
    for (const route of apiRoutes.filter((r) => r.access === 'token')) this.addRoute(route, authorizer);
  }

  private addRoute(route: ApiRoute, authorizer: IHttpRouteAuthorizer | undefined): void {
    const routes = this.httpApi.addRoutes({
      path: route.path,
      methods: [...route.methods],
      integration: this.integration,
      authorizer,
    });
    if (route.access === 'public') {
      for (const created of routes) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: route.whyPublic ?? `${route.path} is public by design (DESIGN.md URL space).`,
        });
      }
    }
  }
}
