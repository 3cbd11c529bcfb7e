import type { IndexKeys, ItemKey } from '#platform/table';
import type { Campaign } from './schema';

/**
 * Campaign items on the shared table (pure functions, tested by exact value). Every read is a
 * GetItem or a Query on an existing index:
 *
 * | access pattern                                   | index | key condition                                             |
 * | ------------------------------------------------ | ----- | --------------------------------------------------------- |
 * | a campaign by id (API, send engine, expand step) | table | pk = CAMPAIGN#<id>, sk = CAMPAIGN                         |
 * | a partner's campaigns, newest first              | gsi1  | gsi1pk = PARTNER#<partnerId>, gsi1sk begins_with CAMPAIGN# |
 * | approval queue, oldest submission first          | gsi2  | gsi2pk = APPROVALS, gsi2sk begins_with SUBMITTED#          |
 * | a campaign by landing-page slug (/p/{slug})      | table | pk = SLUG#<slug>, sk = SLUG                               |
 * | progress of one expanded list page               | table | pk = CAMPAIGN#<id>, sk = EXPAND#<page, 6 digits>          |
 * | a partner's notifications, newest first          | table | pk = PARTNER#<id>, sk begins_with NOTIFICATION#           |
 * | send batches held while the campaign is paused   | table | pk = CAMPAIGN#<id>, sk begins_with PARKED#                |
 *
 * Campaigns are keyed by id alone because the send engine reads them by id (CampaignSource);
 * tenancy is enforced by the store comparing the stored partnerId with the caller's. The slug
 * is its own item rather than a gsi1 entry: a conditional create on it makes slugs unique
 * (an index cannot), and the landing page reads it with a consistent GetItem.
 */
export const campaignKey = (campaignId: string): ItemKey => ({
  pk: `CAMPAIGN#${campaignId}`,
  sk: 'CAMPAIGN',
});

/** Index entries: the partner's list always; the approval queue only while pending approval. */
export const campaignIndexKeys = (
  campaign: Pick<Campaign, 'id' | 'partnerId' | 'status' | 'submittedAt'>,
): IndexKeys => ({
  gsi1pk: `PARTNER#${campaign.partnerId}`,
  gsi1sk: `CAMPAIGN#${campaign.id}`,
  ...(campaign.status === 'pending-approval' && campaign.submittedAt
    ? { gsi2pk: 'APPROVALS', gsi2sk: `SUBMITTED#${campaign.submittedAt}#${campaign.id}` }
    : {}),
});

export const slugKey = (slug: string): ItemKey => ({ pk: `SLUG#${slug}`, sk: 'SLUG' });

export const expandPageKey = (campaignId: string, page: number): ItemKey => ({
  pk: `CAMPAIGN#${campaignId}`,
  sk: `EXPAND#${String(page).padStart(6, '0')}`,
});

export const parkedBatchKey = (campaignId: string, batchId: string): ItemKey => ({
  pk: `CAMPAIGN#${campaignId}`,
  sk: `PARKED#${batchId}`,
});
export const parkedBatchesOf = (campaignId: string) =>
  ({ partition: `CAMPAIGN#${campaignId}`, prefix: 'PARKED#' }) as const;

export const notificationKey = (partnerId: string, notificationId: string): ItemKey => ({
  pk: `PARTNER#${partnerId}`,
  sk: `NOTIFICATION#${notificationId}`,
});

export const campaignsOf = (partnerId: string) =>
  ({ index: 'gsi1', partition: `PARTNER#${partnerId}`, prefix: 'CAMPAIGN#', newestFirst: true }) as const;
export const APPROVAL_QUEUE = { index: 'gsi2', partition: 'APPROVALS', prefix: 'SUBMITTED#' } as const;
export const notificationsOf = (partnerId: string) =>
  ({ partition: `PARTNER#${partnerId}`, prefix: 'NOTIFICATION#', newestFirst: true }) as const;
