import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { brandStore } from '#functions/brand/store';
import { campaignControl } from '#functions/campaigns/control';
import type { CampaignPorts } from '#functions/campaigns/deps';
import { sendQueueHandler } from '#functions/campaigns/queue-consumer';
import { campaignSource } from '#functions/campaigns/source';
import { campaignStore } from '#functions/campaigns/store';
import { audience } from '#functions/contacts/audience';
import { importWorker } from '#functions/contacts/import-worker';
import { listStore } from '#functions/contacts/list-store';
import type { ImportMessage } from '#functions/contacts/schema';
import { suppressionStore } from '#functions/contacts/suppression';
import { CompileCache } from '#functions/kits/compile-cache';
import { kitStore } from '#functions/kits/store';
import { accountKeyConfigFrom } from '#functions/leads/account-key-ids';
import type { AccountKeys } from '#functions/leads/account-keys';
import { deriveAccountKeys } from '#functions/leads/account-keys';
import type { AccountListMessage } from '#functions/leads/account-list-schema';
import { accountListWorker, parseAccountListMessage } from '#functions/leads/account-list-worker';
import { accountListStore, accountMatches } from '#functions/leads/account-store';
import type { LeadEffectsSettings } from '#functions/leads/effects/config';
import { type GetLead, leadEffectsHandler } from '#functions/leads/effects/consumer';
import { effectMarkers } from '#functions/leads/effects/effect-markers';
import { httpPoster } from '#functions/leads/effects/http-post';
import type { LeadEffectsMessage } from '#functions/leads/effects/schema';
import { webhookSecretBox } from '#functions/leads/effects/secret-box';
import { webhookStore } from '#functions/leads/effects/webhook-store';
import { loadEmailClasses } from '#functions/leads/email-classes';
import type { PublishLeadEvent } from '#functions/leads/lead-events';
import type { Lead } from '#functions/leads/lead-schema';
import { leadStore } from '#functions/leads/lead-store';
import { type LeadPorts, leadFormKey } from '#functions/leads/ports';
import { partnerStore } from '#functions/partners/store';
import { ropiUpdater } from '#functions/reports/ropi-updater';
import { deriveTrackingKeys, type SendingConfig, sendingConfigSchema } from '#functions/sending/config';
import type { Enqueue } from '#functions/sending/contracts';
import { type DynamoCounterStore, dynamoCounterStore } from '#functions/sending/counters';
import { createSendEngine, createTrackingDeps, settingsFromConfig } from '#functions/sending/engine';
import { sesEventHandler, tableEventMarkers } from '#functions/sending/events';
import type { Mailer } from '#functions/sending/mailer';
import { realTimer } from '#functions/sending/rate-limiter';
import { sendRecords } from '#functions/sending/send-records';
import { createTokenSigner } from '#functions/sending/tokens';
import { sendingDomainStore } from '#functions/sending-domains/store';
import { sesReceiptHandler } from '#functions/tracking/mailto-unsubscribe';
import type { BlobStore } from '#platform/blobs';
import type { Table } from '#platform/table';

/**
 * Composition shared by the Lambda entries, the embedded runtime and the tests: the same
 * collaborators built the same way, each from the adapters its runtime has. Entries stay glue.
 */
export interface Scheduling {
  schedule(name: string, at: Date, payload: string): Promise<void>;
  cancel(name: string): Promise<boolean>;
}

/** Powertools' logger behind the ports' small logger interface. */
export const portLogger = (logger: Logger) => ({
  info: (message: string, extra?: Record<string, unknown>) => logger.info(message, { ...extra }),
  warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, { ...extra }),
  error: (message: string, extra?: Record<string, unknown>) => logger.error(message, { ...extra }),
});

export const countersFor = (table: Table): DynamoCounterStore => dynamoCounterStore(table);

export const campaignPortsFor = (deps: {
  table: Table;
  counters: DynamoCounterStore;
  scheduler: Scheduling;
  /** Puts a message on the send queue (launch, expand and send-batch share it). */
  enqueueSend: (message: object) => Promise<void>;
}): CampaignPorts => {
  const lists = listStore(deps.table);
  const enqueueBatch: Enqueue = (message) => deps.enqueueSend(message);
  return {
    lists: { exists: async (partnerId, listId) => (await lists.get(partnerId, listId)) !== undefined },
    audience: audience(deps.table),
    scheduler: deps.scheduler,
    enqueueStep: (message) => deps.enqueueSend(message),
    enqueueBatch,
    counters: deps.counters,
  };
};

