import type { BrandStore } from '#functions/brand/store';
import type { Notification } from '#functions/campaigns/schema';
import type { CampaignStore } from '#functions/campaigns/store';
import type { SuppressionStore } from '#functions/contacts/suppression';
import type { LeadEvent } from '#functions/leads/lead-events';
import type { Lead } from '#functions/leads/lead-schema';
import type { PartnerStore } from '#functions/partners/store';
import { HeaderInjectionError } from '#functions/sending/headers';
import {
  MailAccountError,
  type Mailer,
  MailRejectedError,
  MailThrottledError,
} from '#functions/sending/mailer';
import type { Logger } from '#functions/sending/ports';
import type { EffectMarkers } from './effect-markers';
import {
  displayText,
  type EqlNotice,
  eqlEmail,
  leadCompany,
  leadDisplayName,
  type NotificationSender,
  partnerReason,
} from './eql-email';
import { effectKey } from './keys';
import { stableUlid } from './stable-id';

/**
 * The partner's notification of a new EQL: one in-portal notification (the feed the approvals
 * use) and one email to the partner's own marketing address (its brand profile's reply-to),
 * through SES with the vendor's identity and configuration set, never to an address under a
 * global suppression (hard bounce, complaint). Each is done once per lead event.
 *
 * Who is notified: the partners with a touch on the lead whose own account list made it an EQL.
 * A partner with a touch but no overlap is not told, because the only reason would be another
 * partner's list; a partner whose list overlaps but who has no touch cannot see the lead.
 */
export interface NotifyDeps {
  markers: EffectMarkers;
  partners: Pick<PartnerStore, 'get'>;
  brands: Pick<BrandStore, 'get'>;
  campaigns: Pick<CampaignStore, 'get'>;
  suppressions: Pick<SuppressionStore, 'why'>;
  mailer: Pick<Mailer, 'sendEmail'>;
  sender: NotificationSender;
  /** The portal's origin (no trailing slash): the email links to `/leads/{leadId}` there. */
  portalBaseUrl: string;
  clock: () => Date;
  logger: Logger;
}

/** Another worker is sending this email right now: retry the message later. */
export class EffectBusyError extends Error {
  override name = 'EffectBusyError';
}

/** How long a claimed email may take before another worker may try it (well under the visibility timeout). */
export const EMAIL_LEASE_MS = 120_000;

export const partnersToNotify = (event: Pick<LeadEvent, 'partnerIds'>, lead: Pick<Lead, 'eql'>): string[] => {
  const overlapping = new Set(lead.eql.overlaps.map((o) => o.partnerId));
  return [...new Set(event.partnerIds)].filter((id) => overlapping.has(id)).sort();
};

/** This partner's campaign that brought the lead: the event's when it is theirs, else their latest touch's. */
export const partnerCampaignId = (
  event: Pick<LeadEvent, 'campaignId'>,
  lead: Pick<Lead, 'touches'>,
  partnerId: string,
): string | undefined => {
  const theirs = lead.touches.filter((t) => t.partnerId === partnerId && t.campaignId !== undefined);
  if (event.campaignId && theirs.some((t) => t.campaignId === event.campaignId)) return event.campaignId;
  return theirs.at(-1)?.campaignId;
};

const noticeFor = async (deps: NotifyDeps, event: LeadEvent, lead: Lead, partnerId: string) => {
  const campaignId = partnerCampaignId(event, lead, partnerId) ?? '';
  const [partner, campaign] = await Promise.all([
    deps.partners.get(partnerId),
    campaignId ? deps.campaigns.get(campaignId) : undefined,
  ]);
  const notice: EqlNotice = {
    vendorName: deps.sender.vendorName,
    partnerName: displayText(partner?.name ?? partnerId),
    leadName: leadDisplayName(lead),
    jobTitle: displayText(lead.fields.job_title, 80) || null,
    company: leadCompany(lead),
    campaignName: displayText(campaign?.name ?? (campaignId || 'one of your campaigns')),
    reason: partnerReason(lead, partnerId),
    leadUrl: `${deps.portalBaseUrl}/leads/${encodeURIComponent(lead.id)}`,
  };
  return { notice, campaignId };
};

const notifyInPortal = async (
  deps: NotifyDeps,
  event: LeadEvent,
  partnerId: string,
  notice: EqlNotice,
  campaignId: string,
): Promise<void> => {
  const at = new Date(event.at);
  const notification: Notification = {
    id: stableUlid(at, [event.leadId, event.version, event.kind, 'portal', partnerId]),
    partnerId,
    kind: 'lead-eql',
    leadId: event.leadId,
    campaignId,
    campaignName: notice.campaignName,
    comment: `${notice.leadName} at ${notice.company}: ${notice.reason}`,
    by: deps.sender.vendorName,
    createdAt: event.at,
  };
  await deps.markers.notifyOnce(effectKey(event, 'portal', partnerId), notification, deps.clock());
};

const emailPartner = async (
  deps: NotifyDeps,
  event: LeadEvent,
  partnerId: string,
  notice: EqlNotice,
): Promise<void> => {
  const claim = await deps.markers.claim(effectKey(event, 'email', partnerId), deps.clock(), EMAIL_LEASE_MS);
  if (claim.kind === 'done') return;
  if (claim.kind === 'busy') throw new EffectBusyError(`the EQL email to ${partnerId} is being sent`);
  const brand = await deps.brands.get(partnerId);
  if (!brand) {
    await deps.markers.complete(claim, 'skipped', 'the partner has no brand profile, so no address');
    return;
  }
  const suppressed = (await deps.suppressions.why(partnerId, brand.replyTo)).filter(
    (s) => s.scope === 'global',
  );
  if (suppressed.length > 0) {
    const reasons = suppressed.map((s) => s.reason).join(', ');
    deps.logger.warn('EQL email not sent: the address is suppressed', { partnerId, reasons });
    await deps.markers.complete(claim, 'suppressed', reasons);
    return;
  }
  try {
    const email = eqlEmail(notice, deps.sender, brand.replyTo, { leadId: event.leadId, partnerId });
    const { messageId } = await deps.mailer.sendEmail(email);
    await deps.markers.complete(claim, 'sent', messageId);
  } catch (error) {
    if (error instanceof MailRejectedError || error instanceof HeaderInjectionError) {
      deps.logger.warn('EQL email rejected; not retried', { partnerId, error: error.message });
      await deps.markers.complete(claim, 'rejected', error.message);
      return;
    }
    // Not sent: give the claim back so the redelivered message sends it.
    if (error instanceof MailThrottledError || error instanceof MailAccountError)
      await deps.markers.release(claim);
    throw error;
  }
};

/** Portal notification, then email, for each partner to notify; every partner is tried before a failure is thrown. */
export const notifyNewEql = async (deps: NotifyDeps, event: LeadEvent, lead: Lead): Promise<void> => {
  if (!lead.eql.eql) {
    deps.logger.info('the lead is no longer an EQL; no notification', { leadId: lead.id });
    return;
  }
  const failures: unknown[] = [];
  for (const partnerId of partnersToNotify(event, lead)) {
    try {
      const { notice, campaignId } = await noticeFor(deps, event, lead, partnerId);
      await notifyInPortal(deps, event, partnerId, notice, campaignId);
      await emailPartner(deps, event, partnerId, notice);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
};
