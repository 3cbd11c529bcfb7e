import { ConflictError, UnavailableError } from '#platform/errors';
import { type Table, TransactionConflictError } from '#platform/table';
import {
  allFunds,
  fundIndexKeys,
  fundKey,
  fundSlotKey,
  fundsOfPartner,
  requestIndexKeys,
  requestKey,
  requestQueue,
  requestsOfPartner,
} from './keys';
import { type Fund, fundSchema, type MdfRequest, mdfRequestSchema, type RequestStatus } from './schema';

export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

/** How a guarded write ended: done, refused by the fund's balance, or the item moved on. */
export type GuardedWrite = 'done' | 'insufficient' | 'stale';

export interface MdfStore {
  /** Creates the fund and claims its partner + period + currency slot, all or nothing. */
  createFund(fund: Fund): Promise<void>;
  getFund(fundId: string): Promise<Fund | undefined>;
  listFunds(
    filter: { partnerId?: string; period?: string },
    limit: number,
    cursor?: string,
  ): Promise<Paged<Fund>>;
  /**
   * Moves the allocation by `deltaMinor` (and `remainingMinor` with it) if the fund is still at
   * `expectedVersion`; lowering it needs `remainingMinor >= -delta`, i.e. allocated ≥ committed.
   */
  changeAllocation(
    fund: Fund,
    expectedVersion: number,
    deltaMinor: number,
    changes: { claimDeadlineDays?: number | undefined; updatedAt: string },
  ): Promise<GuardedWrite>;
  createRequest(request: MdfRequest): Promise<void>;
  getRequest(requestId: string): Promise<MdfRequest | undefined>;
  listRequests(
    filter: { partnerId?: string; status?: RequestStatus },
    limit: number,
    cursor?: string,
  ): Promise<Paged<MdfRequest>>;
  /** Replaces a request still at `expectedVersion` (reject, withdraw); else 'stale'. */
  saveRequest(next: MdfRequest, expectedVersion: number): Promise<GuardedWrite>;
  /**
   * The approval, in one transaction: the fund gains `committedMinor` and loses as much
   * remaining only if `remainingMinor >= committedMinor`, and the request becomes `next` only if
   * it is still at `expectedVersion`. Concurrent approvals therefore never commit more than is left.
   */
  approve(next: MdfRequest, expectedVersion: number): Promise<GuardedWrite>;
}

const fundItem = (fund: Fund) => ({ ...fundKey(fund.id), ...fundIndexKeys(fund), type: 'mdf-fund', ...fund });
const requestItem = (request: MdfRequest) => ({
  ...requestKey(request.id),
  ...requestIndexKeys(request),
  type: 'mdf-request',
  ...request,
});

/**
 * Transactions on one hot fund item cancel each other (TransactionConflict, our UnavailableError)
 * rather than queue: retry those with jittered backoff. Condition failures are answers, not retried.
 */
export const contended = async <T>(
  write: () => Promise<T>,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
) => {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof UnavailableError) || attempt >= 12) throw error;
      await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
    }
  }
};

export const mdfStore = (table: Table): MdfStore => {
  const getFund = async (fundId: string) => {
    const item = await table.get(fundKey(fundId));
    return item ? fundSchema.parse(item) : undefined;
  };
  return {
    async createFund(fund) {
      try {
        await table.transact([
          { put: fundItem(fund), ifAbsent: true },
          {
            put: {
              ...fundSlotKey(fund.partnerId, fund.period, fund.currency),
              type: 'mdf-fund-slot',
              version: 1,
              fundId: fund.id,
            },
            ifAbsent: true,
          },
        ]);
      } catch (error) {
        if (error instanceof ConflictError) {
          throw new ConflictError(`${fund.partnerId} already has a ${fund.period} fund in ${fund.currency}`);
        }
        throw error;
      }
    },
    getFund,
    async listFunds(filter, limit, cursor) {
      const where = filter.partnerId
        ? fundsOfPartner(filter.partnerId, filter.period)
        : allFunds(filter.period);
      const page = await table.query({ ...where, limit, cursor });
      return { items: page.items.map((item) => fundSchema.parse(item)), nextCursor: page.nextCursor };
    },
    async changeAllocation(fund, expectedVersion, deltaMinor, changes) {
      try {
        await contended(() =>
          table.transact([
            {
              update: fundKey(fund.id),
              set: changes,
              add: { allocatedMinor: deltaMinor, remainingMinor: deltaMinor },
              ifVersion: expectedVersion,
              when: deltaMinor < 0 ? [{ attribute: 'remainingMinor', op: '>=', value: -deltaMinor }] : [],
            },
          ]),
        );
        return 'done';
      } catch (error) {
        if (!(error instanceof TransactionConflictError)) throw error;
        // One action: re-read to tell a moved version from a balance that no longer allows it.
        const now = await getFund(fund.id);
        return now && now.version === expectedVersion ? 'insufficient' : 'stale';
      }
    },
    createRequest: (request) => table.create(requestItem(request)),
    async getRequest(requestId) {
      const item = await table.get(requestKey(requestId));
      return item ? mdfRequestSchema.parse(item) : undefined;
    },
    async listRequests(filter, limit, cursor) {
      const where = filter.partnerId
        ? requestsOfPartner(filter.partnerId, filter.status)
        : requestQueue(filter.status);
      const page = await table.query({ ...where, limit, cursor });
      return { items: page.items.map((item) => mdfRequestSchema.parse(item)), nextCursor: page.nextCursor };
    },
    async saveRequest(next, expectedVersion) {
      try {
        await table.transact([{ put: requestItem(next), ifVersion: expectedVersion }]);
        return 'done';
      } catch (error) {
        if (error instanceof ConflictError) return 'stale';
        throw error;
      }
    },
    async approve(next, expectedVersion) {
      const commitment = next.committedMinor ?? 0;
      try {
        await contended(() =>
          table.transact([
            {
              update: fundKey(next.fundId),
              set: { updatedAt: next.updatedAt },
              add: { committedMinor: commitment, remainingMinor: -commitment },
              when: [{ attribute: 'remainingMinor', op: '>=', value: commitment }],
            },
            { put: requestItem(next), ifVersion: expectedVersion },
          ]),
        );
        return 'done';
      } catch (error) {
        if (!(error instanceof TransactionConflictError)) throw error;
        // A request that moved on says nothing about the balance: report it as stale first.
        return error.failed.includes(1) ? 'stale' : 'insufficient';
      }
    },
  };
};