/** Token age and lease as the workers use them (their defaults, unless the environment says otherwise). */
const trackingDefaults = sendingConfigSchema
  .pick({ TOKEN_MAX_AGE_DAYS: true, SEND_LEASE_SECONDS: true })
  .parse(process.env);

export const trackingFor = (deps: {
  table: Table;
  counters: DynamoCounterStore;
  /** The tracking secret (Secrets Manager in AWS, a file under .local/ locally). */
  trackingSecret: string;
  clock: () => Date;
}) =>
  createTrackingDeps({
    table: deps.table,
    counters: deps.counters,
    suppressions: suppressionStore(deps.table),
    clock: deps.clock,
    settings: {
      tokenKeys: deriveTrackingKeys(deps.trackingSecret).tokenKeys,
      tokenMaxAgeDays: trackingDefaults.TOKEN_MAX_AGE_DAYS,
      leaseSeconds: trackingDefaults.SEND_LEASE_SECONDS,
    },
  });

/**
 * The SES event consumer (EventBridge target): send records, event markers, counters and
 * suppressions only. It never sends, so it needs no mailer, kit or token key.
 */
export const sesEventConsumer = (deps: {
  table: Table;
  counters: DynamoCounterStore;
  clock: () => Date;
  logger: Logger;
}) =>
  sesEventHandler({
    records: sendRecords(deps.table, {
      leaseMs: trackingDefaults.SEND_LEASE_SECONDS * 1000,
      retentionDays: trackingDefaults.TOKEN_MAX_AGE_DAYS + 30,
    }),
    markers: tableEventMarkers(deps.table),
    counters: deps.counters,
    suppressions: suppressionStore(deps.table),
    clock: deps.clock,
    logger: portLogger(deps.logger),
  });

/**
 * The unsubscribe mail function (SES receipt rule → Lambda): a `mailto:` unsubscribe becomes
 * the same unsubscribe as the one-click POST. Send records, token verification, suppressions
 * and counters only: no mailer, kit or queue.
 */
export const unsubscribeMailConsumer = (deps: {
  table: Table;
  counters: DynamoCounterStore;
  /** The tracking secret: the same token keys as the API's `/u/{token}`. */
  trackingSecret: string;
  clock: () => Date;
  logger: Logger;
}) =>
  sesReceiptHandler({
    records: sendRecords(deps.table, {
      leaseMs: trackingDefaults.SEND_LEASE_SECONDS * 1000,
      retentionDays: trackingDefaults.TOKEN_MAX_AGE_DAYS + 30,
    }),
    tokens: createTokenSigner({
      keys: deriveTrackingKeys(deps.trackingSecret).tokenKeys,
      clock: deps.clock,
      maxAgeDays: trackingDefaults.TOKEN_MAX_AGE_DAYS,
    }),
    counters: deps.counters,
    suppressions: suppressionStore(deps.table),
    clock: deps.clock,
    logger: portLogger(deps.logger),
  });

/** The send queue's consumer: launch and expand steps go to campaigns, send batches to the engine. */
export const sendQueueConsumer = (deps: {
  table: Table;
  counters: DynamoCounterStore;
  mailer: Mailer;
  config: SendingConfig;
  ports: CampaignPorts;
  clock: () => Date;
  logger: Logger;
}) => {
  const store = campaignStore(deps.table);
  const brands = brandStore(deps.table);
  const engine = createSendEngine({
    table: deps.table,
    counters: deps.counters,
    mailer: deps.mailer,
    campaigns: campaignSource(deps.table),
    kits: kitStore(deps.table),
    brands,
    sendingDomains: sendingDomainStore(deps.table),
    compiled: new CompileCache(),
    suppressions: suppressionStore(deps.table),
    control: campaignControl(store, deps.clock),
    clock: deps.clock,
    logger: portLogger(deps.logger),
    timer: realTimer,
    settings: settingsFromConfig(deps.config),
  });
  const handler: (event: SQSEvent) => Promise<SQSBatchResponse> = async (event) =>
    (await sendQueueHandler(
      // Scheduled launches freeze the brand too.
      { store, ...deps.ports, clock: deps.clock, brands },
      engine.handler,
      portLogger(deps.logger),
    )(event)) ?? {
      batchItemFailures: [],
    };
  return { engine, handler };
};

