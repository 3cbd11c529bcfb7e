import { shareOf } from '../money';
import { exceedsBps, reachesBps } from './metrics';
import type { PopAnomaly, PopPack } from './schema';

/**
 * What an auditor should look at, from the pack's own facts (pure). Thresholds, and why:
 * - hard bounces above 5% of sent: SES's own line for account health (review at 10%); a list
 *   that bounces that much was bought, scraped or stale (see /work/shared/DELIVERABILITY.md).
 * - complaints at or above 0.3% of delivered: the Gmail/Yahoo bulk-sender ceiling (warning);
 *   at or above 0.1%: the rate both ask senders to stay under, and SES's health line (info).
 * - sends outside the approved activity window compare UTC days, at the counters' hour resolution.
 * Every threshold compares exactly (integer cross-multiplication), never a rounded rate.
 */
export const HARD_BOUNCE_LIMIT_BPS = 500;
export const COMPLAINT_LIMIT_BPS = 30;
export const COMPLAINT_NOTICE_BPS = 10;
/** Hours listed in an anomaly's detail, at most (the counts cover them all). */
const MAX_LISTED = 48;

export type PopFacts = Omit<PopPack, 'anomalies'>;

const after = (a: string, b: string) => Date.parse(a) > Date.parse(b);

const claimAnomalies = (pack: PopFacts): PopAnomaly[] => {
  const { claim, request } = pack;
  const out: PopAnomaly[] = [];
  if (request.status !== 'approved') {
    out.push({
      code: 'request-not-approved',
      severity: 'warning',
      message: `The pre-approval request is ${request.status}, not approved.`,
      detail: { requestId: request.id, status: request.status },
    });
  }
  if (claim.currency !== request.currency) {
    out.push({
      code: 'currency-mismatch',
      severity: 'warning',
      message: `The claim is in ${claim.currency} but the request was approved in ${request.currency}.`,
      detail: { claimCurrency: claim.currency, requestCurrency: request.currency },
    });
  }
  const share = shareOf(claim.invoicedSpendMinor, request.reimbursementShareBps);
  if (claim.amountMinor > share) {
    out.push({
      code: 'claim-exceeds-share',
      severity: 'warning',
      message: 'The amount claimed is more than the vendor’s share of the invoiced spend.',
      detail: {
        amountMinor: claim.amountMinor,
        invoicedSpendMinor: claim.invoicedSpendMinor,
        reimbursementShareBps: request.reimbursementShareBps,
        shareMinor: share,
      },
    });
  }
  if (request.committedMinor !== null && claim.amountMinor > request.committedMinor) {
    out.push({
      code: 'claim-exceeds-commitment',
      severity: 'warning',
      message: 'The amount claimed is more than the approval committed.',
      detail: { amountMinor: claim.amountMinor, committedMinor: request.committedMinor },
    });
  }
  if (request.approvedMinor !== null && claim.invoicedSpendMinor > request.approvedMinor) {
    out.push({
      code: 'invoiced-exceeds-approved',
      severity: 'info',
      message: 'The invoiced spend is more than the approved spend (the reimbursement stays capped).',
      detail: { invoicedSpendMinor: claim.invoicedSpendMinor, approvedMinor: request.approvedMinor },
    });
  }
  return out;
};

const linkAnomalies = (pack: PopFacts): PopAnomaly[] => {
  const { claim, request, campaign } = pack;
  const out: PopAnomaly[] = [];
  if (request.campaignId !== claim.campaignId) {
    out.push(
      request.campaignId === null
        ? {
            code: 'campaign-not-linked',
            severity: 'info',
            message: 'The request described a planned campaign; the claim names this one.',
            detail: { claimCampaignId: claim.campaignId },
          }
        : {
            code: 'campaign-not-linked',
            severity: 'warning',
            message: 'The claim names a different campaign from the one the request was approved for.',
            detail: { requestCampaignId: request.campaignId, claimCampaignId: claim.campaignId },
          },
    );
  }
  if (!campaign) {
    out.push({
      code: 'campaign-missing',
      severity: 'warning',
      message: 'No campaign of this partner has the claimed id: nothing was sent for this claim.',
      detail: { campaignId: claim.campaignId },
    });
  }
  return out;
};

const windowAnomalies = (pack: PopFacts): PopAnomaly[] => {
  const { startDate, endDate } = pack.request.activity;
  const outside = pack.sendLog.sendHours.filter(
    (h) => h.hour.slice(0, 10) < startDate || h.hour.slice(0, 10) > endDate,
  );
  if (outside.length === 0) return [];
  const sum = (hours: typeof outside) => hours.reduce((total, h) => total + h.sent, 0);
  return [
    {
      code: 'sends-outside-window',
      severity: 'warning',
      message: `${sum(outside)} sends fell outside the approved activity window (${startDate} to ${endDate}, UTC).`,
      detail: {
        startDate,
        endDate,
        sentBefore: sum(outside.filter((h) => h.hour.slice(0, 10) < startDate)),
        sentAfter: sum(outside.filter((h) => h.hour.slice(0, 10) > endDate)),
        hours: outside.slice(0, MAX_LISTED),
      },
    },
  ];
};

