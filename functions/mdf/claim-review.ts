import { sha256Hex } from '#functions/audit/hashing';
import type { Principal } from '#functions/auth/principal';
import type { Notification } from '#functions/campaigns/schema';
import { ConflictError, PreconditionFailedError, ValidationError } from '#platform/errors';
import { evidenceKeys } from './claim-keys';
import type { ClaimDeps } from './claim-ports';
import type {
  Claim,
  ClaimDecision,
  ClaimDecisionInput,
  ClaimIntegrity,
  ClaimResponseInput,
  ClaimStatus,
  PaymentInput,
} from './claim-schema';
import { getClaim } from './claims';
import { formatMoney } from './money';
import { actorOf, auditActorOf } from './ports';

const invalid = (path: string, message: string) => new ValidationError(message, [{ path, message }]);

const atVersion = (claim: Claim, expectedVersion: number) => {
  if (claim.version !== expectedVersion) {
    throw new PreconditionFailedError(
      `expected version ${expectedVersion}; the claim is at ${claim.version}`,
    );
  }
};
const stale = () => new PreconditionFailedError('the claim changed since it was read; read it again');

const finalStatuses: ReadonlySet<ClaimStatus> = new Set(['approved', 'partially-approved', 'rejected']);
const finalOutcomes: ReadonlySet<ClaimDecision['outcome']> = new Set([
  'approved',
  'partially-approved',
  'rejected',
]);

/** The latest final decision (approve, partial, reject): the one a correction must name. */
export const effectiveDecision = (claim: Pick<Claim, 'decisions'>): ClaimDecision | undefined =>
  claim.decisions.findLast((d) => finalOutcomes.has(d.outcome));

const notice = (
  deps: ClaimDeps,
  claim: Claim,
  kind: 'claim-info-requested' | 'claim-decided' | 'claim-paid',
  comment: string,
  by: string,
): Notification => ({
  id: deps.newId(),
  partnerId: claim.partnerId,
  kind,
  campaignId: claim.campaignId,
  claimId: claim.id,
  campaignName: claim.activityName,
  comment,
  by,
  createdAt: deps.clock().toISOString(),
});

const checkInfoRequest = (claim: Claim, input: ClaimDecisionInput) => {
  if (input.corrects) throw invalid('body.corrects', 'only a final decision corrects another');
  if (claim.status !== 'submitted') {
    throw new ConflictError(
      `the claim is ${claim.status}; information is requested only on a submitted claim`,
    );
  }
};

/** A final decision on a decided claim must name the latest final one; on an open claim, none. */
const checkCorrection = (claim: Claim, input: ClaimDecisionInput) => {
  const latest = effectiveDecision(claim);
  if (!finalStatuses.has(claim.status)) {
    if (input.corrects) throw invalid('body.corrects', 'the claim has no final decision to correct yet');
    return;
  }
  if (!input.corrects) {
    throw new ConflictError(
      `the claim is already ${claim.status}; a correction is a new decision naming the one it corrects (${latest?.id})`,
      undefined,
      { corrects: latest?.id ?? null },
    );
  }
  if (input.corrects !== latest?.id) {
    throw invalid('body.corrects', `must name the claim's latest final decision, ${latest?.id}`);
  }
};

/** Where a decision may be recorded from, and what it needs. */
const checkDecision = (claim: Claim, input: ClaimDecisionInput) => {
  if (claim.status === 'paid')
    throw new ConflictError('the claim is paid; its decisions can no longer change');
  if (input.outcome === 'request-info') return checkInfoRequest(claim, input);
  checkCorrection(claim, input);
  if (input.outcome === 'partially-approve' && (input.amountMinor ?? 0) >= claim.amountMinor) {
    throw invalid(
      'body.amountMinor',
      `a partial approval is less than the claimed ${formatMoney(claim.amountMinor, claim.currency)}; approve the whole claim with outcome approve`,
    );
  }
};

/** The reimbursement a decision approves: all, part, none; an information request keeps the last. */
const approvedBy = (claim: Claim, outcome: ClaimDecision['outcome'], input: ClaimDecisionInput) => {
  if (outcome === 'approved') return claim.amountMinor;
  if (outcome === 'partially-approved') return input.amountMinor ?? 0;
  return outcome === 'rejected' ? 0 : null;
};

/** What the partner's notification says about a decision. */
const decisionNotice = (decision: ClaimDecision, approvedMinor: number | null, currency: string) => {
  if (decision.outcome === 'info-requested') return decision.reason ?? '';
  if (decision.outcome === 'rejected') return `Rejected (${decision.reasonCode}): ${decision.reason}`;
  const what = decision.outcome === 'approved' ? 'Approved' : 'Partially approved';
  return `${what}: ${formatMoney(approvedMinor ?? 0, currency)}${decision.reason ? ` — ${decision.reason}` : ''}`;
};

