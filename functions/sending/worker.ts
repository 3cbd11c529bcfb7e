import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { composeEmail, type Recipient, type SendContext } from './compose';
import { type CampaignForSending, type CounterStore, type SendBatch, sendBatchSchema } from './contracts';
import { HeaderInjectionError, isPlainAddress } from './headers';
import {
  MailAccountError,
  type Mailer,
  MailRejectedError,
  MailThrottledError,
  type OutgoingEmail,
} from './mailer';
import type { CampaignControl, Logger, Suppressions } from './ports';
import { type Backoff, sendPaced, type TokenBucket } from './rate-limiter';
import { CampaignNotSendableError, type contextLoader } from './send-context';
import type { SendRecord, SendRecords } from './send-records';
import { recipientKey, type TokenSigner } from './tokens';

/**
 * The send queue's consumer: SQS batches of `send-batch` messages in, partial batch failures
 * out (`batchItemFailures`). Each message is one failure or none: a malformed body, a
 * recipient throttled past the bounded retries or held by another worker's live lease make the
 * message come back; everything already settled is skipped on redelivery. A paused campaign's
 * batch is parked until resume (campaigns/parking.ts) instead of coming back again and again.
 */
export interface WorkerDeps {
  contexts: ReturnType<typeof contextLoader>;
  suppressions: Pick<Suppressions, 'suppressedAmong'>;
  records: SendRecords;
  counters: Pick<CounterStore, 'add'>;
  mailer: Pick<Mailer, 'sendEmail'>;
  tokens: TokenSigner;
  recipientKeySecret: string;
  /** Built once per process from the account's send rate (rate-limiter.ts). */
  bucket: () => Promise<Pick<TokenBucket, 'take'>>;
  backoff: Backoff;
  sleep: (ms: number) => Promise<void>;
  clock: () => Date;
  logger: Logger;
  control?: CampaignControl | undefined;
  /** Sends in flight at once within one message (each still takes a token first). */
  parallelism: number;
}

type Outcome = 'sent' | 'skipped' | 'suppressed' | 'failed' | 'retry' | 'account';
type Keyed = Recipient & { key: string };

export interface BatchResult {
  retry: boolean;
  /** Held until the campaign resumes (paused): the message is done with. */
  parked: boolean;
  outcomes: Record<Outcome, number>;
  throttles: number;
}

const newResult = (): BatchResult => ({
  retry: false,
  parked: false,
  outcomes: { sent: 0, skipped: 0, suppressed: 0, failed: 0, retry: 0, account: 0 },
  throttles: 0,
});

const mapLimit = async <T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>) => {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await run(item);
    }
  });
  await Promise.all(lanes);
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Campaign states whose batches come back later; any other non-sending state drops them. */
const NOT_YET: ReadonlySet<CampaignForSending['status']> = new Set(['paused', 'scheduled', 'approved']);

