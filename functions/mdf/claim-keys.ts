import type { IndexKeys, ItemKey } from '#platform/table';
import type { Claim, ClaimStatus } from './claim-schema';

/**
 * MDF claims and invoice uploads on the shared table (pure functions, tested by exact value):
 *
 * | access pattern                                   | index | key condition                                                  |
 * | ------------------------------------------------ | ----- | -------------------------------------------------------------- |
 * | a claim by id                                    | table | pk = MDF_CLAIM#<claimId>, sk = CLAIM                           |
 * | one claim per request (conditional create)       | table | pk = MDF_REQUEST#<requestId>, sk = CLAIM                       |
 * | a partner's claims (optionally by status)        | gsi1  | gsi1pk = PARTNER#<id>, gsi1sk begins_with MDF_CLAIM#[<rank>#]  |
 * | the auditors' queue: open first, oldest first    | gsi2  | gsi2pk = MDF_CLAIMS, gsi2sk begins_with [<rank>#]              |
 * | a partner's uploaded invoice by its SHA-256       | table | pk = PARTNER#<id>, sk = MDF_INVOICE#<sha256>                   |
 *
 * Invoices are keyed under the uploading partner: a claim can only name its own partner's uploads,
 * whatever hash it quotes. Their bytes live in the write-once evidence store (evidenceKeys).
 */
export const claimKey = (claimId: string): ItemKey => ({ pk: `MDF_CLAIM#${claimId}`, sk: 'CLAIM' });

export const claimSlotKey = (requestId: string): ItemKey => ({ pk: `MDF_REQUEST#${requestId}`, sk: 'CLAIM' });

export const invoiceKey = (partnerId: string, sha256: string): ItemKey => ({
  pk: `PARTNER#${partnerId}`,
  sk: `MDF_INVOICE#${sha256}`,
});

const rank: Record<ClaimStatus, string> = {
  submitted: '0-SUBMITTED',
  'info-requested': '1-INFO-REQUESTED',
  approved: '2-APPROVED',
  'partially-approved': '3-PARTIALLY-APPROVED',
  rejected: '4-REJECTED',
  paid: '5-PAID',
};

export const claimIndexKeys = (
  claim: Pick<Claim, 'id' | 'partnerId' | 'status' | 'filedAt'>,
): Required<IndexKeys> => {
  const order = `${rank[claim.status]}#${claim.filedAt}#${claim.id}`;
  return {
    gsi1pk: `PARTNER#${claim.partnerId}`,
    gsi1sk: `MDF_CLAIM#${order}`,
    gsi2pk: 'MDF_CLAIMS',
    gsi2sk: order,
  };
};

export const claimsOfPartner = (partnerId: string, status?: ClaimStatus) =>
  ({
    index: 'gsi1',
    partition: `PARTNER#${partnerId}`,
    prefix: `MDF_CLAIM#${status ? `${rank[status]}#` : ''}`,
  }) as const;

export const claimQueue = (status?: ClaimStatus) =>
  status
    ? ({ index: 'gsi2', partition: 'MDF_CLAIMS', prefix: `${rank[status]}#` } as const)
    : ({ index: 'gsi2', partition: 'MDF_CLAIMS' } as const);

/** Write-once evidence keys: all under `claims/`, the only prefix the API role may write. */
export const evidenceKeys = {
  invoice: (partnerId: string, sha256: string) => `claims/${partnerId}/invoices/${sha256}`,
  pop: (partnerId: string, claimId: string) => `claims/${partnerId}/${claimId}/pop.json`,
  popArchive: (partnerId: string, claimId: string) => `claims/${partnerId}/${claimId}/pop.zip`,
};
