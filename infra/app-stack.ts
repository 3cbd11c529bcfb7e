import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { roles } from '#functions/auth/principal';
import { dataRemovalPolicy, type StageConfig } from './config';
import { apiRoutes } from './constructs/api-routes';
import {
  type BlobBinding,
  bindQueueSender,
  bindSecret,
  denyEvidenceChanges,
  type EvidenceBinding,
  type TableBinding,
} from './constructs/bindings';
import { publicBlobPathPatterns } from './constructs/blob-bucket';
import { ChannelKitApi } from './constructs/channelkit-api';
import { LeadEffects } from './constructs/lead-effects';
import { OpsAlarms } from './constructs/ops-alarms';
import { cognitoDomainHost, PortalAuth } from './constructs/portal-auth';
import { SendPipeline } from './constructs/send-pipeline';
import { SendScheduler } from './constructs/send-scheduler';
import { bindSendingDomains } from './constructs/sending-domains';
import { SesEvents } from './constructs/ses-events';
import type { SendingBinding } from './constructs/ses-sending';
import { UnsubscribeInbox } from './constructs/unsubscribe-inbox';
import { WebHosting } from './constructs/web-hosting';

export interface AppStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: TableBinding;
  /** The blob bucket (data stack): the API reads and writes it, CloudFront serves its public images. */
  readonly blobs: BlobBinding;
  /** The evidence bucket (data stack): the API writes and reads MDF evidence under `claims/`. */
  readonly evidence: EvidenceBinding;
  /** Signs open, click and unsubscribe tokens (data stack: must outlive redeploys). */
  readonly trackingSecret: ISecret;
  /** The SES configuration set and identity names (data stack). */
  readonly sending: SendingBinding;
  /** The built portal (`web/dist`); when it has no index.html the upload is skipped with a warning. */
  readonly webAssetPath: string;
}

/**
 * The stateless stack: the API function and HTTP API, sign-in (Cognito), the portal's hosting
 * (S3 + CloudFront, which also serves the blob bucket's public kit images), the send pipeline
 * (queues, workers, SES event consumer, scheduler) and its alarms. Everything here can be
 * redeployed at will; the user pool is the exception that holds data, so it is retained (and its
 * logical id pinned) outside `dev`. The send queue, the scheduler role and the schedule group
 * have pinned logical ids too: pending schedules name them.
 */
export class AppStack extends Stack {
  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = dataRemovalPolicy(config);

    // Built in dependency order: API → CloudFront (routes to the API) → Cognito (callback URL is
    // CloudFront's) → the API's protected routes and settings (need the pool) → the portal upload.
    const api = new ChannelKitApi(this, 'Api', {
      table: props.table,
      blobs: props.blobs,
      evidence: props.evidence,
      vendor: config.vendor,
      logLevel: config.logLevel,
      logRetention: config.logRetention,
      removalPolicy,
      throttle: { rateLimit: 200, burstLimit: 400 },
    });

    const web = new WebHosting(this, 'Web', {
      apiEndpoint: api.httpApi.apiEndpoint,
      apiRoutes,
      publicBlobs: { bucket: props.blobs.bucket, pathPatterns: publicBlobPathPatterns },
      connectSources: [`https://${cognitoDomainHost(config.cognitoDomainPrefix, this.region)}`],
      retain: config.retainData,
      accessLogExpiration: config.accessLogExpiration,
      logRetention: config.logRetention,
    });

    const auth = new PortalAuth(this, 'Auth', {
      domainPrefix: config.cognitoDomainPrefix,
      portalUrl: web.url,
      groups: roles,
      threatProtection: config.threatProtection,
      retain: config.retainData,
      removalPolicy,
    });

    api.addTokenRoutes(auth.jwtAuthorizer());
    api.handler.addEnvironment('JWKS_URL', auth.jwksUrl);
    api.handler.addEnvironment('JWT_ISSUER', auth.issuerUrl);
    api.handler.addEnvironment('JWT_AUDIENCE', auth.client.userPoolClientId);
    // Kit image URLs, landing pages and links: the CloudFront origin (`https://<id>.cloudfront.net`).
    api.handler.addEnvironment('PUBLIC_BASE_URL', web.url);

