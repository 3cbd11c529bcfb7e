import type { Principal } from '#functions/auth/principal';
import { callerPartnerId, partnerIdInScope } from '#functions/auth/tenancy';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '#platform/errors';
import { formatMoney } from './money';
import { actorOf, auditActorOf, type MdfDeps } from './ports';
import type { CreateFund, Fund, UpdateFund } from './schema';
import type { Paged } from './store';

/** Marketing allocates a fund: one per partner, period and currency. */
export const createFund = async (deps: MdfDeps, principal: Principal, input: CreateFund): Promise<Fund> => {
  if (!(await deps.partners.get(input.partnerId))) {
    throw new ValidationError('no such partner', [{ path: 'body.partnerId', message: 'no such partner' }]);
  }
  const now = deps.clock().toISOString();
  const fund: Fund = {
    id: deps.newId(),
    ...input,
    committedMinor: 0,
    claimedMinor: 0,
    approvedMinor: 0,
    paidMinor: 0,
    remainingMinor: input.allocatedMinor,
    createdAt: now,
    createdBy: actorOf(principal),
    updatedAt: now,
    version: 1,
  };
  await deps.store.createFund(fund);
  await deps.recordAudit({
    partnerId: fund.partnerId,
    kind: 'fund-allocation',
    subject: { partnerId: fund.partnerId, fundId: fund.id },
    content: {
      period: fund.period,
      currency: fund.currency,
      allocatedMinor: fund.allocatedMinor,
      reimbursementShareBps: fund.reimbursementShareBps,
      claimDeadlineDays: fund.claimDeadlineDays,
    },
    actor: auditActorOf(principal),
  });
  return fund;
};

/** A fund as the caller may see it: a partner only its own (another's is 404, as if absent). */
export const getFund = async (deps: MdfDeps, principal: Principal, fundId: string): Promise<Fund> => {
  const fund = await deps.store.getFund(fundId);
  if (!fund) throw new NotFoundError('not found');
  partnerIdInScope(principal, fund.partnerId);
  return fund;
};

export const listFunds = (
  deps: MdfDeps,
  principal: Principal,
  query: {
    partnerId?: string | undefined;
    period?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Paged<Fund>> => {
  // A partner lists its own funds whatever it asks for; another partner's id is simply empty.
  const own = callerPartnerId(principal);
  if (own !== null && query.partnerId !== undefined && query.partnerId !== own) {
    return Promise.resolve({ items: [], nextCursor: null });
  }
  const partnerId = own ?? query.partnerId;
  return deps.store.listFunds(
    { ...(partnerId ? { partnerId } : {}), ...(query.period ? { period: query.period } : {}) },
    query.limit,
    query.cursor,
  );
};

/** Raises or lowers the allocation, never below what is already committed. */
export const updateFund = async (
  deps: MdfDeps,
  principal: Principal,
  fundId: string,
  expectedVersion: number,
  changes: UpdateFund,
): Promise<Fund> => {
  const fund = await getFund(deps, principal, fundId);
  if (fund.version !== expectedVersion) {
    throw new PreconditionFailedError(`expected version ${expectedVersion}; the fund is at ${fund.version}`);
  }
  const allocated = changes.allocatedMinor ?? fund.allocatedMinor;
  const tooLow = () =>
    new ConflictError(
      `the allocation cannot go below what is committed (${formatMoney(fund.committedMinor, fund.currency)})`,
      undefined,
      { committedMinor: fund.committedMinor, currency: fund.currency },
    );
  if (allocated < fund.committedMinor) throw tooLow();
  const outcome = await deps.store.changeAllocation(fund, expectedVersion, allocated - fund.allocatedMinor, {
    claimDeadlineDays: changes.claimDeadlineDays,
    updatedAt: deps.clock().toISOString(),
  });
  if (outcome === 'stale')
    throw new PreconditionFailedError('the fund changed since it was read; read it again');
  if (outcome === 'insufficient') throw tooLow();
  const updated = await getFund(deps, principal, fundId);
  await deps.recordAudit({
    partnerId: fund.partnerId,
    kind: 'fund-adjustment',
    subject: { partnerId: fund.partnerId, fundId: fund.id },
    content: {
      fromAllocatedMinor: fund.allocatedMinor,
      toAllocatedMinor: updated.allocatedMinor,
      claimDeadlineDays: updated.claimDeadlineDays,
      currency: fund.currency,
    },
    actor: auditActorOf(principal),
  });
  return updated;
};
