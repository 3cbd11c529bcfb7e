import * as z from 'zod';

/**
 * The proof-of-performance (POP) pack: what the platform's own records say about the activity
 * a claim is for, assembled at filing time and frozen. Nothing in it comes from the claimant
 * except the claim's own figures (amount, invoiced spend), which the anomalies check.
 * Money is integer minor units with a currency; rates are integer basis points; times ISO UTC.
 */
export const POP_SCHEMA_VERSION = 1;
/** Leads listed inline (by lead id); counts always cover every lead. */
export const POP_LEAD_CAP = 5000;

const iso = z.iso.datetime();
const bps = z
  .int()
  .min(0)
  .nullable()
  .meta({ description: 'Basis points (10,000 = 100%); null when the denominator is 0' });
const money = z.object({ currency: z.string(), amountMinor: z.int(), leads: z.int() });
const actor = z.object({ sub: z.string(), email: z.string(), name: z.string() });

export const popAnomalyCodes = [
  'request-not-approved',
  'currency-mismatch',
  'campaign-missing',
  'campaign-not-linked',
  'campaign-not-sent',
  'campaign-not-finished',
  'launched-before-approval',
  'sends-outside-window',
  'list-created-after-approval',
  'list-imported-after-approval',
  'high-hard-bounce-rate',
  'high-complaint-rate',
  'elevated-complaint-rate',
  'claim-exceeds-share',
  'claim-exceeds-commitment',
  'invoiced-exceeds-approved',
  'no-leads',
  'brand-profile-missing',
  'brand-changed-after-launch',
] as const;
export type PopAnomalyCode = (typeof popAnomalyCodes)[number];

export const popAnomalySchema = z.object({
  code: z.enum(popAnomalyCodes),
  severity: z.enum(['warning', 'info']),
  message: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type PopAnomaly = z.infer<typeof popAnomalySchema>;

export const popLeadSchema = z.object({
  leadId: z.string(),
  email: z.string(),
  name: z.string(),
  company: z.string(),
  companyDomain: z.string().nullable(),
  status: z.string(),
  qualified: z.boolean(),
  eql: z.boolean(),
  /** For the claiming partner: sourced when its touch came first. */
  attribution: z.enum(['partner-sourced', 'partner-influenced', 'none']),
  /** The claiming partner's credit per model, basis points of the lead. */
  creditBps: z.object({ firstTouch: z.int(), lastTouch: z.int(), linear: z.int() }),
  /** This campaign's first touch on the lead (form submit if any, else any touch). */
  capturedAt: iso.nullable(),
  /** The opportunity's amount when sales recorded one (kept after won or lost). */
  pipeline: z.object({ amountMinor: z.int(), currency: z.string() }).nullable(),
  won: z.object({ amountMinor: z.int(), currency: z.string() }).nullable(),
  createdAt: iso,
});
export type PopLead = z.infer<typeof popLeadSchema>;

const emailSchema = z.object({
  subject: z.string(),
  preheader: z.string(),
  html: z.string(),
  text: z.string(),
});

export const popCampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  slug: z.string(),
  listId: z.string(),
  kit: z.object({
    id: z.string(),
    name: z.string(),
    version: z.string(),
    /** SHA-256 of the kit archive as uploaded: the version's templates are immutable. */
    archiveSha256: z.string().nullable(),
  }),
  slots: z.record(z.string(), z.string()),
  /**
   * The brand values the rendering used: the profile frozen onto the campaign at launch, which the
   * send worker rendered every message with (`launch-snapshot`). Campaigns launched before
   * snapshots existed fall back to the live profile (`live-profile`), with its `updatedAt`/`version`
   * so an auditor can see whether it changed after the launch.
   */
  brand: z.object({
    source: z.enum(['launch-snapshot', 'live-profile', 'missing']),
    values: z.record(z.string(), z.string()),
    senderName: z.string().nullable(),
    replyTo: z.string().nullable(),
    profileUpdatedAt: iso.nullable(),
    profileVersion: z.int().nullable(),
  }),
  email: emailSchema,
  landingHtml: z.string(),
  /** How the rendering differs from any one recipient's message (personalisation, tracking). */
  renderingNote: z.string(),
});
export type PopCampaign = z.infer<typeof popCampaignSchema>;

