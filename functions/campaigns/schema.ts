import * as z from 'zod';
import { brandSchema } from '#functions/brand/schema';
import { KIT_ID, SEMVER } from '#functions/kits/manifest';
import type { CampaignForSending } from '#functions/sending/contracts';
import { counterNames } from '#functions/sending/contracts';

/** The statuses the send engine reads (contracts.ts); `satisfies` keeps the two lists in step. */
export const campaignStatuses = [
  'draft',
  'pending-approval',
  'approved',
  'rejected',
  'scheduled',
  'sending',
  'paused',
  'sent',
  'cancelled',
] as const satisfies readonly CampaignForSending['status'][];
export const campaignStatusSchema = z.enum(campaignStatuses);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

/** Campaign ids are ULIDs (sortable by creation, safe in keys and URLs). */
export const campaignIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a campaign id (ULID)');
/** Lists belong to the contacts feature; we only need an id that is safe in keys. */
export const listIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a list id: letters, digits, dashes or underscores');
const nameSchema = z.string().trim().min(2).max(120);
const slotsSchema = z.record(z.string().max(64), z.string().max(5000));
const futureTimeSchema = z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601, in the future' });

const actorSchema = z.object({ sub: z.string(), email: z.string(), name: z.string() });

export const decisionSchema = z
  .object({
    outcome: z.enum(['approved', 'rejected']),
    by: actorSchema,
    at: z.iso.datetime(),
    comment: z.string(),
  })
  .meta({ id: 'CampaignDecision' });
export type Decision = z.infer<typeof decisionSchema>;

