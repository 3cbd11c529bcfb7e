import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { leadEffectsSettings, parseLeadEffectsConfig } from '#functions/leads/effects/config';
import { leadEffectsConsumer } from '#functions/wiring';
import { workerServicesConfig } from '#platform/config';
import { createDocumentClient } from '#platform/dynamo';
import { createLogger } from '#platform/logger';
import { sqsEnqueue } from '#platform/queue-sqs';
import { readSecret } from '#platform/secrets';
import { createSesClient, sesMailer } from '#platform/ses-mailer';
import { sqsDeferRetry } from '#platform/sqs-visibility';
import { Table } from '#platform/table';

// The lead-effects queue's consumer (EQL notifications, CRM webhook deliveries): glue only.
const env = workerServicesConfig();
const config = parseLeadEffectsConfig(process.env);
if (!(env.TRACKING_SECRET_ARN ?? env.TRACKING_SECRET)) {
  throw new Error('the lead-effects worker needs TRACKING_SECRET_ARN (webhook secrets are sealed with it)');
}
const table = new Table(
  createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT }),
  env.TABLE_NAME,
);
const sqs = new SQSClient({ region: env.AWS_REGION });
const trackingSecret =
  env.TRACKING_SECRET ??
  (await readSecret(new SecretsManagerClient({ region: env.AWS_REGION }), env.TRACKING_SECRET_ARN ?? ''));

export const handler = leadEffectsConsumer({
  table,
  mailer: sesMailer(createSesClient({ region: env.AWS_REGION, endpoint: env.SES_ENDPOINT })),
  trackingSecret,
  enqueue: sqsEnqueue(sqs, config.LEAD_EFFECTS_QUEUE_URL),
  deferRetry: sqsDeferRetry(sqs, config.LEAD_EFFECTS_QUEUE_URL),
  settings: leadEffectsSettings(config),
  clock: () => new Date(),
  logger: createLogger('channelkit-lead-effects'),
});
