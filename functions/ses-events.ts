import { countersFor, sesEventConsumer } from '#functions/wiring';
import { workerServicesConfig } from '#platform/config';
import { createDocumentClient } from '#platform/dynamo';
import { createLogger } from '#platform/logger';
import { Table } from '#platform/table';

// The SES event consumer (EventBridge target): glue only; the consumer is idempotent per event.
const env = workerServicesConfig();
const table = new Table(
  createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT }),
  env.TABLE_NAME,
);

export const handler = sesEventConsumer({
  table,
  counters: countersFor(table),
  clock: () => new Date(),
  logger: createLogger('channelkit-ses-events'),
});
