import type { BrandValues, CompiledKit } from '#functions/kits/render';
import { renderEmail } from '#functions/kits/render';
import type { CampaignForSending } from './contracts';
import { addressValue, fromHeader, headerValue, listUnsubscribeHeaders } from './headers';
import type { OutgoingEmail } from './mailer';
import type { TokenSigner } from './tokens';

/**
 * One recipient's message: the kit rendered with the partner's brand and frozen slot values,
 * every link rewritten into a signed click token, the unsubscribe link and RFC 8058 headers,
 * an open pixel, and the SES tags that let events find the send again.
 */
export interface SendContext {
  campaign: CampaignForSending;
  kit: CompiledKit;
  brand: BrandValues;
  /** The partner's sender name and reply address (brand profile). */
  senderName: string;
  replyTo: string;
  vendor: { name: string; website: string };
  /** Public origin of tracking, unsubscribe and landing URLs (no trailing slash). */
  publicBaseUrl: string;
  /** The verified sending identity: `local@domain` in From, `unsubscribe@domain` in the mailto. */
  fromAddress: string;
  /** From is the partner's own verified domain: the display name is the sender name alone. */
  ownDomain?: boolean;
  unsubscribeMailto: string;
  configurationSetName: string | undefined;
  assetUrl: (name: string) => string;
}

export interface Recipient {
  email: string;
  firstName: string;
  lastName: string;
  company: string;
}

/** SES tag values allow only [A-Za-z0-9_-], at most 256 characters. */
export const tagValue = (value: string): string => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';

export const sendTags = (campaign: Pick<CampaignForSending, 'id' | 'partnerId'>, recipientKey: string) => ({
  campaign: tagValue(campaign.id),
  partner: tagValue(campaign.partnerId),
  send: tagValue(recipientKey),
});

export const openPixel = (url: string): string => `<img src="${url}" width="1" height="1" alt="">`;

/** Before the last `</body>`, or at the end when the kit has none. */
export const withPixel = (html: string, pixel: string): string => {
  // Found from the last lower-case `</body>` onwards: lower-casing a whole message per recipient
  // cost more than the rest of this function; only the (short) tail is searched ignoring case.
  const from = Math.max(0, html.lastIndexOf('</body>'));
  const last = [...html.slice(from).matchAll(/<\/body>/gi)].at(-1);
  const at = last === undefined ? -1 : from + last.index;
  return at === -1 ? `${html}${pixel}` : `${html.slice(0, at)}${pixel}${html.slice(at)}`;
};

export const composeEmail = (
  ctx: SendContext,
  recipient: Recipient,
  recipientKey: string,
  tokens: TokenSigner,
): { email: OutgoingEmail; links: string[] } => {
  const ref = { campaignId: ctx.campaign.id, recipientKey };
  const base = ctx.publicBaseUrl;
  const unsubscribeToken = tokens.sign({ ...ref, purpose: 'unsubscribe' });
  const unsubscribeUrl = `${base}/u/${unsubscribeToken}`;
  const landingUrl = `${base}/p/${encodeURIComponent(ctx.campaign.slug)}`;
  const rendered = renderEmail(ctx.kit, {
    slots: ctx.campaign.slots,
    brand: ctx.brand,
    vendor: ctx.vendor,
    recipient: {
      first_name: recipient.firstName,
      last_name: recipient.lastName,
      company: recipient.company,
    },
    unsubscribeUrl,
    landingUrl,
    trackLink: (_url, index) => `${base}/t/c/${tokens.sign({ ...ref, purpose: 'click', link: index })}`,
    assetUrl: ctx.assetUrl,
    formAction: landingUrl,
  });
  const pixel = openPixel(`${base}/t/o/${tokens.sign({ ...ref, purpose: 'open' })}`);
  const email: OutgoingEmail = {
    from: fromHeader({
      partnerName: ctx.senderName,
      vendorName: ctx.ownDomain ? undefined : ctx.vendor.name,
      address: ctx.fromAddress,
    }),
    replyTo: addressValue('Reply-To', ctx.replyTo),
    to: addressValue('To', recipient.email),
    subject: headerValue('Subject', rendered.subject),
    html: withPixel(rendered.html, pixel),
    text: rendered.text,
    headers: listUnsubscribeHeaders({
      url: unsubscribeUrl,
      mailtoAddress: ctx.unsubscribeMailto,
      token: unsubscribeToken,
    }),
    configurationSetName: ctx.configurationSetName,
    tags: sendTags(ctx.campaign, recipientKey),
  };
  return { email, links: rendered.links };
};