const outcomeOf = {
  approve: 'approved',
  'partially-approve': 'partially-approved',
  reject: 'rejected',
  'request-info': 'info-requested',
} as const;

/**
 * An auditor's decision: approve, approve partially (amount and reason), reject (code and reason)
 * or request information (the partner is notified and responds). Each is appended, final once
 * recorded; a correction is a new decision naming the latest final one. The fund's approved
 * balance moves by the difference in the same transaction as the claim.
 */
export const decideClaim = async (
  deps: ClaimDeps,
  principal: Principal,
  claimId: string,
  expectedVersion: number,
  input: ClaimDecisionInput,
): Promise<Claim> => {
  const claim = await getClaim(deps, principal, claimId);
  atVersion(claim, expectedVersion);
  checkDecision(claim, input);
  const now = deps.clock().toISOString();
  const outcome = outcomeOf[input.outcome];
  const approved = approvedBy(claim, outcome, input);
  const amountMinor = outcome === 'info-requested' || outcome === 'rejected' ? null : approved;
  const decision: ClaimDecision = {
    id: deps.newId(),
    outcome,
    amountMinor,
    reasonCode: input.reasonCode ?? null,
    reason: input.reason ?? null,
    corrects: input.corrects ?? null,
    by: actorOf(principal),
    at: now,
  };
  const approvedMinor = outcome === 'info-requested' ? claim.approvedMinor : approved;
  const next: Claim = {
    ...claim,
    status: outcome,
    approvedMinor,
    decisions: [...claim.decisions, decision],
    updatedAt: now,
    version: claim.version + 1,
  };
  const delta = (approvedMinor ?? 0) - (claim.approvedMinor ?? 0);
  if ((await deps.claims.save(next, claim.version, { approvedMinor: delta })) !== 'done') throw stale();
  await deps.recordAudit({
    partnerId: claim.partnerId,
    kind: outcome === 'info-requested' ? 'claim-info-request' : 'claim-decision',
    subject: { partnerId: claim.partnerId, claimId: claim.id, decisionId: decision.id },
    content: { ...decision, claimedMinor: claim.amountMinor, currency: claim.currency },
    actor: auditActorOf(principal),
  });
  const comment = decisionNotice(decision, approvedMinor, claim.currency);
  await deps.notify(
    notice(
      deps,
      next,
      outcome === 'info-requested' ? 'claim-info-requested' : 'claim-decided',
      comment,
      principal.name,
    ),
  );
  return next;
};

/** The partner answers an information request, optionally with more invoices; the claim is back in the queue. */
export const respondToClaim = async (
  deps: ClaimDeps,
  principal: Principal,
  claimId: string,
  input: ClaimResponseInput,
): Promise<Claim> => {
  const claim = await getClaim(deps, principal, claimId);
  if (claim.status !== 'info-requested') {
    throw new ConflictError(`the claim is ${claim.status}; a response answers an information request`);
  }
  const now = deps.clock().toISOString();
  const known = new Set(claim.invoices.map((i) => i.sha256));
  const added = await Promise.all(
    input.invoices.map(async (invoice, i) => {
      if (known.has(invoice.sha256)) throw invalid(`body.invoices.${i}.sha256`, 'already on the claim');
      const upload = await deps.claims.getInvoice(claim.partnerId, invoice.sha256);
      if (!upload) throw invalid(`body.invoices.${i}.sha256`, 'no such upload: upload the file first');
      return {
        ...invoice,
        contentType: upload.contentType,
        bytes: upload.bytes,
        pages: upload.pages,
        addedAt: now,
      };
    }),
  );
  if (claim.invoices.length + added.length > 20)
    throw invalid('body.invoices', 'a claim holds at most 20 invoices');
  const response = {
    message: input.message,
    invoices: added.map((i) => i.sha256),
    by: actorOf(principal),
    at: now,
  };
  const next: Claim = {
    ...claim,
    status: 'submitted',
    invoices: [...claim.invoices, ...added],
    invoicedSpendMinor: claim.invoicedSpendMinor + added.reduce((t, i) => t + i.amountMinor, 0),
    responses: [...claim.responses, response],
    updatedAt: now,
    version: claim.version + 1,
  };
  if ((await deps.claims.save(next, claim.version)) !== 'done') throw stale();
  await deps.recordAudit({
    partnerId: claim.partnerId,
    kind: 'claim-info-response',
    subject: { partnerId: claim.partnerId, claimId: claim.id },
    content: {
      message: input.message,
      invoices: added.map(({ addedAt: _, ...invoice }) => invoice),
      invoicedSpendMinor: next.invoicedSpendMinor,
    },
    actor: auditActorOf(principal),
  });
  return next;
};

