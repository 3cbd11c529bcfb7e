import { brandValues } from '#functions/brand/brand-values';
import type { BrandStore } from '#functions/brand/store';
import type { CompileCache } from '#functions/kits/compile-cache';
import type { KitStore } from '#functions/kits/store';
import { partnerFromAddress } from '#functions/sending-domains/sender';
import type { SendingDomainStore } from '#functions/sending-domains/store';
import { publicUrl } from '#platform/blobs';
import type { SendContext } from './compose';
import type { CampaignForSending, CampaignSource } from './contracts';

/**
 * What a worker reads once per campaign rather than per recipient: the campaign (re-read after
 * `campaignTtlMs`, so a pause or cancel takes effect within that), the kit version compiled once
 * via CompileCache, and the partner's brand profile.
 */
export interface SenderSettings {
  publicBaseUrl: string;
  vendor: { name: string; website: string };
  fromAddress: string;
  unsubscribeMailto: string;
  configurationSetName: string | undefined;
}

export interface ContextDeps {
  campaigns: CampaignSource;
  kits: Pick<KitStore, 'getVersion'>;
  brands: Pick<BrandStore, 'get'>;
  /** The partner's own sending domain (issue 4): From uses it when verified and chosen. */
  sendingDomains?: Pick<SendingDomainStore, 'get'> | undefined;
  compiled: CompileCache;
  settings: SenderSettings;
  campaignTtlMs: number;
  now: () => number;
}

/** Something about the campaign prevents sending; `pause` says whether to stop the campaign. */
export class CampaignNotSendableError extends Error {
  override name = 'CampaignNotSendableError';
  constructor(
    message: string,
    readonly pause: boolean,
  ) {
    super(message);
  }
}

/** The profile frozen at launch; the live one only for campaigns launched before snapshots. */
const brandOf = (deps: ContextDeps, c: CampaignForSending) =>
  c.brandAtLaunch !== undefined ? c.brandAtLaunch : deps.brands.get(c.partnerId);

export const contextLoader = (deps: ContextDeps) => {
  const campaigns = new Map<string, { at: number; campaign: CampaignForSending | undefined }>();
  const contexts = new Map<string, Omit<SendContext, 'campaign'>>();

  const campaign = async (id: string) => {
    const hit = campaigns.get(id);
    if (hit && deps.now() - hit.at < deps.campaignTtlMs) return hit.campaign;
    const found = await deps.campaigns.get(id);
    campaigns.set(id, { at: deps.now(), campaign: found });
    return found;
  };

  const context = async (c: CampaignForSending): Promise<SendContext> => {
    const key = `${c.id}|${c.kitId}@${c.kitVersion}`;
    let shared = contexts.get(key);
    if (!shared) {
      const [kit, brand, sendingDomain] = await Promise.all([
        deps.kits.getVersion(c.kitId, c.kitVersion),
        brandOf(deps, c),
        deps.sendingDomains?.get(c.partnerId),
      ]);
      // The partner's verified, chosen domain, else the vendor's; the unsubscribe mailto stays the vendor's.
      const partnerFrom = partnerFromAddress(sendingDomain);
      if (!kit) throw new CampaignNotSendableError(`kit ${c.kitId}@${c.kitVersion} not found`, false);
      // No brand profile means no postal address (CAN-SPAM) and no reply address: never send.
      if (!brand) throw new CampaignNotSendableError('the partner has no brand profile', true);
      const base = deps.settings.publicBaseUrl.replace(/\/$/, '');
      // The same few asset names in every message of the campaign.
      const assetUrls = new Map<string, string>();
      shared = {
        ...deps.settings,
        publicBaseUrl: base,
        kit: deps.compiled.get(kit),
        brand: brandValues({ name: brand.companyName }, brand),
        senderName: brand.senderName,
        replyTo: brand.replyTo,
        fromAddress: partnerFrom ?? deps.settings.fromAddress,
        ownDomain: partnerFrom !== undefined,
        assetUrl: (name) => {
          let url = assetUrls.get(name);
          if (url === undefined) {
            url =
              kit.assets.find((a) => a.name === name)?.url ??
              publicUrl(base, `assets/kits/${kit.kitId}/${kit.semver}/${name}`);
            assetUrls.set(name, url);
          }
          return url;
        },
      };
      contexts.set(key, shared);
      if (contexts.size > 100) contexts.delete(contexts.keys().next().value ?? key);
    }
    return { ...shared, campaign: c };
  };

  return {
    campaign,
    context,
    forget(id: string) {
      campaigns.delete(id);
    },
  };
};