/** Lead capture's ports: the event publisher, the form key, the email lists, the account lookup. */
export const leadPortsFor = (deps: {
  table: Table;
  trackingSecret: string;
  accountKeys: AccountKeys;
  publish: PublishLeadEvent;
}): LeadPorts => ({
  publish: deps.publish,
  formKey: leadFormKey(deps.trackingSecret),
  emailClasses: loadEmailClasses,
  accountKeys: deps.accountKeys,
  findMatches: accountMatches(deps.table),
});

/**
 * The API's account-list collaborators: keys derived from the tracking secret (key ids from
 * `ACCOUNT_KEY_IDS`, see functions/leads/account-key-ids.ts) and the import queue.
 */
export const accountListPortsFor = (deps: {
  trackingSecret: string;
  enqueue: (message: AccountListMessage) => Promise<void>;
  keyIds?: string | undefined;
}) => ({
  keys: deriveAccountKeys(
    deps.trackingSecret,
    accountKeyConfigFrom(deps.keyIds ?? process.env.ACCOUNT_KEY_IDS),
  ),
  enqueue: deps.enqueue,
});

/**
 * The import queue's consumer: runs or resumes each contact import, and writes account lists
 * (their own messages on the same queue). A throw lets the queue redeliver.
 */
export const importConsumer = (
  deps: {
    table: Table;
    blobs: BlobStore;
    enqueue: (message: ImportMessage | AccountListMessage) => Promise<void>;
    clock: () => Date;
    newId: () => string;
  },
  budgetMs: number,
) => {
  const run = importWorker(deps, { budgetMs });
  const accounts = accountListWorker(
    { store: accountListStore(deps.table), blobs: deps.blobs, enqueue: deps.enqueue, clock: deps.clock },
    { budgetMs },
  );
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        const accountList = parseAccountListMessage(record.body);
        await (accountList ? accounts(accountList) : run(record.body));
      } catch {
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
};

/**
 * The lead-effects queue's consumer: the partner's new-EQL notification (portal feed and an
 * email through SES) and the CRM webhook deliveries. Table stores, the mailer, the tracking
 * secret (webhook secrets are sealed under a key derived from it) and the queue: no kits, no
 * token keys. `view` is the lead as webhook payloads show it (marketing's view).
 */
export const leadEffectsConsumer = (deps: {
  table: Table;
  mailer: Pick<Mailer, 'sendEmail'>;
  trackingSecret: string;
  /** Puts delivery messages on the lead-effects queue (SQS in AWS, in-process locally). */
  enqueue: (message: LeadEffectsMessage) => Promise<void>;
  /** Delays a failed delivery's next receive (SQS ChangeMessageVisibility; a no-op locally). */
  deferRetry: (record: SQSRecord, delaySeconds: number) => Promise<void>;
  settings: LeadEffectsSettings;
  clock: () => Date;
  logger: Logger;
  getLead?: GetLead;
  view?: (lead: Lead) => unknown;
}) => {
  const logger = portLogger(deps.logger);
  const webhooks = webhookStore(deps.table);
  const partners = partnerStore(deps.table);
  return leadEffectsHandler({
    getLead: deps.getLead ?? leadStore(deps.table).get,
    notify: {
      markers: effectMarkers(deps.table),
      partners,
      brands: brandStore(deps.table),
      campaigns: campaignStore(deps.table),
      suppressions: suppressionStore(deps.table),
      mailer: deps.mailer,
      sender: deps.settings.sender,
      portalBaseUrl: deps.settings.portalBaseUrl,
      clock: deps.clock,
      logger,
    },
    fanOut: {
      webhooks,
      partners,
      enqueue: deps.enqueue,
      view: deps.view ?? ((lead) => lead),
      clock: deps.clock,
    },
    deliver: {
      webhooks,
      secrets: webhookSecretBox(deps.trackingSecret),
      post: httpPoster({ timeoutMs: deps.settings.webhookTimeoutMs, policy: deps.settings.urlPolicy }),
      clock: deps.clock,
      logger,
      maxAttempts: deps.settings.maxAttempts,
    },
    aggregates: ropiUpdater(deps.table, { clock: deps.clock }),
    deferRetry: deps.deferRetry,
    logger,
  });
};