    // The send pipeline: after CloudFront, whose URL goes into every email's links.
    const pipeline = new SendPipeline(this, 'Sending', {
      table: props.table,
      blobs: props.blobs,
      trackingSecret: props.trackingSecret,
      sending: props.sending,
      senderDomain: config.senderDomain,
      vendor: config.vendor,
      publicBaseUrl: web.url,
      sendConcurrency: config.sendConcurrency,
      logLevel: config.logLevel,
      logRetention: config.logRetention,
      removalPolicy,
    });
    const sesEvents = new SesEvents(this, 'SesEvents', {
      table: props.table,
      sending: props.sending,
      logLevel: config.logLevel,
      logRetention: config.logRetention,
      removalPolicy,
    });
    // The mailto half of List-Unsubscribe: SES receives unsubscribe@<senderDomain> (see infra/README.md).
    const unsubscribeInbox = new UnsubscribeInbox(this, 'UnsubscribeInbox', {
      stage: config.stage,
      senderDomain: config.senderDomain,
      table: props.table,
      trackingSecret: props.trackingSecret,
      logLevel: config.logLevel,
      logRetention: config.logRetention,
      removalPolicy,
    });
    // Lead effects: EQL notifications and CRM webhooks, off the lead-effects queue.
    const leadEffects = new LeadEffects(this, 'LeadEffects', {
      table: props.table,
      trackingSecret: props.trackingSecret,
      sending: props.sending,
      senderDomain: config.senderDomain,
      vendorName: config.vendor.name,
      publicBaseUrl: web.url,
      logLevel: config.logLevel,
      logRetention: config.logRetention,
      removalPolicy,
    });
    const scheduler = new SendScheduler(this, 'Scheduler', {
      stage: config.stage,
      sendQueue: pipeline.sendQueue.queue,
    });

    // The API launches (send queue), schedules launches, starts imports and verifies tracking tokens.
    bindQueueSender(api.handler, pipeline.sendQueue.queue, { url: 'SEND_QUEUE_URL' });
    bindQueueSender(api.handler, pipeline.importQueue.queue, { url: 'IMPORT_QUEUE_URL' });
    // Lead events from capture and the lifecycle, and webhook test deliveries.
    bindQueueSender(api.handler, leadEffects.queue, { url: 'LEAD_EFFECTS_QUEUE_URL' });
    bindSecret(api.handler, props.trackingSecret, 'TRACKING_SECRET_ARN');
    scheduler.bindCreator(api.handler);
    // Partners' own sending domains: SES identities (never the vendor's SENDER_DOMAIN).
    bindSendingDomains(api.handler, config.senderDomain);

    // No function may delete evidence or touch its object lock, whatever it is granted (an explicit Deny).
    for (const fn of [
      api.handler,
      pipeline.sendWorker,
      pipeline.importWorker,
      sesEvents.consumer,
      unsubscribeInbox.handler,
      leadEffects.worker,
    ]) {
      denyEvidenceChanges(fn, props.evidence);
    }

    const alarms = new OpsAlarms(this, 'Alarms', { email: config.alarmEmail });
    alarms.deadLetters('SendDeadLetters', pipeline.sendQueue.deadLetterQueue, 'Send queue');
    alarms.deadLetters('ImportDeadLetters', pipeline.importQueue.deadLetterQueue, 'Import queue');
    alarms.deadLetters('SesEventsDeadLetters', sesEvents.deadLetterQueue, 'SES events');
    alarms.sesReputation();
    alarms.functionErrors('SendWorkerErrors', pipeline.sendWorker, 'Send worker');
    alarms.functionErrors('SesEventsErrors', sesEvents.consumer, 'SES event consumer');
    alarms.deadLetters('UnsubscribeMailDeadLetters', unsubscribeInbox.deadLetterQueue, 'Unsubscribe mail');
    alarms.functionErrors('UnsubscribeMailErrors', unsubscribeInbox.handler, 'Unsubscribe mail function');
    alarms.deadLetters('LeadEffectsDeadLetters', leadEffects.deadLetterQueue, 'Lead effects');
    alarms.functionErrors('LeadEffectsErrors', leadEffects.worker, 'Lead-effects worker');
    alarms.mdfFailures({ functionLogs: api.handler.logGroup, accessLogs: api.accessLogs });

    web.deployPortal({
      assetPath: props.webAssetPath,
      runtimeConfig: {
        auth: {
          mode: 'cognito',
          domain: auth.domainUrl,
          clientId: auth.client.userPoolClientId,
          region: this.region,
        },
      },
    });

    new CfnOutput(this, 'PortalUrl', { value: web.url, description: 'The portal (and API) origin' });
    new CfnOutput(this, 'ApiUrl', {
      value: `${web.url}/api`,
      description: 'The JSON API, through CloudFront',
    });
    new CfnOutput(this, 'HttpApiEndpoint', {
      value: api.httpApi.apiEndpoint,
      description: 'The HTTP API behind CloudFront (for diagnosis; clients use ApiUrl)',
    });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'CognitoDomain', { value: auth.domainHost });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'Operational alarms (dead letters, SES reputation, worker errors): subscribe here',
    });
  }
}
