import * as z from 'zod';

/**
 * What lead capture and the lead lifecycle announce after the lead is stored, for the effects
 * that must never hold a lead back: the partner's notification of a new EQL (portal and email)
 * and the CRM webhooks. Published to the lead-effects queue (SQS in AWS, in-process locally);
 * a failure to publish is logged and never loses the lead, which is already stored.
 */
export const leadEventSchema = z.strictObject({
  kind: z.enum(['lead-captured', 'lead-updated', 'lead-status-changed']),
  leadId: z.string().min(1),
  /** The campaign of the submission (capture) — absent for status changes. */
  campaignId: z.string().min(1).optional(),
  /** Partners with a touch on the lead at the time of the event. */
  partnerIds: z.array(z.string()),
  /** This event made the lead an EQL (it was not one before). */
  becameEql: z.boolean(),
  /** The lead's version after the change: effects dedupe on (leadId, version, kind). */
  version: z.number().int().positive(),
  at: z.iso.datetime(),
});
export type LeadEvent = z.infer<typeof leadEventSchema>;

export type PublishLeadEvent = (event: LeadEvent) => Promise<void>;
