import * as z from 'zod';
import { partnerIdSchema } from '#functions/partners/schema';

/**
 * MDF funds and pre-approval requests: the API's shapes and the stored ones (one source of truth).
 * Money is always an integer number of minor units (cents) with an ISO 4217 currency: a float
 * anywhere is a 422 naming the field, never rounded.
 */

/** Integer minor units; the ceiling (10^13, e.g. 100 billion dollars) keeps every product exact. */
export const MAX_MINOR = 10_000_000_000_000;
export const minorSchema = z
  .int()
  .min(0)
  .max(MAX_MINOR)
  .meta({ description: 'Integer minor units (e.g. cents); never a float' });
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
  .meta({ example: 'USD' });

const ulid = (what: string) => z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, `a ${what} id (ULID)`);
export const fundIdSchema = ulid('fund');
export const requestIdSchema = ulid('request');

/** A fiscal period: a quarter (`2026-Q4`), a half (`2026-H2`) or a fiscal year (`FY2027`). */
export const periodSchema = z
  .string()
  .regex(/^(?:20\d{2}-(?:Q[1-4]|H[12])|FY20\d{2})$/, 'a fiscal period such as 2026-Q4, 2026-H2 or FY2027')
  .meta({ example: '2026-Q4' });

const actorSchema = z.object({ sub: z.string(), email: z.string(), name: z.string() });
export type Actor = z.infer<typeof actorSchema>;

/**
 * A fund as stored and shown. `remainingMinor` = allocated − committed is kept as its own
 * attribute by every write, because a DynamoDB condition can compare but not add: approvals
 * commit only `when remainingMinor >= commitment`. Claims (next) add to claimed/approved/paid
 * with the same conditional update; `approvedMinor` here is what auditors approved on claims.
 */
export const fundSchema = z
  .object({
    id: fundIdSchema,
    partnerId: z.string(),
    period: z.string(),
    currency: z.string(),
    allocatedMinor: z.int(),
    /** The vendor's share of an activity's spend, in basis points (5000 = 50% co-funding). */
    reimbursementShareBps: z.int(),
    /** Claims are due within this many days after the activity ends. */
    claimDeadlineDays: z.int(),
    committedMinor: z.int(),
    claimedMinor: z.int(),
    approvedMinor: z.int(),
    paidMinor: z.int(),
    remainingMinor: z.int(),
    createdAt: z.iso.datetime(),
    createdBy: actorSchema,
    updatedAt: z.iso.datetime(),
    version: z.int().positive(),
  })
  .meta({ id: 'MdfFund' });
export type Fund = z.infer<typeof fundSchema>;

export const createFundSchema = z
  .strictObject({
    partnerId: partnerIdSchema,
    period: periodSchema,
    currency: currencySchema,
    allocatedMinor: minorSchema,
    reimbursementShareBps: z.int().min(1).max(10_000).meta({ example: 5000 }),
    claimDeadlineDays: z.int().min(1).max(365).default(60),
  })
  .meta({ id: 'CreateMdfFund' });
export type CreateFund = z.infer<typeof createFundSchema>;

/** The share is fixed at creation: commitments already made were computed with it. */
export const updateFundSchema = z
  .strictObject({
    allocatedMinor: minorSchema.optional(),
    claimDeadlineDays: z.int().min(1).max(365).optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: 'change at least one field',
  })
  .meta({ id: 'UpdateMdfFund' });
export type UpdateFund = z.infer<typeof updateFundSchema>;

export const requestStatuses = ['submitted', 'approved', 'rejected', 'withdrawn'] as const;
export const requestStatusSchema = z.enum(requestStatuses);
export type RequestStatus = z.infer<typeof requestStatusSchema>;

const plannedActivitySchema = z
  .strictObject({
    name: z.string().trim().min(2).max(120),
    description: z.string().trim().min(1).max(2000),
    startDate: z.iso.date(),
    endDate: z.iso.date(),
  })
  .refine((a) => a.endDate >= a.startDate, { path: ['endDate'], message: 'must not be before startDate' });

const expectedOutcomesSchema = z.strictObject({
  leads: z.int().min(0).max(10_000_000),
  eqls: z.int().min(0).max(10_000_000),
  /** Pipeline in the request's currency, integer minor units. */
  pipelineMinor: minorSchema,
});

/** A pre-approval request as stored and shown. */
export const mdfRequestSchema = z
  .object({
    id: requestIdSchema,
    partnerId: z.string(),
    fundId: z.string(),
    /** An existing campaign of the partner, or null for a planned one described by the activity. */
    campaignId: z.string().nullable(),
    plannedActivity: plannedActivitySchema,
    plannedSpendMinor: z.int(),
    currency: z.string(),
    expectedOutcomes: expectedOutcomesSchema,
    /** The fund's share when the request was filed; the commitment is computed with it. */
    reimbursementShareBps: z.int(),
    status: requestStatusSchema,
    /** Approved spend (≤ planned); marketing may approve less. */
    approvedMinor: z.int().nullable(),
    /** What approval took from the fund: floor(approvedMinor × share). */
    committedMinor: z.int().nullable(),
    rejectionReason: z.string().nullable(),
    decidedBy: actorSchema.nullable(),
    decidedAt: z.iso.datetime().nullable(),
    withdrawnAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    createdBy: actorSchema,
    updatedAt: z.iso.datetime(),
    version: z.int().positive(),
  })
  .meta({ id: 'MdfRequest' });
export type MdfRequest = z.infer<typeof mdfRequestSchema>;

export const createRequestSchema = z
  .strictObject({
    fundId: fundIdSchema,
    campaignId: ulid('campaign').optional(),
    plannedActivity: plannedActivitySchema,
    plannedSpendMinor: minorSchema.min(1),
    currency: currencySchema,
    expectedOutcomes: expectedOutcomesSchema,
  })
  .meta({ id: 'CreateMdfRequest' });
export type CreateRequest = z.infer<typeof createRequestSchema>;

export const decisionSchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    /** Approve: the spend approved (≤ planned); the commitment is the vendor's share of it. */
    approvedMinor: minorSchema.min(1).optional(),
    /** Reject: why, shown to the partner. */
    reason: z.string().trim().min(3).max(1000).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.decision === 'approve' && body.approvedMinor === undefined) {
      ctx.addIssue({ code: 'custom', path: ['approvedMinor'], message: 'required to approve' });
    }
    if (body.decision === 'reject' && body.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required to reject' });
    }
    if (body.decision === 'reject' && body.approvedMinor !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['approvedMinor'], message: 'only when approving' });
    }
  })
  .meta({ id: 'MdfDecision' });
export type Decision = z.infer<typeof decisionSchema>;

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
};
export const fundQuerySchema = z.strictObject({
  partnerId: partnerIdSchema.optional(),
  period: periodSchema.optional(),
  ...pageQuery,
});
export const requestQuerySchema = z.strictObject({
  partnerId: partnerIdSchema.optional(),
  status: requestStatusSchema.optional(),
  ...pageQuery,
});

export const fundPageSchema = z
  .object({ items: z.array(fundSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'MdfFundPage' });
export const requestPageSchema = z
  .object({ items: z.array(mdfRequestSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'MdfRequestPage' });
