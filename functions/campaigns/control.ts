import type { CampaignControl } from '#functions/sending/ports';
import { retryOnConflict } from './retry';
import type { CampaignStore } from './store';

/**
 * The send engine's handle to stop a campaign it cannot send (account paused, brand profile
 * missing): a sending campaign becomes paused with the reason, which the partner sees; it
 * resumes like any paused campaign. Anything else (already paused, cancelled, sent) is left alone.
 * `park` holds a batch of a paused campaign until it resumes (parking.ts).
 */
export const campaignControl = (store: CampaignStore, clock: () => Date): CampaignControl => ({
  pause: (campaignId, reason) =>
    retryOnConflict(async () => {
      const campaign = await store.get(campaignId);
      if (campaign?.status !== 'sending') return;
      const now = clock().toISOString();
      await store.replace(
        { ...campaign, status: 'paused', pausedAt: now, pauseReason: reason.slice(0, 500), updatedAt: now },
        campaign.version,
      );
    }),
  park: async (batch) => (await store.parkBatch(batch, clock())) === 'parked',
});
