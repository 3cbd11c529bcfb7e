import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { parseSendingConfig } from '#functions/sending/config';
import { campaignPortsFor, countersFor, sendQueueConsumer } from '#functions/wiring';
import { workerServicesConfig } from '#platform/config';
import { createDocumentClient } from '#platform/dynamo';
import { createLogger } from '#platform/logger';
import { sqsEnqueue } from '#platform/queue-sqs';
import { readSecret } from '#platform/secrets';
import { createSesClient, sesMailer } from '#platform/ses-mailer';
import { Table } from '#platform/table';

// The send queue's consumer (launch, expand and send-batch messages): glue only.
const env = workerServicesConfig();
const services = env;
if (!services.SEND_QUEUE_URL || !(services.TRACKING_SECRET_ARN ?? services.TRACKING_SECRET)) {
  throw new Error('the send worker needs SEND_QUEUE_URL and TRACKING_SECRET_ARN');
}
const doc = createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT });
const table = new Table(doc, env.TABLE_NAME);
const counters = countersFor(table);
const clock = () => new Date();
const trackingSecret =
  services.TRACKING_SECRET ??
  (await readSecret(
    new SecretsManagerClient({ region: env.AWS_REGION }),
    services.TRACKING_SECRET_ARN ?? '',
  ));
const enqueueSend = sqsEnqueue(new SQSClient({ region: env.AWS_REGION }), services.SEND_QUEUE_URL);

const { handler: consume } = sendQueueConsumer({
  table,
  counters,
  mailer: sesMailer(createSesClient({ region: env.AWS_REGION, endpoint: env.SES_ENDPOINT })),
  config: parseSendingConfig(process.env, trackingSecret),
  // Scheduling is the API's; the worker only launches and expands what is already due.
  ports: campaignPortsFor({
    table,
    counters,
    scheduler: {
      schedule: async () => {
        throw new Error('the send worker does not schedule campaigns');
      },
      cancel: async () => false,
    },
    enqueueSend,
  }),
  clock,
  logger: createLogger('channelkit-send-worker'),
});

export const handler = consume;
