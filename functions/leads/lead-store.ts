import type { Paged } from '#functions/campaigns/store';
import { ConflictError } from '#platform/errors';
import type { StoredItem, Table, TransactAction } from '#platform/table';
import {
  ALL_LEADS,
  campaignLeadKey,
  LEAD_RULES_KEY,
  leadEmailKey,
  leadIndexKeys,
  leadKey,
  leadOverlapKey,
  leadsOfCampaign,
  leadsOfPartner,
  partnerLeadKey,
} from './lead-keys';
import { type Lead, leadSchema } from './lead-schema';
import { type LeadSummary, leadSummarySchema, summaryOf } from './lead-views';
import { type QualificationConfig, qualificationConfigSchema } from './qualification';

/**
 * Leads on the shared table (lead-keys.ts). A lead and its projections (one row per partner
 * and per campaign with a touch: what inboxes list and filter) are written in one transaction,
 * so an inbox never shows a lead its detail would refuse, and the first capture of an address
 * claims the address's dedupe row in the same transaction: two first submissions racing make
 * one lead, the loser merges into it.
 */
export interface LeadStore {
  get(leadId: string): Promise<Lead | undefined>;
  leadIdForEmail(normalisedEmail: string): Promise<string | undefined>;
  /**
   * ConflictError if the address already has a lead (merge into it instead). `guards` go in the
   * same transaction, after the lead's own actions (the submission limits).
   */
  create(lead: Lead, guards?: readonly TransactAction[]): Promise<void>;
  /** Optimistic: PreconditionFailed/Conflict if the lead moved since `expectedVersion`. */
  replace(next: Lead, expectedVersion: number, guards?: readonly TransactAction[]): Promise<Lead>;
  listAll(limit: number, cursor?: string): Promise<Paged<LeadSummary>>;
  listForPartner(partnerId: string, limit: number, cursor?: string): Promise<Paged<LeadSummary>>;
  listForCampaign(campaignId: string, limit: number, cursor?: string): Promise<Paged<LeadSummary>>;
  /** Counts leads (and EQLs) whose account is on these partners' lists; atomic, add-only. */
  countOverlaps(partnerIds: readonly string[], deltas: { leads: number; eqls: number }): Promise<void>;
  overlapCounts(partnerId: string): Promise<{ leads: number; eqls: number }>;
  rules(): Promise<QualificationConfig | undefined>;
  /** Saves marketing's rules over the stored version read (undefined: none stored yet). */
  saveRules(config: QualificationConfig, storedVersion: number | undefined): Promise<void>;
}

const projections = (lead: Lead): StoredItem[] => [
  ...lead.partnerIds.map((partnerId) => ({
    ...partnerLeadKey(partnerId, lead.id),
    type: 'partner-lead',
    version: 1,
    ...summaryOf(lead, partnerId),
  })),
  ...lead.campaignIds.map((campaignId) => ({
    ...campaignLeadKey(campaignId, lead.id),
    type: 'campaign-lead',
    version: 1,
    ...summaryOf(lead, undefined),
  })),
];

/** Projection rows of the previous version that the new one no longer has (never, today: touches only grow). */
const staleProjections = (previous: Lead | undefined, next: Lead): TransactAction[] => {
  if (!previous) return [];
  return [
    ...previous.partnerIds
      .filter((id) => !next.partnerIds.includes(id))
      .map((id) => ({ delete: partnerLeadKey(id, next.id) })),
    ...previous.campaignIds
      .filter((id) => !next.campaignIds.includes(id))
      .map((id) => ({ delete: campaignLeadKey(id, next.id) })),
  ];
};

export const leadStore = (table: Table): LeadStore => {
  const get = async (leadId: string) => {
    const item = await table.get(leadKey(leadId));
    return item ? leadSchema.parse(item) : undefined;
  };
  const summaries = async (
    query: Parameters<Table['query']>[0],
    parse: (item: Record<string, unknown>) => LeadSummary,
  ): Promise<Paged<LeadSummary>> => {
    const page = await table.query(query);
    return { items: page.items.map(parse), nextCursor: page.nextCursor };
  };
  return {
    get,
    async leadIdForEmail(normalisedEmail) {
      const item = await table.get(leadEmailKey(normalisedEmail));
      return typeof item?.leadId === 'string' ? item.leadId : undefined;
    },
    async create(lead, guards = []) {
      await table.transact([
        {
          put: { ...leadEmailKey(lead.email), type: 'lead-email', version: 1, leadId: lead.id },
          ifAbsent: true,
        },
        { put: { ...leadKey(lead.id), ...leadIndexKeys(lead.id), type: 'lead', ...lead }, ifAbsent: true },
        ...projections(lead).map((put) => ({ put })),
        ...guards,
      ]);
    },
    async replace(next, expectedVersion, guards = []) {
      const previous = await get(next.id);
      const stored: Lead = { ...next, version: expectedVersion + 1 };
      await table.transact([
        {
          put: { ...leadKey(next.id), ...leadIndexKeys(next.id), type: 'lead', ...stored },
          ifVersion: expectedVersion,
        },
        ...projections(stored).map((put) => ({ put })),
        ...staleProjections(previous, stored),
        ...guards,
      ]);
      return stored;
    },
    listAll: (limit, cursor) =>
      summaries({ ...ALL_LEADS, limit, cursor }, (item) => summaryOf(leadSchema.parse(item), undefined)),
    listForPartner: (partnerId, limit, cursor) =>
      summaries({ ...leadsOfPartner(partnerId), limit, cursor }, (item) => leadSummarySchema.parse(item)),
    listForCampaign: (campaignId, limit, cursor) =>
      summaries({ ...leadsOfCampaign(campaignId), limit, cursor }, (item) => leadSummarySchema.parse(item)),
    async countOverlaps(partnerIds, deltas) {
      await Promise.all(partnerIds.map((id) => table.add(leadOverlapKey(id), 'lead-overlap-counts', deltas)));
    },
    async overlapCounts(partnerId) {
      const item = await table.get(leadOverlapKey(partnerId));
      const count = (name: string) => (typeof item?.[name] === 'number' ? item[name] : 0);
      return { leads: count('leads'), eqls: count('eqls') };
    },
    async rules() {
      const item = await table.get(LEAD_RULES_KEY);
      return item ? qualificationConfigSchema.parse(item.config) : undefined;
    },
    async saveRules(config, storedVersion) {
      const item = { ...LEAD_RULES_KEY, type: 'lead-rules', config, version: config.version };
      try {
        await table.transact([
          storedVersion === undefined
            ? { put: item, ifAbsent: true }
            : { put: item, ifVersion: storedVersion },
        ]);
      } catch (error) {
        if (error instanceof ConflictError)
          throw new ConflictError('the rules changed meanwhile; reload them');
        throw error;
      }
    },
  };
};
