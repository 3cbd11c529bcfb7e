import type { Principal } from '#functions/auth/principal';
import { callerPartnerId, partnerIdInScope } from '#functions/auth/tenancy';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '#platform/errors';
import { approvalOf, canMove, formatMoney } from './money';
import { actorOf, auditActorOf, type MdfDeps } from './ports';
import type { CreateRequest, Decision, MdfRequest, RequestStatus } from './schema';
import type { Paged } from './store';

const invalid = (path: string, message: string) => new ValidationError(message, [{ path, message }]);

/** A partner asks for pre-approval of an activity against one of its own funds. */
export const createRequest = async (
  deps: MdfDeps,
  principal: Principal,
  input: CreateRequest,
): Promise<MdfRequest> => {
  const partnerId = callerPartnerId(principal);
  if (partnerId === null) throw new ForbiddenError('only a partner files requests');
  const fund = await deps.store.getFund(input.fundId);
  // Another partner's fund reads exactly like a missing one.
  if (!fund || fund.partnerId !== partnerId) throw invalid('body.fundId', 'no such fund');
  if (input.currency !== fund.currency) {
    throw invalid('body.currency', `must be the fund's currency, ${fund.currency}`);
  }
  if (input.campaignId !== undefined && !(await deps.campaigns.getForPartner(partnerId, input.campaignId))) {
    throw invalid('body.campaignId', 'no such campaign');
  }
  const now = deps.clock().toISOString();
  const request: MdfRequest = {
    id: deps.newId(),
    partnerId,
    fundId: fund.id,
    campaignId: input.campaignId ?? null,
    plannedActivity: input.plannedActivity,
    plannedSpendMinor: input.plannedSpendMinor,
    currency: fund.currency,
    expectedOutcomes: input.expectedOutcomes,
    reimbursementShareBps: fund.reimbursementShareBps,
    status: 'submitted',
    approvedMinor: null,
    committedMinor: null,
    rejectionReason: null,
    decidedBy: null,
    decidedAt: null,
    withdrawnAt: null,
    createdAt: now,
    createdBy: actorOf(principal),
    updatedAt: now,
    version: 1,
  };
  await deps.store.createRequest(request);
  await deps.recordAudit({
    partnerId,
    kind: 'request-filed',
    subject: { partnerId, fundId: fund.id, requestId: request.id },
    content: {
      campaignId: request.campaignId,
      plannedActivity: request.plannedActivity,
      plannedSpendMinor: request.plannedSpendMinor,
      currency: request.currency,
      expectedOutcomes: request.expectedOutcomes,
    },
    actor: auditActorOf(principal),
  });
  return request;
};

export const getRequest = async (
  deps: MdfDeps,
  principal: Principal,
  requestId: string,
): Promise<MdfRequest> => {
  const request = await deps.store.getRequest(requestId);
  if (!request) throw new NotFoundError('not found');
  partnerIdInScope(principal, request.partnerId);
  return request;
};

