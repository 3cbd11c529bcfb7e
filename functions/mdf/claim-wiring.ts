import { listEntries, verifyChain } from '#functions/audit/audit';
import { partnerChain } from '#functions/audit/schema';
import { auditStore } from '#functions/audit/store';
import type { CampaignStore } from '#functions/campaigns/store';
import { notificationItem } from '#functions/campaigns/store';
import type { KitDeps } from '#functions/kits/kits';
import { paidAggregateActions } from '#functions/reports/aggregates';
import type { EvidenceStore } from '#platform/evidence';
import type { Table } from '#platform/table';
import { type AuditFailureLog, mdfAuditLog } from './audit-log';
import type { ClaimDeps, PopPort } from './claim-ports';
import { claimStore } from './claim-store';
import { assemblePop, type PopPack, popArchive, popEvidenceItems, popSources } from './pop/index';
import { mdfStore } from './store';

/** Audit entries read a page at this size when the claim page looks for its own. */
const ENTRY_PAGE = 100;

/** The claim use-cases' collaborators over the table, the evidence store and the kits. */
export const claimDepsFor = (deps: {
  table: Table;
  logger: AuditFailureLog;
  evidence: EvidenceStore;
  kits: KitDeps;
  campaigns: Pick<CampaignStore, 'getForPartner'>;
  clock: () => Date;
  newId: () => string;
}): ClaimDeps => {
  const audit = { audit: auditStore(deps.table), clock: deps.clock };
  const sources = popSources({ table: deps.table, kits: deps.kits });
  const popPort: PopPort<PopPack> = {
    assemble: (input) => assemblePop(sources, input),
    anomalies: (pack) => pack.anomalies.map((a) => a.code),
    archive: popArchive,
    evidenceItems: popEvidenceItems,
  };
  return {
    claims: claimStore(deps.table),
    mdf: mdfStore(deps.table),
    campaigns: deps.campaigns,
    evidence: deps.evidence,
    pop: popPort,
    recordAudit: mdfAuditLog(deps.table, deps.clock, deps.logger),
    verifyPartnerChain: (partnerId) => verifyChain(audit, partnerChain(partnerId)),
    async claimAuditEntries(partnerId, claimId) {
      const found: { kind: string; content: unknown }[] = [];
      let cursor: string | undefined;
      do {
        const page = await listEntries(audit, partnerChain(partnerId), ENTRY_PAGE, cursor);
        for (const entry of page.items) if (entry.subject.claimId === claimId) found.push(entry);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return found;
    },
    notify: (notification) => deps.table.create(notificationItem(notification)),
    paidAggregateActions,
    clock: deps.clock,
    newId: deps.newId,
  };
};
