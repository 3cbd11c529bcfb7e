import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { countersFor, unsubscribeMailConsumer } from '#functions/wiring';
import { workerServicesConfig } from '#platform/config';
import { createDocumentClient } from '#platform/dynamo';
import { createLogger } from '#platform/logger';
import { readSecret } from '#platform/secrets';
import { Table } from '#platform/table';

// The SES receipt rule's Lambda action (unsubscribe@<SENDER_DOMAIN>): glue only; handling is idempotent.
const env = workerServicesConfig();
if (!(env.TRACKING_SECRET_ARN ?? env.TRACKING_SECRET)) {
  throw new Error('the unsubscribe mail function needs TRACKING_SECRET_ARN');
}
const table = new Table(
  createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT }),
  env.TABLE_NAME,
);
const trackingSecret =
  env.TRACKING_SECRET ??
  (await readSecret(new SecretsManagerClient({ region: env.AWS_REGION }), env.TRACKING_SECRET_ARN ?? ''));

export const handler = unsubscribeMailConsumer({
  table,
  counters: countersFor(table),
  trackingSecret,
  clock: () => new Date(),
  logger: createLogger('channelkit-unsubscribe-mail'),
});