const approvalAnomalies = (pack: PopFacts): PopAnomaly[] => {
  const approvedAt = pack.request.decidedAt;
  if (pack.request.status !== 'approved' || approvedAt === null) return [];
  const out: PopAnomaly[] = [];
  const launchedAt = pack.timeline.campaignLaunchedAt;
  if (launchedAt !== null && after(approvedAt, launchedAt)) {
    out.push({
      code: 'launched-before-approval',
      severity: 'warning',
      message: 'The campaign was launched before the request was approved.',
      detail: { launchedAt, approvedAt },
    });
  }
  const list = pack.audience.list;
  if (list && after(list.createdAt, approvedAt)) {
    out.push({
      code: 'list-created-after-approval',
      severity: 'warning',
      message: 'The campaign was sent to a list created after the request was approved.',
      detail: { listId: list.id, createdAt: list.createdAt, approvedAt },
    });
  }
  // Imports after the last send cannot have reached this campaign's recipients.
  const lastSendAt = pack.sendLog.lastSendAt;
  const late = pack.audience.imports.filter(
    (job) => after(job.createdAt, approvedAt) && lastSendAt !== null && !after(job.createdAt, lastSendAt),
  );
  if (late.length > 0) {
    out.push({
      code: 'list-imported-after-approval',
      severity: 'warning',
      message: `${late.length} import(s) into the list ran after the request was approved, before the last send.`,
      detail: {
        approvedAt,
        imports: late.map((job) => ({ id: job.id, createdAt: job.createdAt, imported: job.imported })),
      },
    });
  }
  return out;
};

const sendAnomalies = (pack: PopFacts): PopAnomaly[] => {
  const campaign = pack.campaign;
  if (!campaign) return [];
  const log = pack.sendLog;
  if (log.sent === 0) {
    return [
      {
        code: 'campaign-not-sent',
        severity: 'warning',
        message: 'The campaign has no sends recorded.',
        detail: { status: campaign.status },
      },
    ];
  }
  const settled = log.sent + log.failed + log.suppressed;
  const size = pack.audience.size;
  // A campaign is marked sent lazily (on its next read) once every recipient settled: judge by the counts.
  if (campaign.status === 'sent' || (size !== null && settled >= size)) return [];
  return [
    {
      code: 'campaign-not-finished',
      severity: 'info',
      message: `The campaign is ${campaign.status}; not every recipient had been sent to when the claim was filed.`,
      detail: { status: campaign.status, settled, audienceSize: size },
    },
  ];
};

const rateAnomalies = (pack: PopFacts): PopAnomaly[] => {
  const log = pack.sendLog;
  const out: PopAnomaly[] = [];
  if (exceedsBps(log.hardBounced, log.sent, HARD_BOUNCE_LIMIT_BPS)) {
    out.push({
      code: 'high-hard-bounce-rate',
      severity: 'warning',
      message: 'More than 5% of the sends hard-bounced: the list may be bought, scraped or stale.',
      detail: { hardBounced: log.hardBounced, sent: log.sent, limitBps: HARD_BOUNCE_LIMIT_BPS },
    });
  }
  if (reachesBps(log.complained, log.delivered, COMPLAINT_LIMIT_BPS)) {
    out.push({
      code: 'high-complaint-rate',
      severity: 'warning',
      message: 'Complaints reached 0.3% of delivered: the Gmail and Yahoo bulk-sender ceiling.',
      detail: { complained: log.complained, delivered: log.delivered, limitBps: COMPLAINT_LIMIT_BPS },
    });
  } else if (reachesBps(log.complained, log.delivered, COMPLAINT_NOTICE_BPS)) {
    out.push({
      code: 'elevated-complaint-rate',
      severity: 'info',
      message:
        'Complaints reached 0.1% of delivered: above the rate mailbox providers ask senders to stay under.',
      detail: { complained: log.complained, delivered: log.delivered, limitBps: COMPLAINT_NOTICE_BPS },
    });
  }
  return out;
};

const outcomeAnomalies = (pack: PopFacts): PopAnomaly[] => {
  const campaign = pack.campaign;
  if (!campaign) return [];
  const out: PopAnomaly[] = [];
  if (pack.leads.total === 0) {
    out.push({
      code: 'no-leads',
      severity: 'warning',
      message: 'The campaign produced no leads.',
      detail: { expectedLeads: pack.request.expectedOutcomes.leads },
    });
  }
  const brand = campaign.brand;
  if (brand.source === 'missing') {
    out.push({
      code: 'brand-profile-missing',
      severity: 'warning',
      message:
        'The partner had no brand profile at launch (or has none now, for a campaign launched before brand snapshots); the rendering shows placeholders where the brand went.',
      detail: {},
    });
  }
  const launchedAt = pack.timeline.campaignLaunchedAt;
  const live = brand.source === 'live-profile';
  if (
    live &&
    brand.profileUpdatedAt !== null &&
    launchedAt !== null &&
    after(brand.profileUpdatedAt, launchedAt)
  ) {
    out.push({
      code: 'brand-changed-after-launch',
      severity: 'info',
      message:
        'The brand profile changed after the launch: the rendering uses today’s profile, and messages sent before the change used the earlier one.',
      detail: { profileUpdatedAt: brand.profileUpdatedAt, profileVersion: brand.profileVersion, launchedAt },
    });
  }
  return out;
};

/** Every anomaly, in a fixed order (the pack hashes the same for the same records). */
export const popAnomalies = (pack: PopFacts): PopAnomaly[] => [
  ...claimAnomalies(pack),
  ...linkAnomalies(pack),
  ...approvalAnomalies(pack),
  ...windowAnomalies(pack),
  ...sendAnomalies(pack),
  ...rateAnomalies(pack),
  ...outcomeAnomalies(pack),
];
