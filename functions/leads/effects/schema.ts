import * as z from 'zod';
import { leadEventSchema } from '#functions/leads/lead-events';
import { tierSchema } from '#functions/partners/schema';

/**
 * The lead effects' shapes: marketing's CRM webhooks (what the API takes and shows, what the
 * table stores), their delivery log, and the messages on the lead-effects queue.
 */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const webhookIdSchema = z.string().regex(ULID, 'a webhook id (ULID)');
export const deliveryIdSchema = z.string().regex(ULID, 'a delivery id (ULID)');

/** What a webhook can subscribe to: the lead events capture and the lifecycle publish. */
export const webhookEventKinds = leadEventSchema.shape.kind.options;
export type WebhookEventKind = (typeof webhookEventKinds)[number];
/** A delivery's `type`: a lead event, or the test a marketer sends from the portal. */
export const deliveryTypes = [...webhookEventKinds, 'webhook-test'] as const;
export type DeliveryType = (typeof deliveryTypes)[number];

/** The partner program tiers a webhook is for, or every one (and leads with no partner). */
export const programsSchema = z
  .union([z.literal('all'), z.array(tierSchema).min(1).max(4)])
  .meta({ description: '`"all"`, or the partner program tiers whose leads this webhook receives' });
export type Programs = z.infer<typeof programsSchema>;

export const webhookInputSchema = z
  .strictObject({
    name: z.string().trim().min(2).max(120),
    /** Checked again by the use-case: https only, no private, loopback or link-local host. */
    url: z.url({ protocol: /^https?$/, error: 'an absolute https URL' }).max(2048),
    programs: programsSchema,
    events: z.array(z.enum(webhookEventKinds)).min(1).max(webhookEventKinds.length),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'WebhookInput' });
export type WebhookInput = z.infer<typeof webhookInputSchema>;

export const webhookSchema = z
  .object({
    id: webhookIdSchema,
    name: z.string(),
    url: z.string(),
    programs: programsSchema,
    events: z.array(z.enum(webhookEventKinds)),
    enabled: z.boolean(),
    /** The secret's last characters, so a marketer can tell which one a CRM holds. */
    secretHint: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof webhookSchema>;

export const createdWebhookSchema = webhookSchema
  .extend({
    secret: z.string().meta({
      description:
        'The signing secret, shown this once: the HMAC-SHA256 key of `ChannelKit-Signature` (the whole string, UTF-8)',
    }),
  })
  .meta({ id: 'CreatedWebhook' });

/** The signing secret at rest: AES-256-GCM under a key derived from the platform secret. */
export const sealedSecretSchema = z.object({
  kid: z.string(),
  iv: z.string(),
  data: z.string(),
  tag: z.string(),
});
export type SealedSecret = z.infer<typeof sealedSecretSchema>;

export const storedWebhookSchema = webhookSchema.extend({ sealedSecret: sealedSecretSchema });
export type StoredWebhook = z.infer<typeof storedWebhookSchema>;

export const attemptSchema = z
  .object({
    attempt: z.number().int().positive(),
    at: z.iso.datetime(),
    /** The CRM's HTTP status; null when no answer came (timeout, refused, DNS). */
    statusCode: z.number().int().nullable(),
    durationMs: z.number().int().nonnegative(),
    error: z.string().nullable(),
    /** The start of the CRM's answer (at most 1 KB). */
    responseBody: z.string().nullable(),
  })
  .meta({ id: 'WebhookAttempt' });
export type Attempt = z.infer<typeof attemptSchema>;

export const deliveryStatuses = ['pending', 'delivered', 'failed', 'cancelled'] as const;

export const deliverySchema = z
  .object({
    id: deliveryIdSchema,
    webhookId: webhookIdSchema,
    /** The payload's `id`: the same for every webhook an event goes to, and across retries. */
    eventId: z.string(),
    /** The payload's `type`. */
    eventType: z.enum(deliveryTypes),
    leadId: z.string().nullable(),
    status: z.enum(deliveryStatuses),
    /** Why a delivery was cancelled (its webhook was disabled or deleted before it went out). */
    reason: z.string().nullable(),
    attempts: z.array(attemptSchema),
    nextAttemptAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'WebhookDelivery' });
export type Delivery = z.infer<typeof deliverySchema>;

export const storedDeliverySchema = deliverySchema.extend({
  /** The exact JSON body every attempt sends (signed afresh each time). */
  body: z.string(),
  /** Its delivery message is on the queue (a redelivered lead event re-enqueues it otherwise). */
  enqueued: z.boolean(),
});
export type StoredDelivery = z.infer<typeof storedDeliverySchema>;

export const deliveryPageSchema = z
  .object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryPage' });

export const webhookListSchema = z.object({ items: z.array(webhookSchema) }).meta({ id: 'WebhookList' });

export const deliveryPageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
});

/** One delivery attempt to make: the second kind of message on the lead-effects queue. */
export const deliveryMessageSchema = z.strictObject({
  kind: z.literal('webhook-delivery'),
  webhookId: webhookIdSchema,
  deliveryId: deliveryIdSchema,
});
export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;

/** Everything on the lead-effects queue: lead events (from capture and the lifecycle) and deliveries. */
export const leadEffectsMessageSchema = z.union([leadEventSchema, deliveryMessageSchema]);
export type LeadEffectsMessage = z.infer<typeof leadEffectsMessageSchema>;
