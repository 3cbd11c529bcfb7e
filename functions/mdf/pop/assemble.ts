import type { Campaign } from '#functions/campaigns/schema';
import { zeroCounters } from '#functions/sending/counters';
import { shareOf } from '../money';
import type { MdfRequest } from '../schema';
import { popAnomalies } from './anomalies';
import { engagementOf, leadTally, popLeadOf, sendLogOf } from './metrics';
import { POP_LEAD_CAP, POP_SCHEMA_VERSION, type PopPack, popPackSchema } from './schema';
import type { PopSources } from './sources';

/** What the claim code knows at filing time; everything else is read from the records. */
export interface PopClaimInput {
  claimId: string;
  partnerId: string;
  request: MdfRequest;
  campaignId: string;
  /** Reimbursement claimed, integer minor units. */
  amountMinor: number;
  /** The sum the partner's invoices state as spent, integer minor units. */
  invoicedSpendMinor: number;
  currency: string;
  /** ISO-8601 UTC. */
  filedAt: string;
}

const LEAD_PAGE = 100;

const lastApproval = (campaign: Campaign) =>
  campaign.decisions.filter((d) => d.outcome === 'approved').at(-1)?.at ?? null;

const requestOf = (request: MdfRequest): PopPack['request'] => ({
  id: request.id,
  fundId: request.fundId,
  campaignId: request.campaignId,
  status: request.status,
  activity: { ...request.plannedActivity },
  plannedSpendMinor: request.plannedSpendMinor,
  approvedMinor: request.approvedMinor,
  committedMinor: request.committedMinor,
  reimbursementShareBps: request.reimbursementShareBps,
  currency: request.currency,
  expectedOutcomes: { ...request.expectedOutcomes },
  filedAt: request.createdAt,
  filedBy: { ...request.createdBy },
  decidedAt: request.decidedAt,
  decidedBy: request.decidedBy ? { ...request.decidedBy } : null,
});

const readLeads = async (sources: PopSources, input: PopClaimInput) => {
  const tally = leadTally(POP_LEAD_CAP);
  let cursor: string | undefined;
  do {
    const page = await sources.leads(input.campaignId, LEAD_PAGE, cursor);
    for (const lead of page.items) tally.add(popLeadOf(lead, input.partnerId, input.campaignId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { leads: tally.result(), firstLeadAt: tally.firstCapturedAt() };
};

/**
 * Assembles the POP pack for a claim from the platform's records. Deterministic: the same
 * records and `filedAt` give the same pack (leads by id, hours by time, anomalies in a fixed order).
 * A campaign that is not the claiming partner's is treated as missing: its data is never copied.
 */
const latest = (at: string | null, floor: string | null) =>
  at !== null && floor !== null && Date.parse(floor) > Date.parse(at) ? floor : at;
const earliest = (at: string | null, ceiling: string) =>
  at !== null && Date.parse(ceiling) < Date.parse(at) ? ceiling : at;

export const assemblePop = async (sources: PopSources, input: PopClaimInput): Promise<PopPack> => {
  const found = await sources.campaign(input.campaignId);
  const campaign = found?.partnerId === input.partnerId ? found : undefined;
  const [counters, hours, list, imports, rendered, read] = campaign
    ? await Promise.all([
        sources.counters(campaign.id),
        sources.sendHours(campaign.id),
        sources.list(campaign.partnerId, campaign.listId),
        sources.listImports(campaign.partnerId, campaign.listId),
        sources.rendered(campaign),
        readLeads(sources, input),
      ])
    : [
        zeroCounters(),
        [],
        undefined,
        [],
        undefined,
        { leads: leadTally(POP_LEAD_CAP).result(), firstLeadAt: null },
      ];
  const { leads, firstLeadAt } = read;
  const sendLog = sendLogOf(counters, hours);
  const { request } = input;
  const facts: Omit<PopPack, 'anomalies'> = {
    schemaVersion: POP_SCHEMA_VERSION,
    claim: {
      claimId: input.claimId,
      partnerId: input.partnerId,
      campaignId: input.campaignId,
      amountMinor: input.amountMinor,
      invoicedSpendMinor: input.invoicedSpendMinor,
      currency: input.currency,
      filedAt: input.filedAt,
      maxReimbursableMinor: Math.min(
        request.committedMinor ?? 0,
        shareOf(input.invoicedSpendMinor, request.reimbursementShareBps),
      ),
    },
    request: requestOf(request),
    campaign:
      campaign && rendered
        ? {
            id: campaign.id,
            name: campaign.name,
            status: campaign.status,
            slug: campaign.slug,
            listId: campaign.listId,
            slots: { ...campaign.slots },
            ...rendered,
          }
        : null,
    audience: {
      size: campaign?.audienceSize ?? null,
      list: list
        ? {
            id: list.id,
            name: list.name,
            memberCount: list.memberCount,
            createdAt: list.createdAt,
            updatedAt: list.updatedAt,
          }
        : null,
      imports: imports
        .map((job) => ({
          id: job.id,
          status: job.status,
          createdAt: job.createdAt,
          finishedAt: job.finishedAt,
          imported: job.counts.imported,
          merged: job.counts.merged,
          rejected: job.counts.rejected,
        }))
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1)),
    },
    sendLog,
    engagement: engagementOf(counters),
    leads,
    timeline: {
      requestFiledAt: request.createdAt,
      requestApprovedAt: request.status === 'approved' ? request.decidedAt : null,
      campaignCreatedAt: campaign?.createdAt ?? null,
      campaignSubmittedAt: campaign?.submittedAt ?? null,
      campaignApprovedAt: campaign ? lastApproval(campaign) : null,
      campaignLaunchedAt: campaign?.launchedAt ?? null,
      // The counters are hourly: the timeline never shows a send before the launch or after the filing.
      firstSendAt: latest(sendLog.firstSendAt, campaign?.launchedAt ?? null),
      lastSendAt: earliest(sendLog.lastSendAt, input.filedAt),
      campaignSentAt: campaign?.sentAt ?? null,
      firstLeadAt,
      claimFiledAt: input.filedAt,
    },
  };
  return popPackSchema.parse({ ...facts, anomalies: popAnomalies(facts) });
};
