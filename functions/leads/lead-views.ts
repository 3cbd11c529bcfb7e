import * as z from 'zod';
import { leadStatuses } from './funnel';
import { attributionSchema, type Lead, leadSchema, wonSchema } from './lead-schema';

/**
 * What each audience may see of a lead. Marketing sees the whole lead. A partner sees only its
 * own part: its touches, its credit (other partners' shares summed as "other partners", never
 * named), the overlaps with its own lists, and EQL reasons that name no other partner. A lead
 * reached through two partners is one lead, but neither partner learns who the other was.
 */
export const leadSummarySchema = z
  .object({
    leadId: z.string(),
    email: z.string(),
    name: z.string(),
    company: z.string(),
    companyDomain: z.string().nullable(),
    status: z.enum(leadStatuses),
    qualified: z.boolean(),
    eql: z.boolean(),
    /** For a partner's row: sourced if its touch came first; for marketing: the lead's. */
    attribution: z.enum(['partner-sourced', 'partner-influenced', 'none']),
    campaignIds: z.array(z.string()),
    engaged: z.boolean(),
    won: wonSchema.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'LeadSummary' });
export type LeadSummary = z.infer<typeof leadSummarySchema>;

const nameOf = (lead: Lead) =>
  [lead.fields.first_name, lead.fields.last_name].filter((part) => part?.trim()).join(' ');

/** The inbox row: for `partnerId`'s inbox (its campaigns, its attribution), or marketing's. */
export const summaryOf = (lead: Lead, partnerId: string | undefined): LeadSummary => {
  const own = partnerId === undefined ? undefined : ownTouches(lead, partnerId);
  const attribution =
    partnerId === undefined
      ? lead.attribution.kind
      : lead.attribution.firstPartnerId === partnerId
        ? 'partner-sourced'
        : 'partner-influenced';
  return {
    leadId: lead.id,
    email: lead.email,
    name: nameOf(lead),
    company: lead.fields.company ?? '',
    companyDomain: lead.companyDomain,
    status: lead.status,
    qualified: lead.qualification.qualified,
    eql: lead.eql.eql,
    attribution,
    campaignIds: own
      ? [...new Set(own.flatMap((t) => (t.campaignId ? [t.campaignId] : [])))]
      : lead.campaignIds,
    engaged: lead.engaged,
    won: lead.won,
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
  };
};

const ownTouches = (lead: Lead, partnerId: string) => lead.touches.filter((t) => t.partnerId === partnerId);

export const OTHER_PARTNERS = 'other-partners';

export const partnerLeadViewSchema = leadSchema
  .omit({ partnerIds: true, attribution: true })
  .extend({
    attribution: attributionSchema.omit({ partnerIds: true, firstPartnerId: true }).extend({
      /** This partner's answer: sourced (its touch came first) or influenced. */
      kind: z.enum(['partner-sourced', 'partner-influenced', 'none']),
    }),
  })
  .meta({ id: 'PartnerLeadView' });
export type PartnerLeadView = z.infer<typeof partnerLeadViewSchema>;

/** A lead as `partnerId` may see it (callers have checked the partner has a touch on it). */
export const partnerView = (lead: Lead, partnerId: string): PartnerLeadView => {
  const sourced = lead.attribution.firstPartnerId === partnerId;
  const credit = Object.fromEntries(
    Object.entries(lead.attribution.credit).map(([model, shares]) => {
      const mine = shares.filter((s) => s.partnerId === partnerId);
      const others = shares.filter((s) => s.partnerId !== partnerId).reduce((sum, s) => sum + s.share, 0);
      return [model, others > 0 ? [...mine, { partnerId: OTHER_PARTNERS, share: others }] : mine];
    }),
  ) as Lead['attribution']['credit'];
  const ownOverlaps = lead.eql.overlaps.filter((o) => o.partnerId === partnerId);
  const { partnerIds: _partners, attribution: _attribution, ...rest } = lead;
  return {
    ...rest,
    campaignIds: summaryOf(lead, partnerId).campaignIds,
    touches: ownTouches(lead, partnerId),
    consents: lead.consents.filter((c) => summaryOf(lead, partnerId).campaignIds.includes(c.campaignId)),
    attribution: {
      kind: sourced ? 'partner-sourced' : 'partner-influenced',
      reasons: [
        sourced
          ? 'your campaign was the first partner touch'
          : 'your campaign touched the lead, after another partner touch came first',
      ],
      credit,
    },
    eql: {
      ...lead.eql,
      overlaps: ownOverlaps,
      // Reasons name partners; a partner sees only those about itself and the vendor.
      reasons: lead.eql.reasons.filter(
        (reason) => !/ of partner /.test(reason) || reason.endsWith(` of partner ${partnerId}`),
      ),
    },
  };
};
