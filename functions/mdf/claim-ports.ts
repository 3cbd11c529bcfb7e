import type { Verification } from '#functions/audit/schema';
import type { Notification } from '#functions/campaigns/schema';
import type { CampaignStore } from '#functions/campaigns/store';
import type { EvidenceStore } from '#platform/evidence';
import type { TransactAction } from '#platform/table';
import type { ClaimStore } from './claim-store';
import type { MdfDeps } from './ports';
import type { MdfRequest } from './schema';
import type { MdfStore } from './store';

/** What the claim needs from the POP feature (functions/mdf/pop): assemble, archive, itemise. */
export interface PopPort<Pack = unknown> {
  assemble(input: {
    claimId: string;
    partnerId: string;
    request: MdfRequest;
    campaignId: string;
    amountMinor: number;
    invoicedSpendMinor: number;
    currency: string;
    filedAt: string;
  }): Promise<Pack>;
  /** The anomaly codes an auditor should look at (kept on the claim for the queue). */
  anomalies(pack: Pack): string[];
  /** One zip an auditor archives: pack JSON, leads CSV, HTML report. */
  archive(pack: Pack): Uint8Array;
  /** The evidence items appended to the audit log, one entry each (large data by hash). */
  evidenceItems(pack: Pack): { item: string; content: Record<string, unknown> }[];
}

/** An audit entry recorded on the claim's partner chain. */
export type ClaimAuditEntry = Parameters<MdfDeps['recordAudit']>[0];

/** What the claim use-cases take from outside. */
export interface ClaimDeps {
  claims: ClaimStore;
  mdf: Pick<MdfStore, 'getRequest' | 'getFund'>;
  campaigns: Pick<CampaignStore, 'getForPartner'>;
  evidence: EvidenceStore;
  pop: PopPort;
  recordAudit: MdfDeps['recordAudit'];
  /** Recomputes the partner's audit chain (the claim page's integrity status). */
  verifyPartnerChain(partnerId: string): Promise<Verification>;
  /** The partner chain's entries about one claim, as recorded (content parsed back). */
  claimAuditEntries(partnerId: string, claimId: string): Promise<{ kind: string; content: unknown }[]>;
  /** Tells the partner (portal notifications). */
  notify(notification: Notification): Promise<void>;
  /** Report aggregates that move with a payment, in the payment's own transaction. */
  paidAggregateActions(input: {
    partnerId: string;
    campaignId: string | null;
    currency: string;
    paidMinor: number;
    at: string;
  }): TransactAction[];
  clock: () => Date;
  newId: () => string;
}
