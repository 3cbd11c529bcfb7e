import type { Table } from '#platform/table';
import { ALL_WEBHOOKS, deliveriesOf, deliveryKey, expiresAfter, webhookKey } from './keys';
import {
  type Delivery,
  deliverySchema,
  type StoredDelivery,
  type StoredWebhook,
  storedDeliverySchema,
  storedWebhookSchema,
} from './schema';

/** Marketing configures a handful of CRM webhooks; every lead event reads them all in one Query. */
export const MAX_WEBHOOKS = 50;
/** How long the delivery log keeps a delivery (and its payload). */
export const DELIVERY_RETENTION_DAYS = 30;

export type WebhookChanges = Partial<
  Pick<StoredWebhook, 'name' | 'url' | 'programs' | 'events' | 'enabled' | 'updatedAt'>
>;
export type DeliveryChanges = Partial<
  Pick<StoredDelivery, 'status' | 'reason' | 'attempts' | 'nextAttemptAt' | 'updatedAt' | 'enqueued'>
>;

export interface WebhookStore {
  list(): Promise<StoredWebhook[]>;
  get(webhookId: string): Promise<StoredWebhook | undefined>;
  create(webhook: StoredWebhook): Promise<void>;
  /** Optimistic concurrency: a stale version is a PreconditionFailedError, a missing one NotFoundError. */
  update(webhookId: string, expectedVersion: number, changes: WebhookChanges): Promise<StoredWebhook>;
  remove(webhookId: string): Promise<void>;
  /** Creates the delivery once: a second call with the same id returns the stored one. */
  createDelivery(
    delivery: StoredDelivery,
    now: Date,
  ): Promise<{ created: boolean; delivery: StoredDelivery }>;
  getDelivery(webhookId: string, deliveryId: string): Promise<StoredDelivery | undefined>;
  updateDelivery(current: StoredDelivery, changes: DeliveryChanges): Promise<StoredDelivery>;
  /** The delivery log, newest first (without payloads). */
  deliveries(
    webhookId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Delivery[]; nextCursor: string | null }>;
}

export const webhookStore = (table: Table): WebhookStore => {
  const getDelivery = async (webhookId: string, deliveryId: string) => {
    const item = await table.get(deliveryKey(webhookId, deliveryId));
    return item ? storedDeliverySchema.parse(item) : undefined;
  };
  return {
    async list() {
      const page = await table.query({ ...ALL_WEBHOOKS, limit: MAX_WEBHOOKS });
      return page.items.map((item) => storedWebhookSchema.parse(item));
    },
    async get(webhookId) {
      const item = await table.get(webhookKey(webhookId));
      return item ? storedWebhookSchema.parse(item) : undefined;
    },
    create: (webhook) => table.create({ ...webhookKey(webhook.id), type: 'webhook', ...webhook }),
    async update(webhookId, expectedVersion, changes) {
      return storedWebhookSchema.parse(await table.update(webhookKey(webhookId), expectedVersion, changes));
    },
    remove: (webhookId) => table.transact([{ delete: webhookKey(webhookId) }]),
    async createDelivery(delivery, now) {
      const outcome = await table.putIfAbsent({
        ...deliveryKey(delivery.webhookId, delivery.id),
        type: 'webhook-delivery',
        ...delivery,
        expiresAt: expiresAfter(now, DELIVERY_RETENTION_DAYS),
      });
      if (outcome === 'created') return { created: true, delivery };
      const stored = await getDelivery(delivery.webhookId, delivery.id);
      if (!stored) throw new Error(`delivery ${delivery.id} vanished while being created`);
      return { created: false, delivery: stored };
    },
    getDelivery,
    async updateDelivery(current, changes) {
      const key = deliveryKey(current.webhookId, current.id);
      return storedDeliverySchema.parse(await table.update(key, current.version, changes));
    },
    async deliveries(webhookId, limit, cursor) {
      const page = await table.query({ ...deliveriesOf(webhookId), limit, cursor });
      return { items: page.items.map((item) => deliverySchema.parse(item)), nextCursor: page.nextCursor };
    },
  };
};
