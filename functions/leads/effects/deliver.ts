import type { Logger } from '#functions/sending/ports';
import { PreconditionFailedError } from '#platform/errors';
import { MAX_ATTEMPTS, retryDelaySeconds } from './backoff';
import type { PostJson } from './http-post';
import type { Attempt, DeliveryMessage, StoredDelivery } from './schema';
import type { SecretBox } from './secret-box';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature';
import type { DeliveryChanges, WebhookStore } from './webhook-store';

/**
 * One attempt of one webhook delivery: sign the stored body afresh (`t` = now), POST it, log the
 * attempt (status, duration, error, the start of the answer). A 2xx is delivered. Anything else
 * waits `retryDelaySeconds` (the queue message's visibility is extended by that much) until the
 * queue's receive count reaches `maxAttempts`: then the delivery is logged as failed and the
 * message left to the redrive policy, which dead-letters it. A delivery whose webhook was deleted
 * or disabled meanwhile is cancelled, not sent.
 */
export interface DeliveryDeps {
  webhooks: Pick<WebhookStore, 'get' | 'getDelivery' | 'updateDelivery'>;
  secrets: SecretBox;
  post: PostJson;
  clock: () => Date;
  logger: Logger;
  /** The queue's maxReceiveCount (MAX_ATTEMPTS in AWS). */
  maxAttempts?: number;
  random?: () => number;
}

export type DeliveryOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; delaySeconds: number }
  /** Out of attempts: fail the message so the queue dead-letters it. */
  | { kind: 'exhausted' };

const isSuccess = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/** Applies changes to the latest stored delivery, re-reading when a concurrent write moved it. */
const save = async (
  deps: DeliveryDeps,
  delivery: StoredDelivery,
  changes: (current: StoredDelivery) => DeliveryChanges,
): Promise<void> => {
  let current = delivery;
  for (let tries = 0; ; tries += 1) {
    try {
      await deps.webhooks.updateDelivery(current, changes(current));
      return;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError) || tries >= 3) throw error;
      const latest = await deps.webhooks.getDelivery(current.webhookId, current.id);
      if (!latest) return;
      current = latest;
    }
  }
};

export const attemptDelivery = async (
  deps: DeliveryDeps,
  message: DeliveryMessage,
  receiveCount: number,
): Promise<DeliveryOutcome> => {
  const delivery = await deps.webhooks.getDelivery(message.webhookId, message.deliveryId);
  if (!delivery) {
    deps.logger.warn('webhook delivery not found (expired?); dropped', { ...message });
    return { kind: 'done' };
  }
  // Failed deliveries are tried again only when someone redrives their dead letter.
  if (delivery.status === 'delivered' || delivery.status === 'cancelled') return { kind: 'done' };
  const webhook = await deps.webhooks.get(message.webhookId);
  const now = deps.clock();
  if (!webhook?.enabled) {
    const reason = webhook ? 'the webhook was disabled before delivery' : 'the webhook was deleted';
    await save(deps, delivery, () => ({
      status: 'cancelled',
      reason,
      nextAttemptAt: null,
      updatedAt: now.toISOString(),
    }));
    return { kind: 'done' };
  }
  const secret = deps.secrets.open(webhook.sealedSecret, webhook.id);
  const result = await deps.post(webhook.url, delivery.body, {
    [SIGNATURE_HEADER]: signatureHeader(secret, delivery.body, now),
    [DELIVERY_ID_HEADER]: delivery.id,
  });
  const delivered = isSuccess(result.statusCode);
  const exhausted = !delivered && receiveCount >= (deps.maxAttempts ?? MAX_ATTEMPTS);
  const delaySeconds = delivered || exhausted ? 0 : retryDelaySeconds(receiveCount, deps.random);
  const finished = deps.clock();
  await save(deps, delivery, (current) => {
    const attempt: Attempt = { attempt: current.attempts.length + 1, at: now.toISOString(), ...result };
    return {
      attempts: [...current.attempts, attempt],
      status: delivered ? 'delivered' : exhausted ? 'failed' : 'pending',
      nextAttemptAt:
        delaySeconds > 0 ? new Date(finished.getTime() + delaySeconds * 1000).toISOString() : null,
      updatedAt: finished.toISOString(),
    };
  });
  if (delivered) return { kind: 'done' };
  deps.logger.warn(exhausted ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry', {
    webhookId: webhook.id,
    deliveryId: delivery.id,
    receiveCount,
    statusCode: result.statusCode,
    error: result.error,
    delaySeconds,
  });
  return exhausted ? { kind: 'exhausted' } : { kind: 'retry', delaySeconds };
};
