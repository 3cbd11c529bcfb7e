import { createHash } from 'node:crypto';
import type { IndexKeys, ItemKey } from '#platform/table';

/**
 * Lead items on the shared table. Every read is a GetItem or a Query on an existing index:
 *
 * | access pattern                                   | index | key condition                                     |
 * | ------------------------------------------------ | ----- | ------------------------------------------------- |
 * | a lead by id                                     | table | pk = LEAD#<id>, sk = LEAD                         |
 * | the lead of an address (dedupe on capture)       | table | pk = LEADEMAIL#<sha256 of the address>, sk = LEADEMAIL |
 * | every lead, newest first (marketing)             | gsi1  | gsi1pk = LEADS, gsi1sk begins_with LEAD#          |
 * | a partner's leads, newest first (its inbox)      | table | pk = PARTNER#<id>, sk begins_with LEAD#           |
 * | a campaign's leads (reports, POP packs)          | table | pk = CAMPAIGN#<id>, sk begins_with LEAD#          |
 * | submissions from one address / campaign, now     | table | pk = LEADRATE#<scope>, sk = <window>              |
 * | marketing's qualification rules                  | table | pk = CONFIG#LEAD-RULES, sk = CONFIG               |
 * | leads and EQLs on a partner's account lists      | table | pk = PARTNER#<id>, sk = LEADOVERLAP               |
 *
 * Lead ids are ULIDs, so `LEAD#<id>` sorts by creation. The partner and campaign rows are
 * projections of the lead (what an inbox lists and filters on), written in the same
 * transaction as the lead, one per partner and campaign with a touch.
 */
export const leadKey = (leadId: string): ItemKey => ({ pk: `LEAD#${leadId}`, sk: 'LEAD' });
export const leadIndexKeys = (leadId: string): Required<Pick<IndexKeys, 'gsi1pk' | 'gsi1sk'>> => ({
  gsi1pk: 'LEADS',
  gsi1sk: `LEAD#${leadId}`,
});

/** The address is never a key: a hash of its normalised form is. */
export const leadEmailKey = (normalisedEmail: string): ItemKey => ({
  pk: `LEADEMAIL#${createHash('sha256').update(normalisedEmail).digest('base64url')}`,
  sk: 'LEADEMAIL',
});

export const partnerLeadKey = (partnerId: string, leadId: string): ItemKey => ({
  pk: `PARTNER#${partnerId}`,
  sk: `LEAD#${leadId}`,
});
export const campaignLeadKey = (campaignId: string, leadId: string): ItemKey => ({
  pk: `CAMPAIGN#${campaignId}`,
  sk: `LEAD#${leadId}`,
});

export const ALL_LEADS = { index: 'gsi1', partition: 'LEADS', prefix: 'LEAD#', newestFirst: true } as const;
export const leadsOfPartner = (partnerId: string) =>
  ({ partition: `PARTNER#${partnerId}`, prefix: 'LEAD#', newestFirst: true }) as const;
export const leadsOfCampaign = (campaignId: string) =>
  ({ partition: `CAMPAIGN#${campaignId}`, prefix: 'LEAD#', newestFirst: true }) as const;

export const rateKey = (scope: string, window: string): ItemKey => ({ pk: `LEADRATE#${scope}`, sk: window });

export const leadOverlapKey = (partnerId: string): ItemKey => ({
  pk: `PARTNER#${partnerId}`,
  sk: 'LEADOVERLAP',
});

export const LEAD_RULES_KEY: ItemKey = { pk: 'CONFIG#LEAD-RULES', sk: 'CONFIG' };
