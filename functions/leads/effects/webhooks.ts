import { tiers } from '#functions/partners/schema';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '#platform/errors';
import { enqueueDelivery, newDelivery } from './fan-out';
import {
  type Delivery,
  type DeliveryMessage,
  deliverySchema,
  type Programs,
  type StoredWebhook,
  type Webhook,
  type WebhookInput,
  webhookSchema,
} from './schema';
import { newSigningSecret, type SecretBox, secretHint } from './secret-box';
import { checkWebhookUrl, type UrlPolicy } from './url-guard';
import { MAX_WEBHOOKS, type WebhookStore } from './webhook-store';

/**
 * Marketing's CRM webhooks: create (the signing secret is returned this once and stored sealed),
 * list, change, delete, send a test, read the delivery log. The URL is checked against the SSRF
 * guard here, with the field named, before anything is stored.
 */
export interface WebhookDeps {
  store: WebhookStore;
  secrets: SecretBox;
  enqueue: (message: DeliveryMessage) => Promise<void>;
  urlPolicy: UrlPolicy;
  clock: () => Date;
  newId: () => string;
}

const checkedUrl = (url: string, policy: UrlPolicy): string => {
  const check = checkWebhookUrl(url, policy);
  if (!check.ok)
    throw new ValidationError(`the URL is refused: ${check.reason}`, [
      { path: 'body.url', message: check.reason },
    ]);
  return check.url.href;
};

/** Tiers once each, in program order; events once each. */
const normalised = (input: WebhookInput, policy: UrlPolicy) => {
  const programs: Programs =
    input.programs === 'all'
      ? 'all'
      : tiers.filter((tier) => input.programs !== 'all' && input.programs.includes(tier));
  return {
    name: input.name,
    url: checkedUrl(input.url, policy),
    programs,
    events: [...new Set(input.events)],
    enabled: input.enabled,
  };
};

const view = (webhook: StoredWebhook): Webhook => webhookSchema.parse(webhook);

const requireWebhook = async (deps: WebhookDeps, webhookId: string): Promise<StoredWebhook> => {
  const webhook = await deps.store.get(webhookId);
  if (!webhook) throw new NotFoundError('no such webhook');
  return webhook;
};

export const listWebhooks = async (deps: WebhookDeps): Promise<Webhook[]> =>
  (await deps.store.list()).map(view);

export const createWebhook = async (
  deps: WebhookDeps,
  input: WebhookInput,
): Promise<Webhook & { secret: string }> => {
  const fields = normalised(input, deps.urlPolicy);
  if ((await deps.store.list()).length >= MAX_WEBHOOKS) {
    throw new ConflictError(`at most ${MAX_WEBHOOKS} webhooks; delete one first`);
  }
  const id = deps.newId();
  const secret = newSigningSecret();
  const now = deps.clock().toISOString();
  const webhook: StoredWebhook = {
    id,
    ...fields,
    secretHint: secretHint(secret),
    sealedSecret: deps.secrets.seal(secret, id),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.store.create(webhook);
  return { ...view(webhook), secret };
};

export const updateWebhook = async (
  deps: WebhookDeps,
  webhookId: string,
  expectedVersion: number,
  input: WebhookInput,
): Promise<Webhook> =>
  view(
    await deps.store.update(webhookId, expectedVersion, {
      ...normalised(input, deps.urlPolicy),
      updatedAt: deps.clock().toISOString(),
    }),
  );

export const deleteWebhook = async (deps: WebhookDeps, webhookId: string): Promise<void> => {
  await requireWebhook(deps, webhookId);
  await deps.store.remove(webhookId);
};

/** A signed `webhook-test` delivery through the queue, logged like any other. */
export const testWebhook = async (deps: WebhookDeps, webhookId: string): Promise<Delivery> => {
  const webhook = await requireWebhook(deps, webhookId);
  if (!webhook.enabled) throw new ConflictError('the webhook is disabled: enable it to send a test');
  const now = deps.clock();
  const eventId = deps.newId();
  const body = JSON.stringify({
    id: eventId,
    type: 'webhook-test',
    createdAt: now.toISOString(),
    data: { webhookId: webhook.id, name: webhook.name, message: 'A test delivery from ChannelKit: no lead.' },
  });
  const delivery = newDelivery(
    { id: deps.newId(), webhookId: webhook.id, eventId, eventType: 'webhook-test', leadId: null, body },
    now,
  );
  await deps.store.createDelivery(delivery, now);
  try {
    await enqueueDelivery({ webhooks: deps.store, enqueue: deps.enqueue }, delivery);
  } catch (error) {
    await deps.store.updateDelivery(delivery, {
      status: 'cancelled',
      reason: 'it could not be queued',
      updatedAt: deps.clock().toISOString(),
    });
    throw error instanceof UnavailableError
      ? error
      : new UnavailableError('the delivery queue is unavailable');
  }
  return deliverySchema.parse((await deps.store.getDelivery(webhook.id, delivery.id)) ?? delivery);
};

export const webhookDeliveries = async (
  deps: WebhookDeps,
  webhookId: string,
  limit: number,
  cursor?: string,
) => {
  await requireWebhook(deps, webhookId);
  return deps.store.deliveries(webhookId, limit, cursor);
};
