import * as z from 'zod';
import { currencySchema, minorSchema, requestIdSchema } from './schema';

/**
 * MDF claims: the API's shapes and the stored ones (one source of truth).
 *
 * A claim asks for the vendor's reimbursement of an approved activity. Its invoices are uploaded
 * first (each judged by its content, stored write-once and named by its SHA-256), then the claim
 * names them. At filing the platform assembles the proof of performance (POP) from its own
 * records and freezes it: stored write-once, its hash in the claim and in the audit log.
 * Decisions are appended, never edited: a correction is a new decision naming the one it corrects.
 */
const ulid = (what: string) => z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, `a ${what} id (ULID)`);
export const claimIdSchema = ulid('claim');
export const decisionIdSchema = ulid('decision');
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 (64 lower-case hex digits)');

export const invoiceTypes = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'] as const;
export type InvoiceType = (typeof invoiceTypes)[number];

/**
 * Uploads stop at 4 MiB: the API runs on Lambda, whose request payload stops at 6 MB, and a binary
 * body travels base64-encoded (4/3 larger). A bigger scan goes as several pages.
 */
export const INVOICE_LIMITS = { bytes: 4 * 1024 * 1024, perClaim: 10, minSide: 16, maxSide: 20_000 } as const;

/** An uploaded invoice or receipt, as the upload answers it. */
export const invoiceUploadSchema = z
  .object({
    sha256: sha256Schema,
    contentType: z.enum(invoiceTypes),
    bytes: z.int(),
    /** Pages (PDF, counted from its page objects) or 1 for an image. */
    pages: z.int(),
    uploadedAt: z.iso.datetime(),
  })
  .meta({ id: 'MdfInvoiceUpload' });
export type InvoiceUpload = z.infer<typeof invoiceUploadSchema>;

/** An invoice as a claim names it: the upload, the partner's label and the spend it evidences. */
export const claimInvoiceInputSchema = z.strictObject({
  sha256: sha256Schema,
  name: z.string().trim().min(1).max(200),
  /** The spend this invoice shows, in the claim's currency (integer minor units). */
  amountMinor: minorSchema.min(1),
});

export const claimInvoiceSchema = claimInvoiceInputSchema.extend({
  contentType: z.enum(invoiceTypes),
  bytes: z.int(),
  pages: z.int(),
  /** The response to an information request it came with, if any. */
  addedAt: z.iso.datetime(),
});
export type ClaimInvoice = z.infer<typeof claimInvoiceSchema>;

export const claimStatuses = [
  'submitted',
  'info-requested',
  'approved',
  'partially-approved',
  'rejected',
  'paid',
] as const;
export const claimStatusSchema = z.enum(claimStatuses);
export type ClaimStatus = z.infer<typeof claimStatusSchema>;

export const rejectionCodes = [
  'insufficient-proof',
  'ineligible-activity',
  'outside-window',
  'duplicate',
  'not-as-approved',
  'other',
] as const;

export const decisionOutcomes = ['approved', 'partially-approved', 'rejected', 'info-requested'] as const;

const actorSchema = z.object({ sub: z.string(), email: z.string(), name: z.string() });

/** One recorded decision: final once stored; `corrects` names the decision it replaces. */
export const claimDecisionSchema = z.object({
  id: decisionIdSchema,
  outcome: z.enum(decisionOutcomes),
  /** Approved reimbursement (approved: the claimed amount; partially: less). */
  amountMinor: z.int().nullable(),
  reasonCode: z.enum(rejectionCodes).nullable(),
  /** Why (partial, reject), or what information is needed (info-requested). */
  reason: z.string().nullable(),
  corrects: z.string().nullable(),
  by: actorSchema,
  at: z.iso.datetime(),
});
export type ClaimDecision = z.infer<typeof claimDecisionSchema>;

export const claimResponseSchema = z.object({
  message: z.string(),
  invoices: z.array(z.string()),
  by: actorSchema,
  at: z.iso.datetime(),
});

export const frozenPopSchema = z.object({
  /** Write-once evidence keys of the pack (canonical JSON) and its archive (zip). */
  key: z.string(),
  archiveKey: z.string(),
  /** SHA-256 of the stored pack's bytes and of the archive's, as the audit log also records them. */
  sha256: sha256Schema,
  archiveSha256: sha256Schema,
  assembledAt: z.iso.datetime(),
  anomalies: z.array(z.string()),
});

export const paymentSchema = z.object({
  reference: z.string(),
  paidMinor: z.int(),
  paidOn: z.iso.date(),
  by: actorSchema,
  at: z.iso.datetime(),
});

