import { brandValues } from '#functions/brand/brand-values';
import type { Campaign } from '#functions/campaigns/schema';
import { getKitVersion, type KitDeps } from '#functions/kits/kits';
import { renderKit } from '#functions/kits/render';
import { publicUrl } from '#platform/blobs';
import type { PopCampaign } from './schema';

/** What the rendering shows where a real message carried one recipient's values. */
export const RECIPIENT_PLACEHOLDERS = {
  first_name: '[first name]',
  last_name: '[last name]',
  company: '[company]',
} as const;

export const RENDERING_NOTE =
  'Rendered from the campaign’s frozen kit version and slot values with the partner brand profile, ' +
  'the way the send worker renders each message (functions/sending/send-context.ts and compose.ts). ' +
  'Per-recipient values are shown as placeholders, links as their targets rather than their ' +
  'per-recipient tracking redirects, the unsubscribe link with a placeholder token, and the open ' +
  'pixel is left out. The brand is the profile frozen onto the campaign at launch, the one every ' +
  'message was rendered with (brand.source launch-snapshot); for campaigns launched before snapshots ' +
  'existed it is the live profile: compare brand.profileUpdatedAt with the launch time.';

export type RenderedAsSent = Omit<PopCampaign, 'id' | 'name' | 'status' | 'slug' | 'listId' | 'slots'>;

/**
 * The campaign's email and landing page as its recipients got them. Mirrors the send path
 * rather than campaignPreview: the brand's own company name (not the partner record's), asset
 * URLs falling back to the public asset path, the landing URL with an encoded slug.
 *
 * The brand is the profile frozen at launch (what the send worker rendered with); a campaign
 * launched before snapshots existed falls back to the live profile, and the pack records the
 * profile's `updatedAt` and `version` so an auditor can tell (and the anomalies flag it).
 */
export const renderAsSent = async (kits: KitDeps, campaign: Campaign): Promise<RenderedAsSent> => {
  const snapshot = campaign.brandAtLaunch !== undefined;
  const [kit, brand] = await Promise.all([
    getKitVersion(kits, campaign.kitId, campaign.kitVersion),
    snapshot ? (campaign.brandAtLaunch ?? undefined) : kits.brands.get(campaign.partnerId),
  ]);
  const base = kits.publicBaseUrl.replace(/\/$/, '');
  const landingUrl = `${base}/p/${encodeURIComponent(campaign.slug)}`;
  // Without a profile nothing was sent (the worker refuses); the partner's name fills the placeholders.
  const partner = brand ? undefined : await kits.partners.get(campaign.partnerId);
  const values = brandValues({ name: brand?.companyName ?? partner?.name ?? campaign.partnerId }, brand);
  const rendered = renderKit(kits.compiled.get(kit), {
    slots: campaign.slots,
    brand: values,
    vendor: kits.vendor,
    recipient: { ...RECIPIENT_PLACEHOLDERS },
    unsubscribeUrl: `${base}/u/[unsubscribe-token]`,
    landingUrl,
    trackLink: (url) => url,
    assetUrl: (name) =>
      kit.assets.find((a) => a.name === name)?.url ??
      publicUrl(base, `assets/kits/${kit.kitId}/${kit.semver}/${name}`),
    formAction: landingUrl,
  });
  return {
    kit: {
      id: kit.kitId,
      name: campaign.kitName,
      version: kit.semver,
      archiveSha256: kit.archive.sha256 || null,
    },
    brand: {
      source: brand ? (snapshot ? 'launch-snapshot' : 'live-profile') : 'missing',
      values: { ...values },
      senderName: brand?.senderName ?? null,
      replyTo: brand?.replyTo ?? null,
      profileUpdatedAt: brand?.updatedAt ?? null,
      profileVersion: brand?.version ?? null,
    },
    email: {
      subject: rendered.subject,
      preheader: rendered.preheader,
      html: rendered.html,
      text: rendered.text,
    },
    landingHtml: rendered.landing,
    renderingNote: RENDERING_NOTE,
  };
};
