import type { CampaignForSending, CampaignSource } from '#functions/sending/contracts';
import type { Table } from '#platform/table';
import { campaignStore } from './store';

/** The send engine's view of a campaign (contracts.ts), read from the campaign item by id. */
export const campaignSource = (table: Table): CampaignSource => {
  const store = campaignStore(table);
  return {
    async get(campaignId): Promise<CampaignForSending | undefined> {
      const campaign = await store.get(campaignId);
      if (!campaign) return undefined;
      return {
        id: campaign.id,
        partnerId: campaign.partnerId,
        kitId: campaign.kitId,
        kitVersion: campaign.kitVersion,
        slots: campaign.slots,
        brandAtLaunch: campaign.brandAtLaunch,
        status: campaign.status,
        slug: campaign.slug,
      };
    },
  };
};
