import type { LeadEvent } from '#functions/leads/lead-events';
import type { Lead } from '#functions/leads/lead-schema';
import type { Partner } from '#functions/partners/schema';
import type { PartnerStore } from '#functions/partners/store';
import { PreconditionFailedError } from '#platform/errors';
import type { DeliveryMessage, Programs, StoredDelivery } from './schema';
import { stableUlid } from './stable-id';
import type { WebhookStore } from './webhook-store';

/**
 * A lead event's CRM webhooks: every enabled webhook subscribed to the event's kind whose
 * programs include a tier of a partner on the lead (`all` includes leads with no partner) gets
 * one delivery, logged and put on the queue as its own message, so each CRM retries on its own
 * schedule. The delivery id is derived from (lead, version, kind, webhook): a redelivered event
 * finds the delivery it made and only re-enqueues one that never reached the queue.
 */
export interface FanOutDeps {
  webhooks: Pick<WebhookStore, 'list' | 'createDelivery' | 'updateDelivery'>;
  partners: Pick<PartnerStore, 'get'>;
  enqueue: (message: DeliveryMessage) => Promise<void>;
  /** The lead as the payload's `data` shows it (marketing's view). */
  view: (lead: Lead) => unknown;
  clock: () => Date;
}

/** The payload `id`: one per lead event, the same for every webhook and every retry. */
export const eventIdOf = (event: Pick<LeadEvent, 'leadId' | 'version' | 'kind' | 'at'>): string =>
  stableUlid(new Date(event.at), [event.leadId, event.version, event.kind]);

export const deliveryIdOf = (
  event: Pick<LeadEvent, 'leadId' | 'version' | 'kind' | 'at'>,
  webhookId: string,
): string => stableUlid(new Date(event.at), [event.leadId, event.version, event.kind, webhookId]);

export const matchesPrograms = (programs: Programs, tiers: ReadonlySet<Partner['tier']>): boolean =>
  programs === 'all' || programs.some((tier) => tiers.has(tier));

/** `{ id, type, createdAt, data }`, serialised once: every attempt sends (and signs) these bytes. */
export const payloadOf = (event: LeadEvent, data: unknown): string =>
  JSON.stringify({ id: eventIdOf(event), type: event.kind, createdAt: event.at, data });

export const newDelivery = (
  fields: Pick<StoredDelivery, 'id' | 'webhookId' | 'eventId' | 'eventType' | 'leadId' | 'body'>,
  now: Date,
): StoredDelivery => ({
  ...fields,
  status: 'pending',
  reason: null,
  attempts: [],
  nextAttemptAt: null,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  version: 1,
  enqueued: false,
});

/** Puts a logged delivery on the queue and notes it; a concurrent attempt may have moved it on already. */
export const enqueueDelivery = async (
  deps: Pick<FanOutDeps, 'webhooks' | 'enqueue'>,
  delivery: StoredDelivery,
): Promise<void> => {
  await deps.enqueue({ kind: 'webhook-delivery', webhookId: delivery.webhookId, deliveryId: delivery.id });
  try {
    await deps.webhooks.updateDelivery(delivery, { enqueued: true });
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
  }
};

export const fanOutWebhooks = async (deps: FanOutDeps, event: LeadEvent, lead: Lead): Promise<number> => {
  const subscribed = (await deps.webhooks.list()).filter((w) => w.enabled && w.events.includes(event.kind));
  if (subscribed.length === 0) return 0;
  const partners = await Promise.all([...new Set(event.partnerIds)].map((id) => deps.partners.get(id)));
  const tiers = new Set(partners.flatMap((partner) => (partner ? [partner.tier] : [])));
  const body = payloadOf(event, deps.view(lead));
  let enqueued = 0;
  for (const webhook of subscribed.filter((w) => matchesPrograms(w.programs, tiers))) {
    const fresh = newDelivery(
      {
        id: deliveryIdOf(event, webhook.id),
        webhookId: webhook.id,
        eventId: eventIdOf(event),
        eventType: event.kind,
        leadId: event.leadId,
        body,
      },
      deps.clock(),
    );
    const { created, delivery } = await deps.webhooks.createDelivery(fresh, deps.clock());
    if (!created && delivery.enqueued) continue;
    await enqueueDelivery(deps, delivery);
    enqueued += 1;
  }
  return enqueued;
};
