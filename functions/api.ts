import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { handle } from 'hono/aws-lambda';
import { createApp } from '#functions/app';
import { leadEventPublisher } from '#functions/leads/effects/publish';
import { webhookSecretBox } from '#functions/leads/effects/secret-box';
import { AWS_URL_POLICY } from '#functions/leads/effects/url-guard';
import {
  accountListPortsFor,
  campaignPortsFor,
  countersFor,
  leadPortsFor,
  portLogger,
  trackingFor,
} from '#functions/wiring';
import { lazyS3BlobStore } from '#platform/blobs-s3-lazy';
import { apiServicesConfig, config } from '#platform/config';
import { createDocumentClient } from '#platform/dynamo';
import { lazyS3EvidenceStore } from '#platform/evidence-s3-lazy';
import { newId } from '#platform/ids';
import { createJwtVerifier } from '#platform/jwt';
import { createLogger } from '#platform/logger';
import { sqsEnqueue } from '#platform/queue-sqs';
import { awsScheduler } from '#platform/scheduler-aws';
import { readSecret } from '#platform/secrets';
import { lazySesIdentities } from '#platform/ses-identities-lazy';
import { Table } from '#platform/table';

// The Lambda entry is glue: build the collaborators once per process, outside the handler.
const env = config();
const services = apiServicesConfig();
const doc = createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT });
const table = new Table(doc, env.TABLE_NAME);
const sqs = new SQSClient({ region: env.AWS_REGION });
const enqueueSend = sqsEnqueue(sqs, services.SEND_QUEUE_URL);
const counters = countersFor(table);
const clock = () => new Date();
const trackingSecret =
  services.TRACKING_SECRET ??
  (await readSecret(
    new SecretsManagerClient({ region: env.AWS_REGION }),
    services.TRACKING_SECRET_ARN ?? '',
  ));

const accountLists = accountListPortsFor({
  trackingSecret,
  enqueue: sqsEnqueue(sqs, services.IMPORT_QUEUE_URL),
});
const logger = createLogger('channelkit-api');
// Lead events and webhook test deliveries: the lead-effects worker sends notifications and webhooks.
const enqueueLeadEffect = sqsEnqueue(sqs, services.LEAD_EFFECTS_QUEUE_URL);

const app = createApp({
  table,
  verifyToken: createJwtVerifier({
    jwksUrl: env.JWKS_URL,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
  }),
  logger,
  clock,
  newId,
  maxBodyBytes: env.MAX_BODY_BYTES,
  version: env.APP_VERSION,
  blobs: lazyS3BlobStore(env.AWS_REGION, env.BLOB_BUCKET),
  evidence: lazyS3EvidenceStore(env.AWS_REGION, services.EVIDENCE_BUCKET),
  publicBaseUrl: env.PUBLIC_BASE_URL,
  vendor: { name: env.VENDOR_NAME, website: env.VENDOR_WEBSITE },
  enqueueContactImport: sqsEnqueue(sqs, services.IMPORT_QUEUE_URL),
  accountLists,
  leads: leadPortsFor({
    table,
    trackingSecret,
    accountKeys: accountLists.keys,
    publish: leadEventPublisher({ enqueue: enqueueLeadEffect, logger: portLogger(logger) }),
  }),
  campaignPorts: campaignPortsFor({
    table,
    counters,
    scheduler: awsScheduler(new SchedulerClient({ region: env.AWS_REGION }), {
      group: services.SCHEDULE_GROUP,
      roleArn: services.SCHEDULER_ROLE_ARN,
      queueArn: services.SEND_QUEUE_ARN,
    }),
    enqueueSend,
  }),
  tracking: trackingFor({ table, counters, trackingSecret, clock }),
  leadEffects: {
    enqueue: enqueueLeadEffect,
    secrets: webhookSecretBox(trackingSecret),
    urlPolicy: AWS_URL_POLICY,
  },
  sendingDomains: {
    identities: lazySesIdentities({ region: env.AWS_REGION, endpoint: env.SES_ENDPOINT }),
    vendorDomain: services.SENDER_DOMAIN,
  },
});

export const handler = handle(app);
