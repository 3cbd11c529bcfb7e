import type { SendBatch } from '#functions/sending/contracts';
import type { AudienceMember } from './ports';

/** SES-friendly batch size the send engine accepts (contracts.ts: ≤ 50 recipients). */
export const BATCH_SIZE = 50;
/** Members read from the list per expand step: 10 batches, well inside one invocation. */
export const PAGE_SIZE = 500;

/**
 * Stable per campaign, list page and position: a redelivered expand step produces the same
 * ids, so logs, the DLQ and the send engine's own records line up across retries.
 */
export const batchId = (campaignId: string, page: number, n: number): string => `${campaignId}:${page}:${n}`;

/** One list page → send batches of at most `size` recipients, in list order. */
export const splitIntoBatches = (
  campaign: { campaignId: string; partnerId: string },
  page: number,
  members: readonly AudienceMember[],
  size: number = BATCH_SIZE,
): SendBatch[] => {
  const batches: SendBatch[] = [];
  for (let start = 0, n = 0; start < members.length; start += size, n += 1) {
    batches.push({
      kind: 'send-batch',
      campaignId: campaign.campaignId,
      partnerId: campaign.partnerId,
      batchId: batchId(campaign.campaignId, page, n),
      recipients: members.slice(start, start + size).map((m) => ({
        email: m.email,
        firstName: m.firstName ?? '',
        lastName: m.lastName ?? '',
        company: m.company ?? '',
      })),
    });
  }
  return batches;
};
