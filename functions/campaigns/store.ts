import { type SendBatch, sendBatchSchema } from '#functions/sending/contracts';
import { ConflictError } from '#platform/errors';
import type { Table } from '#platform/table';
import {
  APPROVAL_QUEUE,
  campaignIndexKeys,
  campaignKey,
  campaignsOf,
  expandPageKey,
  notificationKey,
  notificationsOf,
  parkedBatchesOf,
  parkedBatchKey,
  slugKey,
} from './keys';
import {
  type Campaign,
  campaignSchema,
  type ExpandPage,
  expandPageSchema,
  type Notification,
  notificationSchema,
} from './schema';

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CampaignStore {
  /** Creates the campaign and claims its slug, all or nothing; a taken slug is a ConflictError. */
  create(campaign: Campaign): Promise<void>;
  /** Any campaign by id: for marketing, the send engine and workers. */
  get(campaignId: string): Promise<Campaign | undefined>;
  /** Tenancy: another partner's campaign is undefined, exactly as a missing one. */
  getForPartner(partnerId: string, campaignId: string): Promise<Campaign | undefined>;
  /** Replaces the campaign if it is still at `expectedVersion` (else ConflictError); returns it as stored. */
  replace(next: Campaign, expectedVersion: number): Promise<Campaign>;
  /** The same, with a notification for the partner written in the same transaction. */
  replaceAndNotify(next: Campaign, expectedVersion: number, notification: Notification): Promise<Campaign>;
  listForPartner(partnerId: string, limit: number, cursor?: string): Promise<Paged<Campaign>>;
  approvalQueue(limit: number, cursor?: string): Promise<Paged<Campaign>>;
  bySlug(slug: string): Promise<Campaign | undefined>;
  notifications(partnerId: string, limit: number, cursor?: string): Promise<Paged<Notification>>;
  getExpandPage(campaignId: string, page: number): Promise<ExpandPage | undefined>;
  /** Records a page as expanded, once: 'existed' means another delivery got there first. */
  claimExpandPage(page: Omit<ExpandPage, 'version' | 'continued'>): Promise<'created' | 'existed'>;
  markExpandPageContinued(page: ExpandPage): Promise<void>;
  /** Undoes a claim whose follow-up failed, so the redelivered step does the page again. */
  releaseExpandPage(campaignId: string, page: number): Promise<void>;
  /**
   * Holds a send batch while its campaign is paused, atomically with a check that it still is:
   * 'not-paused' if the campaign moved on (resumed, cancelled) before the write, so no batch is
   * ever parked after a resume has collected the parked ones.
   */
  parkBatch(batch: SendBatch, now: Date): Promise<'parked' | 'not-paused'>;
  parkedBatches(campaignId: string, limit: number, cursor?: string): Promise<Paged<SendBatch>>;
  removeParkedBatch(campaignId: string, batchId: string): Promise<void>;
}

const campaignItem = (campaign: Campaign) => ({
  ...campaignKey(campaign.id),
  ...campaignIndexKeys(campaign),
  type: 'campaign',
  ...campaign,
});

/** A partner's notification as stored (lead effects write `lead-eql` ones with their dedupe marker). */
export const notificationItem = (n: Notification) => ({
  ...notificationKey(n.partnerId, n.id),
  type: 'notification',
  version: 1,
  ...n,
});

export const campaignStore = (table: Table): CampaignStore => {
  const get = async (campaignId: string) => {
    const item = await table.get(campaignKey(campaignId));
    return item ? campaignSchema.parse(item) : undefined;
  };
  const pageOf = async <T>(
    query: Parameters<Table['query']>[0],
    parse: (item: Record<string, unknown>) => T,
  ): Promise<Paged<T>> => {
    const page = await table.query(query);
    return { items: page.items.map(parse), nextCursor: page.nextCursor };
  };
  const bumped = (next: Campaign, expectedVersion: number): Campaign => ({
    ...next,
    version: expectedVersion + 1,
  });
  return {
    async create(campaign) {
      await table.transact([
        { put: campaignItem(campaign), ifAbsent: true },
        {
          put: {
            ...slugKey(campaign.slug),
            type: 'campaign-slug',
            version: 1,
            slug: campaign.slug,
            campaignId: campaign.id,
            partnerId: campaign.partnerId,
          },
          ifAbsent: true,
        },
      ]);
    },
    get,
    async getForPartner(partnerId, campaignId) {
      const campaign = await get(campaignId);
      return campaign?.partnerId === partnerId ? campaign : undefined;
    },
    // A whole-item put (not an UpdateItem) so index attributes that no longer apply, such as
    // the approval queue's, disappear with the status that put them there.
    async replace(next, expectedVersion) {
      const stored = bumped(next, expectedVersion);
      await table.transact([{ put: campaignItem(stored), ifVersion: expectedVersion }]);
      return stored;
    },
    async replaceAndNotify(next, expectedVersion, notification) {
      const stored = bumped(next, expectedVersion);
      await table.transact([
        { put: campaignItem(stored), ifVersion: expectedVersion },
        { put: notificationItem(notification), ifAbsent: true },
      ]);
      return stored;
    },
    listForPartner: (partnerId, limit, cursor) =>
      pageOf({ ...campaignsOf(partnerId), limit, cursor }, (i) => campaignSchema.parse(i)),
    approvalQueue: (limit, cursor) =>
      pageOf({ ...APPROVAL_QUEUE, limit, cursor }, (i) => campaignSchema.parse(i)),
    async bySlug(slug) {
      const item = await table.get(slugKey(slug));
      const campaignId = typeof item?.campaignId === 'string' ? item.campaignId : undefined;
      return campaignId ? get(campaignId) : undefined;
    },
    notifications: (partnerId, limit, cursor) =>
      pageOf({ ...notificationsOf(partnerId), limit, cursor }, (i) => notificationSchema.parse(i)),
    async getExpandPage(campaignId, page) {
      const item = await table.get(expandPageKey(campaignId, page));
      return item ? expandPageSchema.parse(item) : undefined;
    },
    claimExpandPage: (page) =>
      table.putIfAbsent({
        ...expandPageKey(page.campaignId, page.page),
        type: 'campaign-expand-page',
        ...page,
        continued: false,
        version: 1,
      }),
    async markExpandPageContinued(page) {
      await table.update(expandPageKey(page.campaignId, page.page), page.version, { continued: true });
    },
    async releaseExpandPage(campaignId, page) {
      await table.transact([{ delete: expandPageKey(campaignId, page) }]);
    },
    async parkBatch(batch, now) {
      try {
        await table.transact([
          { check: campaignKey(batch.campaignId), equals: { status: 'paused', partnerId: batch.partnerId } },
          {
            put: {
              ...parkedBatchKey(batch.campaignId, batch.batchId),
              type: 'campaign-parked-batch',
              batch: JSON.stringify(batch),
              parkedAt: now.toISOString(),
              version: 1,
            },
          },
        ]);
        return 'parked';
      } catch (error) {
        if (error instanceof ConflictError) return 'not-paused';
        throw error;
      }
    },
    parkedBatches: (campaignId, limit, cursor) =>
      pageOf({ ...parkedBatchesOf(campaignId), limit, cursor }, (item) =>
        sendBatchSchema.parse(JSON.parse(String(item.batch))),
      ),
    async removeParkedBatch(campaignId, batchId) {
      await table.transact([{ delete: parkedBatchKey(campaignId, batchId) }]);
    },
  };
};
