import type { Campaign } from '#functions/campaigns/schema';
import { campaignStore } from '#functions/campaigns/store';
import { importStore } from '#functions/contacts/import-store';
import { listStore } from '#functions/contacts/list-store';
import type { ContactList, ImportJob } from '#functions/contacts/schema';
import type { KitDeps } from '#functions/kits/kits';
import { leadKey } from '#functions/leads/lead-keys';
import { type Lead, leadSchema } from '#functions/leads/lead-schema';
import { leadStore } from '#functions/leads/lead-store';
import { type AllCounters, dynamoCounterStore } from '#functions/sending/counters';
import type { Table } from '#platform/table';
import { type RenderedAsSent, renderAsSent } from './as-sent';

/**
 * The POP pack's read ports: every fact comes from a stored record, read-only.
 *
 * | read                           | index | key condition                                      |
 * | ------------------------------ | ----- | -------------------------------------------------- |
 * | the campaign                   | table | pk = CAMPAIGN#<id>                                 |
 * | its totals                     | table | pk = COUNTERS#<campaignId>, sk = TOTAL             |
 * | its hourly sends               | table | pk = COUNTERS#<campaignId>, sk begins_with H#      |
 * | the list                       | table | pk = PARTNER#<partnerId>, sk = LIST#<listId>       |
 * | the partner's imports          | table | pk = PARTNER#<partnerId>, sk begins_with IMPORT#   |
 * | the campaign's leads (ids)     | table | pk = CAMPAIGN#<campaignId>, sk begins_with LEAD#   |
 * | each lead (batch get)          | table | pk = LEAD#<leadId>, sk = LEAD                      |
 * | kit version, brand profile     | table | via the kits and brand stores                      |
 */
export interface PopSources {
  campaign(campaignId: string): Promise<Campaign | undefined>;
  /** The campaign's counter totals (every counter, zero when absent). */
  counters(campaignId: string): Promise<AllCounters>;
  /** Every UTC hour with at least one send (`2026-11-24T23`), in any order. */
  sendHours(campaignId: string): Promise<{ hour: string; sent: number }[]>;
  list(partnerId: string, listId: string): Promise<ContactList | undefined>;
  /** Every import the partner ran into the list. */
  listImports(partnerId: string, listId: string): Promise<ImportJob[]>;
  /** One page of the campaign's leads, whole (for attribution and credit). */
  leads(
    campaignId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Lead[]; nextCursor: string | null }>;
  /** The email and landing page as sent: frozen kit version and slot values, the brand profile. */
  rendered(campaign: Campaign): Promise<RenderedAsSent>;
}

const PAGE = 500;

/** The DynamoDB adapter (through the shared Table wrapper; no AWS SDK here). */
export const popSources = (deps: { table: Table; kits: KitDeps }): PopSources => {
  const { table } = deps;
  const campaigns = campaignStore(table);
  const counters = dynamoCounterStore(table);
  const lists = listStore(table);
  const imports = importStore(table);
  const leads = leadStore(table);
  return {
    campaign: (campaignId) => campaigns.get(campaignId),
    counters: (campaignId) => counters.get(campaignId),
    async sendHours(campaignId) {
      // Paged here: the counter store's own series stops at a month of hours.
      const out: { hour: string; sent: number }[] = [];
      let cursor: string | undefined;
      do {
        const page = await table.query({
          partition: `COUNTERS#${campaignId}`,
          prefix: 'H#',
          limit: PAGE,
          cursor,
        });
        for (const item of page.items) {
          if (typeof item.sent === 'number' && item.sent > 0)
            out.push({ hour: String(item.sk).slice(2), sent: item.sent });
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    },
    list: (partnerId, listId) => lists.get(partnerId, listId),
    async listImports(partnerId, listId) {
      const out: ImportJob[] = [];
      let cursor: string | undefined;
      do {
        const page = await imports.page(partnerId, 100, cursor);
        out.push(...page.items.filter((job) => job.listId === listId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    },
    async leads(campaignId, limit, cursor) {
      const page = await leads.listForCampaign(campaignId, limit, cursor);
      const items = await table.getMany(page.items.map((summary) => leadKey(summary.leadId)));
      return {
        items: items.flatMap((item) => (item ? [leadSchema.parse(item)] : [])),
        nextCursor: page.nextCursor,
      };
    },
    rendered: (campaign) => renderAsSent(deps.kits, campaign),
  };
};
