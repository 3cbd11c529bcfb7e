import { appendAudit } from '#functions/audit/audit';
import { partnerChain } from '#functions/audit/schema';
import { auditStore } from '#functions/audit/store';
import type { Table } from '#platform/table';
import type { MdfDeps } from './ports';

/** The MDF audit port over the tamper-evident log: each entry goes on its partner's chain. */
export const mdfAuditLog = (table: Table, clock: () => Date): MdfDeps['recordAudit'] => {
  const deps = { audit: auditStore(table), clock };
  return async (entry) => {
    await appendAudit(deps, {
      chain: partnerChain(entry.partnerId),
      kind: entry.kind,
      subject: entry.subject,
      content: entry.content,
      recordedBy: entry.actor,
    });
  };
};
