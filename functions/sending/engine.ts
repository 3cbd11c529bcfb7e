import type { BrandStore } from '#functions/brand/store';
import type { CompileCache } from '#functions/kits/compile-cache';
import type { KitStore } from '#functions/kits/store';
import type { Table } from '#platform/table';
import type { SendingConfig } from './config';
import type { CampaignSource } from './contracts';
import type { Increments } from './counters';
import { type ClickRules, defaultClickRules } from './engagement';
import { consumeSesEvent, type EventDeps, type SesEvent, sesEventHandler, tableEventMarkers } from './events';
import type { Mailer } from './mailer';
import type { CampaignControl, Logger, Suppressions } from './ports';
import { accountSendRate, type Backoff, perWorkerRate, type Timer, TokenBucket } from './rate-limiter';
import { type ContextDeps, contextLoader, type SenderSettings } from './send-context';
import { type SendTable, sendRecords } from './send-records';
import { createTokenSigner, type TokenKeys } from './tokens';
import { createSendWorker } from './worker';

/**
 * Builds the send engine once per process: the queue worker, the SES event consumer and what
 * the tracking routes need, over one set of collaborators. Lambda entries and the embedded
 * runtime call this with real adapters; tests with emulators or in-memory doubles.
 */
export interface EngineSettings extends SenderSettings {
  tokenKeys: TokenKeys;
  tokenMaxAgeDays: number;
  recipientKeySecret: string;
  /** Skips GetAccount when set. */
  maxSendRate?: number | undefined;
  /** Used when GetAccount fails: slow and safe. */
  fallbackSendRate?: number;
  maxConcurrency: number;
  parallelism: number;
  leaseSeconds: number;
  campaignTtlMs?: number;
  backoff?: Omit<Backoff, 'random'>;
  clickRules?: ClickRules;
}

export interface EngineDeps {
  table: SendTable & Pick<Table, 'putIfAbsent' | 'transact'>;
  counters: { add(campaignId: string, increments: Increments, at: Date): Promise<void> };
  mailer: Mailer;
  campaigns: CampaignSource;
  kits: Pick<KitStore, 'getVersion'>;
  brands: Pick<BrandStore, 'get'>;
  /** The partners' own sending domains (verified and chosen: From uses them). */
  sendingDomains?: ContextDeps['sendingDomains'];
  compiled: CompileCache;
  suppressions: Suppressions;
  control?: CampaignControl;
  clock: () => Date;
  logger: Logger;
  timer: Timer;
  random?: () => number;
  settings: EngineSettings;
}

export const settingsFromConfig = (config: SendingConfig): EngineSettings => ({
  publicBaseUrl: config.PUBLIC_BASE_URL,
  vendor: { name: config.VENDOR_NAME, website: config.VENDOR_WEBSITE },
  fromAddress: `${config.SENDING_LOCAL_PART}@${config.SENDER_DOMAIN}`,
  unsubscribeMailto: `unsubscribe@${config.SENDER_DOMAIN}`,
  configurationSetName: config.SES_CONFIGURATION_SET,
  tokenKeys: config.tokenKeys,
  tokenMaxAgeDays: config.TOKEN_MAX_AGE_DAYS,
  recipientKeySecret: config.recipientKeySecret,
  maxSendRate: config.SES_MAX_SEND_RATE,
  maxConcurrency: config.SEND_MAX_CONCURRENCY,
  parallelism: config.SEND_PARALLELISM,
  leaseSeconds: config.SEND_LEASE_SECONDS,
});

/** Send records and the token signer: what both the worker and the tracking routes read. */
const recordsAndTokens = (
  deps: Pick<EngineDeps, 'table' | 'clock'>,
  settings: Pick<EngineSettings, 'leaseSeconds' | 'tokenMaxAgeDays' | 'tokenKeys'>,
) => ({
  records: sendRecords(deps.table, {
    leaseMs: settings.leaseSeconds * 1000,
    retentionDays: settings.tokenMaxAgeDays + 30,
  }),
  tokens: createTokenSigner({
    keys: settings.tokenKeys,
    clock: deps.clock,
    maxAgeDays: settings.tokenMaxAgeDays,
  }),
});

/**
 * What the public tracking routes need, without the mailer: the API Lambda builds this, so
 * the SES client stays out of its bundle.
 */
export const createTrackingDeps = (
  deps: Pick<EngineDeps, 'table' | 'counters' | 'suppressions' | 'clock'> & {
    settings: Pick<EngineSettings, 'leaseSeconds' | 'tokenMaxAgeDays' | 'tokenKeys' | 'clickRules'>;
  },
) => ({
  ...recordsAndTokens(deps, deps.settings),
  counters: deps.counters,
  suppressions: deps.suppressions,
  clock: deps.clock,
  clickRules: deps.settings.clickRules ?? defaultClickRules,
});

export const createSendEngine = (deps: EngineDeps) => {
  const { settings } = deps;
  const { records, tokens } = recordsAndTokens(deps, settings);
  const random = deps.random ?? Math.random;
  const rate = accountSendRate(deps.mailer, {
    override: settings.maxSendRate,
    fallback: settings.fallbackSendRate ?? 1,
    logger: deps.logger,
  });
  let bucket: Promise<TokenBucket> | undefined;
  const sharedBucket = () => {
    bucket ??= rate().then(
      (maxSendRate) => new TokenBucket(perWorkerRate({ maxSendRate }, settings.maxConcurrency), deps.timer),
    );
    return bucket;
  };
  const contexts = contextLoader({
    campaigns: deps.campaigns,
    kits: deps.kits,
    brands: deps.brands,
    sendingDomains: deps.sendingDomains,
    compiled: deps.compiled,
    settings,
    campaignTtlMs: settings.campaignTtlMs ?? 30_000,
    now: deps.timer.now,
  });
  const worker = createSendWorker({
    contexts,
    suppressions: deps.suppressions,
    records,
    counters: deps.counters,
    mailer: deps.mailer,
    tokens,
    recipientKeySecret: settings.recipientKeySecret,
    bucket: sharedBucket,
    backoff: { attempts: 5, baseMs: 100, capMs: 2_000, ...settings.backoff, random },
    sleep: deps.timer.sleep,
    clock: deps.clock,
    logger: deps.logger,
    control: deps.control,
    parallelism: settings.parallelism,
  });
  const eventDeps: EventDeps = {
    records,
    counters: deps.counters,
    markers: tableEventMarkers(deps.table),
    suppressions: deps.suppressions,
    clock: deps.clock,
    logger: deps.logger,
  };
  return {
    records,
    tokens,
    worker,
    /** The SQS handler (`SQSEvent` → `SQSBatchResponse`). */
    handler: worker.handler,
    consumeEvent: (event: SesEvent) => consumeSesEvent(eventDeps, event),
    /** The EventBridge target (the envelope; `detail` is validated). */
    eventHandler: sesEventHandler(eventDeps),
    tracking: {
      tokens,
      records,
      counters: deps.counters,
      suppressions: deps.suppressions,
      clock: deps.clock,
      clickRules: settings.clickRules ?? defaultClickRules,
    },
    sendRate: rate,
  };
};
