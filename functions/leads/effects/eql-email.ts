import Handlebars from 'handlebars';
import type { AccountKind } from '#functions/leads/account-lists';
import type { Lead } from '#functions/leads/lead-schema';
import { tagValue } from '#functions/sending/compose';
import { addressValue, displayName, headerValue, isControl } from '#functions/sending/headers';
import type { OutgoingEmail } from '#functions/sending/mailer';

/**
 * The partner's "new EQL" email, built by pure functions (tested by exact output). Partner-safe
 * by construction: it is made only from the lead's own fields, this partner's campaign and this
 * partner's overlap, never from the lead's EQL reasons (which name every overlapping partner).
 * The HTML is rendered by Handlebars, which escapes every value; headers go through headers.ts.
 */
export interface EqlNotice {
  vendorName: string;
  /** The recipient partner's own name. */
  partnerName: string;
  leadName: string;
  jobTitle: string | null;
  company: string;
  campaignName: string;
  /** Why the lead is an EQL for this partner (its own list only). */
  reason: string;
  leadUrl: string;
}

export interface NotificationSender {
  /** `notifications@<SENDER_DOMAIN>`: the vendor's verified identity. */
  fromAddress: string;
  vendorName: string;
  configurationSetName: string | undefined;
}

/** Form values are visitor input: no control characters, one line, a bounded length. */
export const displayText = (value: string | undefined, max = 120): string => {
  const cleaned = [...(value ?? '')]
    .map((char) => (isControl(char.codePointAt(0) ?? 0) ? ' ' : char))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
};

const overlapWords: Record<AccountKind, string> = {
  customer: 'one of your customers',
  opportunity: 'one of your open opportunities',
};

/** This partner's kinds of overlap with the lead's account, in a fixed order. */
export const overlapKindsOf = (lead: Pick<Lead, 'eql'>, partnerId: string): AccountKind[] => {
  const kinds = new Set(lead.eql.overlaps.filter((o) => o.partnerId === partnerId).map((o) => o.kind));
  return (['customer', 'opportunity'] as const).filter((kind) => kinds.has(kind));
};

/** "acme.com is one of your customers, and neither a vendor customer nor an open vendor opportunity." */
export const partnerReason = (lead: Pick<Lead, 'eql' | 'companyDomain'>, partnerId: string): string => {
  const kinds = overlapKindsOf(lead, partnerId).map((kind) => overlapWords[kind]);
  const account = lead.companyDomain ?? 'The account';
  return `${account} is ${kinds.join(' and ')}, and neither a vendor customer nor an open vendor opportunity.`;
};

export const leadDisplayName = (lead: Pick<Lead, 'fields'>): string =>
  displayText([lead.fields.first_name, lead.fields.last_name].filter(Boolean).join(' '), 80) || 'A new lead';

export const leadCompany = (lead: Pick<Lead, 'fields' | 'companyDomain'>): string =>
  displayText(lead.fields.company, 80) || lead.companyDomain || 'their company';

const hb = Handlebars.create();
const html = hb.compile(
  `<!doctype html>
<html lang="en">
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<p>Hello {{partnerName}} team,</p>
<p><strong>{{leadName}}</strong>{{#if jobTitle}} ({{jobTitle}}){{/if}} at <strong>{{company}}</strong> responded to your campaign <strong>{{campaignName}}</strong> and is an ecosystem-qualified lead (EQL).</p>
<p><strong>Why it is an EQL for you:</strong> {{reason}}</p>
<p><a href="{{leadUrl}}" style="color:#1d4ed8">Open the lead in the {{vendorName}} partner portal</a></p>
<p style="color:#52606d;font-size:12px">{{vendorName}} sends this notice to the reply-to address of your brand profile.</p>
</body>
</html>
`,
  { strict: true },
);

export const eqlSubject = (notice: Pick<EqlNotice, 'leadName' | 'company'>): string =>
  headerValue('Subject', displayText(`New EQL: ${notice.leadName} at ${notice.company}`, 150));

export const eqlNoticeText = (notice: EqlNotice): string =>
  [
    `Hello ${notice.partnerName} team,`,
    '',
    `${notice.leadName}${notice.jobTitle ? ` (${notice.jobTitle})` : ''} at ${notice.company} responded to your campaign ${notice.campaignName} and is an ecosystem-qualified lead (EQL).`,
    '',
    `Why it is an EQL for you: ${notice.reason}`,
    '',
    `Open the lead in the ${notice.vendorName} partner portal: ${notice.leadUrl}`,
    '',
    `${notice.vendorName} sends this notice to the reply-to address of your brand profile.`,
    '',
  ].join('\n');

export const eqlEmail = (
  notice: EqlNotice,
  sender: NotificationSender,
  to: string,
  tags: { leadId: string; partnerId: string },
): OutgoingEmail => {
  const from = `${displayName(`${sender.vendorName} Partner Portal`)} <${addressValue('From', sender.fromAddress)}>`;
  return {
    from,
    replyTo: addressValue('Reply-To', sender.fromAddress),
    to: addressValue('To', to),
    subject: eqlSubject(notice),
    html: html(notice),
    text: eqlNoticeText(notice),
    headers: [],
    configurationSetName: sender.configurationSetName,
    tags: { notification: 'lead-eql', lead: tagValue(tags.leadId), partner: tagValue(tags.partnerId) },
  };
};