/** Marks an approved claim paid with the payment's reference; the fund's paid balance moves with it. */
export const payClaim = async (
  deps: ClaimDeps,
  principal: Principal,
  claimId: string,
  expectedVersion: number,
  input: PaymentInput,
): Promise<Claim> => {
  const claim = await getClaim(deps, principal, claimId);
  atVersion(claim, expectedVersion);
  if (claim.status !== 'approved' && claim.status !== 'partially-approved') {
    throw new ConflictError(`the claim is ${claim.status}; only an approved claim is paid`);
  }
  const now = deps.clock().toISOString();
  const paidOn = input.paidOn ?? now.slice(0, 10);
  if (paidOn > now.slice(0, 10)) throw invalid('body.paidOn', 'must not be in the future');
  if (paidOn < claim.filedAt.slice(0, 10))
    throw invalid('body.paidOn', 'must not be before the claim was filed');
  const paidMinor = claim.approvedMinor ?? 0;
  const next: Claim = {
    ...claim,
    status: 'paid',
    payment: { reference: input.reference, paidMinor, paidOn, by: actorOf(principal), at: now },
    updatedAt: now,
    version: claim.version + 1,
  };
  const aggregates = deps.paidAggregateActions({
    partnerId: claim.partnerId,
    campaignId: claim.campaignId,
    currency: claim.currency,
    paidMinor,
    at: now,
  });
  if ((await deps.claims.save(next, claim.version, { paidMinor }, aggregates)) !== 'done') throw stale();
  await deps.recordAudit({
    partnerId: claim.partnerId,
    kind: 'claim-payment',
    subject: { partnerId: claim.partnerId, claimId: claim.id },
    content: {
      reference: input.reference,
      paidMinor,
      currency: claim.currency,
      paidOn,
      decisionId: effectiveDecision(claim)?.id ?? null,
    },
    actor: auditActorOf(principal),
  });
  await deps.notify(
    notice(
      deps,
      next,
      'claim-paid',
      `Paid ${formatMoney(paidMinor, claim.currency)} (reference ${input.reference})`,
      principal.name,
    ),
  );
  return next;
};

/** Every SHA-256 the claim's audit entries recorded (filing, POP evidence, responses). */
const recordedHashes = (entries: { content: unknown }[]): Set<string> => {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)) found.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const entry of entries) walk(entry.content);
  return found;
};

/**
 * The claim page's integrity status: the partner's audit chain recomputed from its first entry,
 * and each frozen file (the POP pack, its archive, every invoice) re-hashed from the evidence
 * store and compared with the hash on the claim and in the audit log.
 */
export const claimIntegrity = async (
  deps: ClaimDeps,
  principal: Principal,
  claimId: string,
): Promise<ClaimIntegrity> => {
  const claim = await getClaim(deps, principal, claimId);
  const [verification, entries] = await Promise.all([
    deps.verifyPartnerChain(claim.partnerId),
    deps.claimAuditEntries(claim.partnerId, claim.id),
  ]);
  const inLog = recordedHashes(entries);
  const wanted = [
    { item: 'pop.json', key: claim.pop.key, recordedSha256: claim.pop.sha256 },
    { item: 'pop.zip', key: claim.pop.archiveKey, recordedSha256: claim.pop.archiveSha256 },
    ...claim.invoices.map((invoice) => ({
      item: invoice.name,
      key: evidenceKeys.invoice(claim.partnerId, invoice.sha256),
      recordedSha256: invoice.sha256,
    })),
  ];
  const files = await Promise.all(
    wanted.map(async (file) => {
      const stored = await deps.evidence.get(file.key);
      const storedSha256 = stored ? sha256Hex(stored.bytes) : null;
      const inAuditLog = inLog.has(file.recordedSha256);
      return { ...file, storedSha256, inAuditLog, ok: inAuditLog && storedSha256 === file.recordedSha256 };
    }),
  );
  const chain = {
    ok: verification.ok,
    entries: verification.entries,
    firstBroken: verification.firstBroken ?? null,
  };
  return {
    ok: chain.ok && files.every((f) => f.ok),
    chain,
    files,
    checkedAt: deps.clock().toISOString(),
  };
};
