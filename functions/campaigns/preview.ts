import { brandValues } from '#functions/brand/brand-values';
import { getKitVersion, type KitDeps } from '#functions/kits/kits';
import { renderKit } from '#functions/kits/render';
import { sampleRecipient } from '#functions/kits/sample-values';
import type { Partner } from '#functions/partners/schema';
import type { Campaign } from './schema';

export interface CampaignPreview {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  landing: string;
  /** The lead form's consent text as the landing page shows it. */
  consent: string;
}

/**
 * The campaign as its recipients will see it, for brand compliance: its frozen kit version,
 * its slot values and the partner's own brand, with a sample recipient and untracked links.
 * (kits.ts renders a library preview the same way; its helper is private to the kits feature.)
 */
export const campaignPreview = async (
  kits: KitDeps,
  campaign: Campaign,
  partner: Pick<Partner, 'name'> | undefined,
  /** Hidden lead-form fields for a visitor's page (UTM, the click it came from, when shown). */
  formHidden?: Readonly<Record<string, string>>,
): Promise<CampaignPreview> => {
  const kit = await getKitVersion(kits, campaign.kitId, campaign.kitVersion);
  const brand = await kits.brands.get(campaign.partnerId);
  const base = kits.publicBaseUrl.replace(/\/$/, '');
  const landingUrl = `${base}/p/${campaign.slug}`;
  const rendered = renderKit(kits.compiled.get(kit), {
    slots: campaign.slots,
    brand: brandValues(partner ?? { name: campaign.partnerId }, brand),
    vendor: kits.vendor,
    recipient: sampleRecipient,
    unsubscribeUrl: `${base}/u/preview`,
    landingUrl,
    trackLink: (url) => url,
    assetUrl: (name) => kit.assets.find((a) => a.name === name)?.url ?? '',
    formAction: landingUrl,
    formHidden,
  });
  return {
    subject: rendered.subject,
    preheader: rendered.preheader,
    html: rendered.html,
    text: rendered.text,
    landing: rendered.landing,
    consent: rendered.consent,
  };
};
