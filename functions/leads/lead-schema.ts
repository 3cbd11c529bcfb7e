import * as z from 'zod';
import { accountKinds } from './account-lists';
import { creditModels, touchSchema } from './attribution';
import { leadStatuses } from './funnel';
import { qualificationRules } from './qualification';

/**
 * A lead: one person (by normalised email) across every campaign and partner that reached them,
 * with three separate answers, each with its reasons: partner attribution (from the touches),
 * qualification (marketing's rules) and EQL (account lists). The status is the vendor sales
 * lifecycle; the EQL flag and attribution stand beside it.
 */
export const leadIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a lead id (ULID)');

export const consentRecordSchema = z.object({
  given: z.boolean(),
  /** The consent text exactly as the page showed it (the kit's text with the partner's brand). */
  text: z.string(),
  textSha256: z.string(),
  /** When the page with this text was rendered for the visitor, if the form said so (signed). */
  shownAt: z.iso.datetime().nullable(),
  submittedAt: z.iso.datetime(),
  /** The landing page it was given on. */
  page: z.string(),
  campaignId: z.string(),
});
export type ConsentRecord = z.infer<typeof consentRecordSchema>;

export const ruleResultSchema = z.object({
  rule: z.enum(qualificationRules),
  outcome: z.enum(['passed', 'failed', 'skipped']),
  reason: z.string(),
});

export const qualificationSchema = z.object({
  qualified: z.boolean(),
  configVersion: z.number().int(),
  rules: z.array(ruleResultSchema),
});

export const partnerCreditSchema = z.object({ partnerId: z.string(), share: z.number().int() });

export const attributionSchema = z.object({
  kind: z.enum(['partner-sourced', 'partner-influenced', 'none']),
  firstPartnerId: z.string().optional(),
  partnerIds: z.array(z.string()),
  reasons: z.array(z.string()),
  /** Basis points per partner under each model (10,000 = the whole lead). */
  credit: z.record(z.enum(creditModels), z.array(partnerCreditSchema)),
});

export const eqlSchema = z.object({
  eql: z.boolean(),
  reasons: z.array(z.string()),
  overlaps: z.array(z.object({ partnerId: z.string(), kind: z.enum(accountKinds) })),
  decidedAt: z.iso.datetime(),
});

export const wonSchema = z.object({
  /** Integer minor units (cents); never a float. */
  amountMinor: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code'),
});

export const leadSchema = z
  .object({
    id: leadIdSchema,
    email: z.string(),
    /** Submitted form fields by the kit's field names (latest submission wins per field). */
    fields: z.record(z.string(), z.string()),
    companyDomain: z.string().nullable(),
    touches: z.array(touchSchema),
    consents: z.array(consentRecordSchema),
    /** Every campaign and partner with a touch (tenancy and filters). */
    campaignIds: z.array(z.string()),
    partnerIds: z.array(z.string()),
    attribution: attributionSchema,
    qualification: qualificationSchema,
    eql: eqlSchema,
    /** Opened, clicked or visited: from the touches and the send records. */
    engaged: z.boolean(),
    status: z.enum(leadStatuses),
    statusReason: z.string().nullable(),
    won: wonSchema.nullable(),
    /**
     * The opportunity's amount, if sales gave one when opening it; kept when the lead is won or
     * lost (pipeline generated; won revenue is `won`). Optional rather than defaulted, so leads
     * stored before it existed parse and code that builds a lead need not name it: absent = none.
     */
    pipeline: wonSchema.nullable().optional(),
    submissions: z.number().int().positive(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'Lead' });
export type Lead = z.infer<typeof leadSchema>;