/** A campaign as stored and as the API shows it. `version` is the item's revision (ETag). */
export const campaignSchema = z
  .object({
    id: campaignIdSchema,
    partnerId: z.string(),
    name: z.string(),
    kitId: z.string(),
    /** Frozen at creation: the campaign keeps it even if the kit is superseded or retired. */
    kitVersion: z.string(),
    kitName: z.string(),
    /** Frozen from the kit's manifest at creation, so a launch never needs the kit again. */
    approvalRequired: z.boolean(),
    slots: z.record(z.string(), z.string()),
    listId: z.string(),
    slug: z.string(),
    status: campaignStatusSchema,
    scheduledAt: z.iso.datetime().nullable(),
    submittedAt: z.iso.datetime().nullable(),
    decisions: z.array(decisionSchema),
    launchedAt: z.iso.datetime().nullable(),
    /**
     * The partner's brand profile as it was at launch: every message of the campaign is rendered
     * with it (a profile edited mid-send changes nothing already launched), and the MDF proof of
     * performance shows the email exactly as sent. Null: no profile at launch; absent: launched
     * before snapshots existed (the live profile is used).
     */
    brandAtLaunch: brandSchema.nullable().optional(),
    pausedAt: z.iso.datetime().nullable(),
    /** Why the send engine paused it (e.g. the brand profile went missing); null when paused by hand. */
    pauseReason: z.string().nullable(),
    cancelledAt: z.iso.datetime().nullable(),
    sentAt: z.iso.datetime().nullable(),
    /** Known once expansion has paged through the whole list. */
    audienceSize: z.number().int().nonnegative().nullable(),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof campaignSchema>;

/** Every counter the send engine keeps (an enum-keyed record requires each key). */
export const countersSchema = z
  .record(z.enum(counterNames), z.number().int())
  .meta({ id: 'CampaignCounters' });

export const campaignDetailSchema = campaignSchema
  .extend({ counters: countersSchema })
  .meta({ id: 'CampaignDetail' });

export const campaignSeriesSchema = z
  .object({
    campaignId: z.string(),
    hours: z.array(
      z.object({ hour: z.string().meta({ example: '2026-11-24T23' }), counters: countersSchema }),
    ),
  })
  .meta({ id: 'CampaignSeries' });

export const campaignPageSchema = z
  .object({ items: z.array(campaignSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CampaignPage' });

export const createCampaignSchema = z
  .strictObject({
    name: nameSchema,
    kitId: z.string().regex(KIT_ID, 'a kit id').max(64),
    /** Optional: when given it must be the version the library offers now. */
    kitVersion: z.string().regex(SEMVER, 'a semantic version').max(64).optional(),
    listId: listIdSchema,
    slots: slotsSchema.default({}),
    scheduledAt: futureTimeSchema.optional(),
  })
  .meta({ id: 'CreateCampaign' });
export type CreateCampaign = z.infer<typeof createCampaignSchema>;

export const updateCampaignSchema = z
  .strictObject({
    name: nameSchema.optional(),
    listId: listIdSchema.optional(),
    /** The whole set of slot values: slots left out take the kit's defaults again. */
    slots: slotsSchema.optional(),
    /** The planned launch time; null clears it. */
    scheduledAt: futureTimeSchema.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: 'change at least one field',
  })
  .meta({ id: 'UpdateCampaign' });
export type UpdateCampaign = z.infer<typeof updateCampaignSchema>;

export const scheduleRequestSchema = z.strictObject({ at: futureTimeSchema.optional() }).meta({
  id: 'ScheduleCampaign',
  description: 'Without `at`, the campaign’s planned `scheduledAt` is used',
});

export const decisionRequestSchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    comment: z.string().trim().max(2000).default(''),
  })
  .meta({ id: 'CampaignDecisionRequest' });
export type DecisionRequest = z.infer<typeof decisionRequestSchema>;

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
});

export const notificationSchema = z
  .object({
    id: z.string(),
    partnerId: z.string(),
    /**
     * `lead-eql`: a lead from one of the partner's campaigns became an EQL through its account list.
     * `claim-*`: an auditor asked for information on, decided or paid one of the partner's MDF claims.
     */
    kind: z.enum([
      'campaign-approved',
      'campaign-rejected',
      'lead-eql',
      'claim-info-requested',
      'claim-decided',
      'claim-paid',
    ]),
    campaignId: z.string(),
    /** The lead a `lead-eql` notification is about (the portal links to /leads/{leadId}). */
    leadId: z.string().optional(),
    /** The MDF claim a `claim-*` notification is about (the portal links to /mdf). */
    claimId: z.string().optional(),
    campaignName: z.string(),
    comment: z.string(),
    by: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

/** One step of expanding a launched campaign's list into send batches (on the send queue). */
export const expandMessageSchema = z.strictObject({
  kind: z.literal('expand'),
  campaignId: z.string().min(1),
  partnerId: z.string().min(1),
  /** The list page this step expands (0-based): part of every batch id, so redelivery is stable. */
  page: z.number().int().nonnegative().default(0),
  cursor: z.string().min(1).optional(),
});
export type ExpandMessage = z.input<typeof expandMessageSchema>;

/**
 * Puts the batches parked while a campaign was paused back on the send queue, one page per
 * message (enqueued on resume, and on cancel so the worker drops and forgets them).
 */
export const unparkMessageSchema = z.strictObject({
  kind: z.literal('unpark'),
  campaignId: z.string().min(1),
  partnerId: z.string().min(1),
});
export type UnparkMessage = z.input<typeof unparkMessageSchema>;

/**
 * What a campaign's one-time schedule delivers at its time: in AWS, EventBridge Scheduler puts
 * it on the send queue as a message of kind `launch`; locally the in-process scheduler does.
 */
export const scheduledLaunchSchema = z.strictObject({
  kind: z.literal('launch'),
  campaignId: z.string().min(1),
  partnerId: z.string().min(1),
  at: z.iso.datetime(),
});
export type ScheduledLaunch = z.infer<typeof scheduledLaunchSchema>;

/** Progress of one expanded list page: written once (conditionally) per page. */
export const expandPageSchema = z.object({
  campaignId: z.string(),
  page: z.number().int().nonnegative(),
  recipients: z.number().int().nonnegative(),
  /** Recipients of this page and every page before it: the audience size once the last is done. */
  total: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
  nextCursor: z.string().nullable(),
  /** Whether the next step (or the completion) has been done; a redelivery finishes it if not. */
  continued: z.boolean(),
  version: z.number().int().positive(),
});
export type ExpandPage = z.infer<typeof expandPageSchema>;