export const createSendWorker = (deps: WorkerDeps) => {
  let accountStopped: MailAccountError | undefined;

  /** After a claim: send (paced, throttles retried), then record what SES answered. */
  const deliver = async (claim: SendRecord, email: OutgoingEmail, result: BatchResult): Promise<Outcome> => {
    const bucket = await deps.bucket();
    try {
      const { messageId } = await sendPaced(
        () => deps.mailer.sendEmail(email),
        { bucket, backoff: deps.backoff, sleep: deps.sleep },
        () => {
          result.throttles += 1;
        },
      );
      const marked = await deps.records.markSent(claim, messageId, deps.clock());
      if (marked === 'conflict') {
        deps.logger.warn('a send was claimed again before it was marked sent: possible duplicate', {
          campaignId: claim.campaignId,
          messageId,
        });
      }
      // Whoever made the transition to `sent` counts it: here, or the Send event.
      return marked === 'sent' ? 'sent' : 'skipped';
    } catch (error) {
      return failed(claim, error);
    }
  };

  /** What a failed send means for its claim: recorded, given back, or kept until the lease ends. */
  const failed = async (claim: SendRecord, error: unknown): Promise<Outcome> => {
    if (error instanceof MailRejectedError) {
      await deps.records.markFailed(claim, { code: error.code, message: error.message.slice(0, 500) });
      return 'failed';
    }
    if (error instanceof MailThrottledError || error instanceof MailAccountError) {
      if (error instanceof MailAccountError) accountStopped ??= error;
      // SES did not take it: give the claim back so the redelivery sends at once.
      await deps.records.release(claim);
      return error instanceof MailAccountError ? 'account' : 'retry';
    }
    // Ambiguous (timeout, 5xx, a crash of ours after SES answered): SES may have accepted it.
    // Keep the lease so the Send event can mark it sent before anyone retries.
    deps.logger.warn('send failed ambiguously; the claim is kept until its lease ends', {
      campaignId: claim.campaignId,
      error: message(error),
    });
    return 'retry';
  };

  const sendOne = async (ctx: SendContext, recipient: Keyed, result: BatchResult): Promise<Outcome> => {
    if (accountStopped) return 'account';
    const send = {
      campaignId: ctx.campaign.id,
      recipientKey: recipient.key,
      partnerId: ctx.campaign.partnerId,
      email: recipient.email,
    };
    let composed: ReturnType<typeof composeEmail>;
    try {
      composed = composeEmail(ctx, recipient, recipient.key, deps.tokens);
    } catch (error) {
      if (!(error instanceof HeaderInjectionError)) throw error;
      const failure = { code: 'invalid-header', message: error.message };
      const recorded = await deps.records.settle({ ...send, links: [] }, 'failed', deps.clock(), failure);
      return recorded ? 'failed' : 'skipped';
    }
    const claim = await deps.records.claim({ ...send, links: composed.links }, deps.clock());
    if (claim.kind === 'settled') return 'skipped';
    if (claim.kind === 'busy') return 'retry';
    return deliver(claim.record, composed.email, result);
  };

  /** Distinct recipients, keyed; invalid addresses and suppressed ones settled without a send. */
  const sendable = async (campaign: CampaignForSending, batch: SendBatch, result: BatchResult) => {
    const unique = new Map<string, Keyed>();
    for (const r of batch.recipients) {
      const email = r.email.trim();
      const key = recipientKey(deps.recipientKeySecret, campaign.id, email);
      if (!unique.has(key)) unique.set(key, { ...r, email, key });
    }
    const all = [...unique.values()];
    const valid = all.filter((r) => isPlainAddress(r.email));
    const suppressed = await deps.suppressions.suppressedAmong(
      campaign.partnerId,
      valid.map((r) => r.email.toLowerCase()),
    );
    const now = deps.clock();
    const settle = async (r: Keyed, status: 'suppressed' | 'failed') => {
      const send = {
        campaignId: campaign.id,
        recipientKey: r.key,
        partnerId: campaign.partnerId,
        email: r.email,
      };
      const failure =
        status === 'failed' ? { code: 'invalid-address', message: 'not a plain address' } : undefined;
      const recorded = await deps.records.settle({ ...send, links: [] }, status, now, failure);
      result.outcomes[recorded ? status : 'skipped'] += 1;
    };
    for (const r of all) {
      if (!isPlainAddress(r.email)) await settle(r, 'failed');
      else if (suppressed.has(r.email.toLowerCase())) await settle(r, 'suppressed');
    }
    return valid.filter((r) => !suppressed.has(r.email.toLowerCase()));
  };

  const processBatch = async (batch: SendBatch): Promise<BatchResult> => {
    const result = newResult();
    const campaign = await deps.contexts.campaign(batch.campaignId);
    if (campaign?.partnerId !== batch.partnerId) {
      deps.logger.error('no such campaign for this partner; the batch goes to the dead letters', {
        batchId: batch.batchId,
      });
      return { ...result, retry: true };
    }
    if (campaign.status === 'paused' && deps.control) {
      if (await deps.control.park(batch)) return { ...result, parked: true };
      // Resumed (or cancelled) since this worker last read it: read it again next time.
      deps.contexts.forget(campaign.id);
      return { ...result, retry: true };
    }
    if (NOT_YET.has(campaign.status)) return { ...result, retry: true };
    if (campaign.status !== 'sending') return result;
    const ctx = await deps.contexts.context(campaign);
    try {
      const recipients = await sendable(campaign, batch, result);
      await mapLimit(recipients, deps.parallelism, async (r) => {
        const outcome = await sendOne(ctx, r, result).catch((error: unknown): Outcome => {
          deps.logger.error('a recipient could not be processed', {
            batchId: batch.batchId,
            error: message(error),
          });
          return 'retry';
        });
        result.outcomes[outcome] += 1;
      });
    } finally {
      // Only transitions this delivery won are counted, so redeliveries never count twice.
      const { sent, failed, suppressed } = result.outcomes;
      await deps.counters.add(campaign.id, { sent, failed, suppressed }, deps.clock());
    }
    if (accountStopped) await stopCampaign(campaign.id, `${accountStopped.code}: ${accountStopped.message}`);
    result.retry = result.outcomes.retry > 0 || result.outcomes.account > 0;
    return result;
  };

  const stopCampaign = async (campaignId: string, reason: string) => {
    deps.logger.error('stopping the campaign', { campaignId, reason });
    await deps.control?.pause(campaignId, reason);
    deps.contexts.forget(campaignId);
  };

  const parse = (record: SQSRecord): SendBatch | undefined => {
    try {
      const parsed = sendBatchSchema.safeParse(JSON.parse(record.body));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: reported below like any malformed message
    }
    deps.logger.error('send message is malformed', { messageId: record.messageId });
    return undefined;
  };

  const handleRecord = async (record: SQSRecord): Promise<boolean> => {
    const batch = parse(record);
    if (!batch) return false;
    try {
      return !(await processBatch(batch)).retry;
    } catch (error) {
      if (error instanceof CampaignNotSendableError && error.pause)
        await stopCampaign(batch.campaignId, error.message);
      else deps.logger.error('send batch failed', { batchId: batch.batchId, error: message(error) });
      return false;
    }
  };

  return {
    processBatch,
    async handler(event: SQSEvent): Promise<SQSBatchResponse> {
      accountStopped = undefined;
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        const ok = accountStopped ? false : await handleRecord(record);
        if (!ok) batchItemFailures.push({ itemIdentifier: record.messageId });
      }
      return { batchItemFailures };
    },
  };
};