export const popPackSchema = z
  .object({
    schemaVersion: z.literal(POP_SCHEMA_VERSION),
    claim: z.object({
      claimId: z.string(),
      partnerId: z.string(),
      campaignId: z.string(),
      amountMinor: z.int(),
      invoicedSpendMinor: z.int(),
      currency: z.string(),
      filedAt: iso,
      /** min(committed, floor(invoiced × share)): the most the claim can pay. */
      maxReimbursableMinor: z.int(),
    }),
    request: z.object({
      id: z.string(),
      fundId: z.string(),
      campaignId: z.string().nullable(),
      status: z.string(),
      activity: z.object({
        name: z.string(),
        description: z.string(),
        startDate: z.iso.date(),
        endDate: z.iso.date(),
      }),
      plannedSpendMinor: z.int(),
      approvedMinor: z.int().nullable(),
      committedMinor: z.int().nullable(),
      reimbursementShareBps: z.int(),
      currency: z.string(),
      expectedOutcomes: z.object({ leads: z.int(), eqls: z.int(), pipelineMinor: z.int() }),
      filedAt: iso,
      filedBy: actor,
      decidedAt: iso.nullable(),
      decidedBy: actor.nullable(),
    }),
    campaign: popCampaignSchema.nullable(),
    audience: z.object({
      size: z.int().nullable(),
      list: z
        .object({
          id: z.string(),
          name: z.string(),
          memberCount: z.int(),
          createdAt: iso,
          updatedAt: iso,
        })
        .nullable(),
      /** Imports into the list, oldest first. */
      imports: z.array(
        z.object({
          id: z.string(),
          status: z.string(),
          createdAt: iso,
          finishedAt: iso.nullable(),
          imported: z.int(),
          merged: z.int(),
          rejected: z.int(),
        }),
      ),
    }),
    sendLog: z.object({
      queued: z.int(),
      sent: z.int(),
      delivered: z.int(),
      hardBounced: z.int(),
      softBounced: z.int(),
      complained: z.int(),
      unsubscribed: z.int(),
      failed: z.int(),
      suppressed: z.int(),
      /** UTC hours (`2026-11-24T23`) with sends, from the hourly counters, oldest first. */
      sendHours: z.array(z.object({ hour: z.string(), sent: z.int() })),
      firstSendAt: iso.nullable(),
      lastSendAt: iso.nullable(),
      /** Hour resolution: the counters are hourly; firstSendAt is the hour's start, lastSendAt its end. */
      resolution: z.literal('hour'),
    }),
    engagement: z.object({
      opens: z.int(),
      uniqueOpens: z.int(),
      clicks: z.int(),
      uniqueClicks: z.int(),
      uniqueHumanClicks: z.int(),
      rates: z.object({
        /** Of delivered. */
        uniqueOpenBps: bps,
        uniqueClickBps: bps,
        uniqueHumanClickBps: bps,
        complaintBps: bps,
        unsubscribeBps: bps,
        /** Of sent. */
        hardBounceBps: bps,
        softBounceBps: bps,
        deliveredBps: bps,
      }),
    }),
    leads: z.object({
      total: z.int(),
      qualified: z.int(),
      eqls: z.int(),
      sourced: z.int(),
      influenced: z.int(),
      byStatus: z.record(z.string(), z.int()),
      /**
       * Leads that became opportunities (opportunity, won or lost): pipeline generated, the
       * opportunity amounts per currency from the leads that carry one (as ROPI counts it).
       */
      pipeline: z.object({ leads: z.int(), amounts: z.array(money) }),
      won: z.object({ leads: z.int(), revenue: z.array(money) }),
      eqlRateBps: bps,
      items: z.array(popLeadSchema),
      cap: z.int(),
      omitted: z.int(),
    }),
    timeline: z.object({
      requestFiledAt: iso,
      requestApprovedAt: iso.nullable(),
      campaignCreatedAt: iso.nullable(),
      campaignSubmittedAt: iso.nullable(),
      campaignApprovedAt: iso.nullable(),
      campaignLaunchedAt: iso.nullable(),
      firstSendAt: iso.nullable(),
      lastSendAt: iso.nullable(),
      campaignSentAt: iso.nullable(),
      firstLeadAt: iso.nullable(),
      claimFiledAt: iso,
    }),
    anomalies: z.array(popAnomalySchema),
  })
  .meta({ id: 'PopPack' });
export type PopPack = z.infer<typeof popPackSchema>;
