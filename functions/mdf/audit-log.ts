import { appendAudit } from '#functions/audit/audit';
import { partnerChain } from '#functions/audit/schema';
import { auditStore } from '#functions/audit/store';
import type { Table } from '#platform/table';
import type { MdfDeps } from './ports';

/** Where a failed append is reported (the `audit append failed` metric filter alarms on it). */
export interface AuditFailureLog {
  error(message: string, extra: { kind: string; subject: Record<string, string>; error: string }): void;
}

/**
 * The MDF audit port over the tamper-evident log: each entry goes on its partner's chain. An
 * append that fails after the change it records is logged as `audit append failed` with the
 * entry's subject (an operator alarm), then thrown: the caller answers 5xx.
 */
export const mdfAuditLog = (
  table: Table,
  clock: () => Date,
  log?: AuditFailureLog,
): MdfDeps['recordAudit'] => {
  const deps = { audit: auditStore(table), clock };
  return async (entry) => {
    try {
      await appendAudit(deps, {
        chain: partnerChain(entry.partnerId),
        kind: entry.kind,
        subject: entry.subject,
        content: entry.content,
        recordedBy: entry.actor,
      });
    } catch (error) {
      log?.error('audit append failed', {
        kind: entry.kind,
        subject: entry.subject,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  };
};