export const claimSchema = z
  .object({
    id: claimIdSchema,
    partnerId: z.string(),
    fundId: z.string(),
    requestId: z.string(),
    campaignId: z.string(),
    /** The activity's name, from the request (lists show it). */
    activityName: z.string(),
    currency: z.string(),
    /** The reimbursement claimed: at most the approved commitment of the request. */
    amountMinor: z.int(),
    /** What the invoices show was spent (their sum). */
    invoicedSpendMinor: z.int(),
    notes: z.string(),
    invoices: z.array(claimInvoiceSchema),
    pop: frozenPopSchema,
    /** The last day a claim for this activity could be filed (activity end + the fund's days). */
    deadline: z.iso.date(),
    status: claimStatusSchema,
    /** The effective approved amount (the latest final decision's), null until decided. */
    approvedMinor: z.int().nullable(),
    decisions: z.array(claimDecisionSchema),
    responses: z.array(claimResponseSchema),
    payment: paymentSchema.nullable(),
    filedAt: z.iso.datetime(),
    filedBy: actorSchema,
    updatedAt: z.iso.datetime(),
    version: z.int().positive(),
  })
  .meta({ id: 'MdfClaim' });
export type Claim = z.infer<typeof claimSchema>;

export const fileClaimSchema = z
  .strictObject({
    requestId: requestIdSchema,
    /** The campaign that carried the activity, when the request named none (a planned one). */
    campaignId: ulid('campaign').optional(),
    amountMinor: minorSchema.min(1),
    currency: currencySchema,
    invoices: z
      .array(claimInvoiceInputSchema)
      .min(1, 'attach at least one invoice or receipt')
      .max(INVOICE_LIMITS.perClaim)
      .refine((list) => new Set(list.map((i) => i.sha256)).size === list.length, {
        message: 'an invoice is named twice',
      }),
    notes: z.string().trim().max(4000).default(''),
  })
  .meta({ id: 'FileMdfClaim' });
export type FileClaim = z.infer<typeof fileClaimSchema>;

export const claimDecisionInputSchema = z
  .strictObject({
    outcome: z.enum(['approve', 'partially-approve', 'reject', 'request-info']),
    /** Partially approve: the amount approved (less than claimed). */
    amountMinor: minorSchema.min(1).optional(),
    /** Reject: one of the codes. */
    reasonCode: z.enum(rejectionCodes).optional(),
    /** Partially approve / reject: why; request info: what is needed. Shown to the partner. */
    reason: z.string().trim().min(3).max(2000).optional(),
    /** A correction: the id of the decision it replaces (the latest final one). */
    corrects: decisionIdSchema.optional(),
  })
  .superRefine((body, ctx) => {
    const need = (field: 'amountMinor' | 'reasonCode' | 'reason', why: string) => {
      if (body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    const forbid = (field: 'amountMinor' | 'reasonCode', why: string) => {
      if (body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    if (body.outcome === 'partially-approve') {
      need('amountMinor', 'required to approve partially');
      need('reason', 'required to approve partially');
    } else forbid('amountMinor', 'only when approving partially');
    if (body.outcome === 'reject') {
      need('reasonCode', 'required to reject');
      need('reason', 'required to reject');
    } else forbid('reasonCode', 'only when rejecting');
    if (body.outcome === 'request-info') need('reason', 'say what information is needed');
  })
  .meta({ id: 'MdfClaimDecisionInput' });
export type ClaimDecisionInput = z.infer<typeof claimDecisionInputSchema>;

export const claimResponseInputSchema = z
  .strictObject({
    message: z.string().trim().min(3).max(4000),
    invoices: z.array(claimInvoiceInputSchema).max(INVOICE_LIMITS.perClaim).default([]),
  })
  .meta({ id: 'MdfClaimResponseInput' });
export type ClaimResponseInput = z.infer<typeof claimResponseInputSchema>;

export const paymentInputSchema = z
  .strictObject({
    reference: z.string().trim().min(3).max(100),
    /** The day the payment left (defaults to today, UTC). */
    paidOn: z.iso.date().optional(),
  })
  .meta({ id: 'MdfClaimPaymentInput' });
export type PaymentInput = z.infer<typeof paymentInputSchema>;

export const claimQuerySchema = z.strictObject({
  partnerId: z.string().max(64).optional(),
  status: claimStatusSchema.optional(),
  /** Age (oldest first) reads the index; amount sorts the open queue, largest first. */
  sort: z.enum(['age', 'amount']).default('age'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
});

export const claimPageSchema = z
  .object({ items: z.array(claimSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'MdfClaimPage' });

/** The claim page's integrity panel: the chain verified, and the frozen files re-hashed. */
export const claimIntegritySchema = z
  .object({
    ok: z.boolean(),
    chain: z.object({
      ok: z.boolean(),
      entries: z.int(),
      firstBroken: z.object({ seq: z.int(), reason: z.string(), detail: z.string() }).nullable(),
    }),
    /** Each frozen file: recorded hash (claim + audit log) vs its bytes now. */
    files: z.array(
      z.object({
        item: z.string(),
        key: z.string(),
        recordedSha256: z.string(),
        storedSha256: z.string().nullable(),
        inAuditLog: z.boolean(),
        ok: z.boolean(),
      }),
    ),
    checkedAt: z.iso.datetime(),
  })
  .meta({ id: 'MdfClaimIntegrity' });
export type ClaimIntegrity = z.infer<typeof claimIntegritySchema>;
