import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
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
import { deriveTrackingKeys, type SendingConfig, sendingConfigSchema } from '#functions/sending/config';
import type { Enqueue } from '#functions/sending/contracts';
import { type DynamoCounterStore, dynamoCounterStore } from '#functions/sending/counters';
import { createSendEngine, createTrackingDeps, settingsFromConfig } from '#functions/sending/engine';
import { sesEventHandler, tableEventMarkers } from '#functions/sending/events';
import type { Mailer } from '#functions/sending/mailer';
import { realTimer } from '#functions/sending/rate-limiter';
import { sendRecords } from '#functions/sending/send-records';
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
  const engine = createSendEngine({
    table: deps.table,
    counters: deps.counters,
    mailer: deps.mailer,
    campaigns: campaignSource(deps.table),
    kits: kitStore(deps.table),
    brands: brandStore(deps.table),
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
      { store, ...deps.ports, clock: deps.clock },
      engine.handler,
      portLogger(deps.logger),
    )(event)) ?? {
      batchItemFailures: [],
    };
  return { engine, handler };
};

/** The import queue's consumer: runs or resumes each import (a throw lets the queue redeliver). */
export const importConsumer = (
  deps: {
    table: Table;
    blobs: BlobStore;
    enqueue: (message: ImportMessage) => Promise<void>;
    clock: () => Date;
    newId: () => string;
  },
  budgetMs: number,
) => {
  const run = importWorker(deps, { budgetMs });
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        await run(record.body);
      } catch {
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
};