export const listRequests = (
  deps: MdfDeps,
  principal: Principal,
  query: {
    partnerId?: string | undefined;
    status?: RequestStatus | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Paged<MdfRequest>> => {
  const own = callerPartnerId(principal);
  if (own !== null && query.partnerId !== undefined && query.partnerId !== own) {
    return Promise.resolve({ items: [], nextCursor: null });
  }
  const partnerId = own ?? query.partnerId;
  return deps.store.listRequests(
    { ...(partnerId ? { partnerId } : {}), ...(query.status ? { status: query.status } : {}) },
    query.limit,
    query.cursor,
  );
};

const notMovable = (request: MdfRequest, to: RequestStatus) =>
  new ConflictError(`the request is ${request.status}; it can no longer be ${to}`);

/** The partner withdraws its own request while it is still waiting for a decision. */
export const withdrawRequest = async (
  deps: MdfDeps,
  principal: Principal,
  requestId: string,
): Promise<MdfRequest> => {
  const request = await getRequest(deps, principal, requestId);
  if (!canMove(request.status, 'withdrawn')) throw notMovable(request, 'withdrawn');
  const now = deps.clock().toISOString();
  const next: MdfRequest = {
    ...request,
    status: 'withdrawn',
    withdrawnAt: now,
    updatedAt: now,
    version: request.version + 1,
  };
  if ((await deps.store.saveRequest(next, request.version)) !== 'done') {
    throw new ConflictError('the request was decided while you withdrew it; read it again');
  }
  return next;
};

const stale = () => new PreconditionFailedError('the request changed since it was read; read it again');

const reject = async (
  deps: MdfDeps,
  request: MdfRequest,
  decided: Partial<MdfRequest>,
  reason: string | undefined,
) => {
  if (reason === undefined) throw invalid('body.reason', 'required to reject');
  const next: MdfRequest = { ...request, ...decided, status: 'rejected', rejectionReason: reason };
  if ((await deps.store.saveRequest(next, request.version)) !== 'done') throw stale();
  return next;
};

/** Commits the vendor's share of the approved spend in one transaction that refuses to overspend. */
const approve = async (
  deps: MdfDeps,
  request: MdfRequest,
  decided: Partial<MdfRequest>,
  approvedMinor: number | undefined,
) => {
  if (approvedMinor === undefined) throw invalid('body.approvedMinor', 'required to approve');
  if (approvedMinor > request.plannedSpendMinor) {
    throw invalid(
      'body.approvedMinor',
      `must not exceed the planned spend, ${formatMoney(request.plannedSpendMinor, request.currency)}`,
    );
  }
  const next: MdfRequest = {
    ...request,
    ...decided,
    status: 'approved',
    ...approvalOf(request, approvedMinor),
  };
  const outcome = await deps.store.approve(next, request.version);
  if (outcome === 'stale') throw stale();
  if (outcome === 'insufficient') {
    // Read after the refusal: the balance as it is now, which is what the caller can still use.
    const remaining = (await deps.store.getFund(request.fundId))?.remainingMinor ?? 0;
    const commitment = next.committedMinor ?? 0;
    throw new ConflictError(
      `approving commits ${formatMoney(commitment, request.currency)} but the fund's remaining balance is ${formatMoney(remaining, request.currency)}`,
      undefined,
      { remainingMinor: remaining, commitmentMinor: commitment, currency: request.currency },
    );
  }
  return next;
};

/**
 * Marketing approves (committing the vendor's share of the approved spend from the fund, never
 * more than remains, even under concurrent approvals) or rejects with a reason.
 */
export const decideRequest = async (
  deps: MdfDeps,
  principal: Principal,
  requestId: string,
  expectedVersion: number,
  decision: Decision,
): Promise<MdfRequest> => {
  const request = await getRequest(deps, principal, requestId);
  if (request.version !== expectedVersion) {
    throw new PreconditionFailedError(
      `expected version ${expectedVersion}; the request is at ${request.version}`,
    );
  }
  const to = decision.decision === 'approve' ? 'approved' : 'rejected';
  if (!canMove(request.status, to)) throw notMovable(request, to);
  const now = deps.clock().toISOString();
  const decided = {
    decidedBy: actorOf(principal),
    decidedAt: now,
    updatedAt: now,
    version: request.version + 1,
  };
  const next =
    decision.decision === 'reject'
      ? await reject(deps, request, decided, decision.reason)
      : await approve(deps, request, decided, decision.approvedMinor);
  await deps.recordAudit({
    partnerId: request.partnerId,
    kind: 'request-decision',
    subject: { partnerId: request.partnerId, fundId: request.fundId, requestId: request.id },
    content: {
      outcome: next.status,
      plannedSpendMinor: next.plannedSpendMinor,
      approvedMinor: next.approvedMinor,
      committedMinor: next.committedMinor,
      reimbursementShareBps: next.reimbursementShareBps,
      currency: next.currency,
      reason: next.rejectionReason,
    },
    actor: auditActorOf(principal),
  });
  return next;
};
