import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { brandStore } from '#functions/brand/store';
import { campaignControl } from '#functions/campaigns/control';
import { campaignSource } from '#functions/campaigns/source';
import { campaignStore } from '#functions/campaigns/store';
import { suppressionStore } from '#functions/contacts/suppression';
import { CompileCache } from '#functions/kits/compile-cache';
import { kitStore } from '#functions/kits/store';
import { parseSendingConfig } from '#functions/sending/config';
import { createSendEngine, settingsFromConfig } from '#functions/sending/engine';
import { realTimer } from '#functions/sending/rate-limiter';
import { countersFor, portLogger } from '#functions/wiring';
import { workerServicesConfig } from '#platform/config';
import { createDocumentClient } from '#platform/dynamo';
import { createLogger } from '#platform/logger';
import { readSecret } from '#platform/secrets';
import { createSesClient, sesMailer } from '#platform/ses-mailer';
import { Table } from '#platform/table';

// The SES event consumer (EventBridge target): glue only; the engine's consumer is idempotent.
const env = workerServicesConfig();
const services = env;
if (!(services.TRACKING_SECRET_ARN ?? services.TRACKING_SECRET))
  throw new Error('the SES event consumer needs TRACKING_SECRET_ARN');
const doc = createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT });
const table = new Table(doc, env.TABLE_NAME);
const clock = () => new Date();
const trackingSecret =
  services.TRACKING_SECRET ??
  (await readSecret(
    new SecretsManagerClient({ region: env.AWS_REGION }),
    services.TRACKING_SECRET_ARN ?? '',
  ));

const engine = createSendEngine({
  table,
  counters: countersFor(table),
  // The consumer never sends; the mailer is only there because the engine is built whole.
  mailer: sesMailer(createSesClient({ region: env.AWS_REGION })),
  campaigns: campaignSource(table),
  kits: kitStore(table),
  brands: brandStore(table),
  compiled: new CompileCache(),
  suppressions: suppressionStore(table),
  control: campaignControl(campaignStore(table), clock),
  clock,
  logger: portLogger(createLogger('channelkit-ses-events')),
  timer: realTimer,
  settings: settingsFromConfig(
    parseSendingConfig({ SENDER_DOMAIN: 'events.invalid', ...process.env }, trackingSecret),
  ),
});

export const handler = engine.eventHandler;
