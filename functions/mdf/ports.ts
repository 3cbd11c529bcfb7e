import type { AuditKind } from '#functions/audit/schema';
import type { Principal } from '#functions/auth/principal';
import type { CampaignStore } from '#functions/campaigns/store';
import type { PartnerStore } from '#functions/partners/store';
import type { MdfStore } from './store';

/**
 * One audit-log entry for an MDF event: which partner's chain, what happened, about which ids,
 * and the recorded content. The audit feature (functions/audit) hashes and chains it.
 */
export interface MdfAuditEntry {
  partnerId: string;
  kind: AuditKind;
  subject: Record<string, string>;
  content: Record<string, unknown>;
  actor: { role: Principal['role']; sub: string; name: string };
}

/** What the MDF use-cases take from outside. */
export interface MdfDeps {
  store: MdfStore;
  partners: Pick<PartnerStore, 'get'>;
  campaigns: Pick<CampaignStore, 'getForPartner'>;
  /**
   * Appends to the tamper-evident audit log after each allocation change and decision. It is
   * called after the write succeeded; if it throws, the caller gets the error (a 5xx) while the
   * change stands, so a retry of the decision answers 409 rather than writing twice.
   */
  recordAudit: (entry: MdfAuditEntry) => Promise<void>;
  clock: () => Date;
  newId: () => string;
}

export const actorOf = (principal: Principal) => ({
  sub: principal.sub,
  email: principal.email,
  name: principal.name,
});

export const auditActorOf = (principal: Principal): MdfAuditEntry['actor'] => ({
  role: principal.role,
  sub: principal.sub,
  name: principal.name,
});
