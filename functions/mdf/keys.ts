import type { IndexKeys, ItemKey } from '#platform/table';
import type { Fund, MdfRequest, RequestStatus } from './schema';

/**
 * MDF items on the shared table (pure functions, tested by exact value). Every read is a GetItem
 * or a Query:
 *
 * | access pattern                                  | index | key condition                                                     |
 * | ----------------------------------------------- | ----- | ----------------------------------------------------------------- |
 * | a fund by id (API, approvals' balance update)   | table | pk = MDF_FUND#<fundId>, sk = FUND                                 |
 * | one fund per partner + period + currency        | table | pk = PARTNER#<id>, sk = MDF_FUND_SLOT#<period>#<currency> (ifAbsent) |
 * | a partner's funds (optionally of a period)      | gsi1  | gsi1pk = PARTNER#<id>, gsi1sk begins_with MDF_FUND#[<period>#]    |
 * | every fund (optionally of a period), marketing  | gsi2  | gsi2pk = MDF_FUNDS, gsi2sk begins_with PERIOD#[<period>#]         |
 * | a request by id                                 | table | pk = MDF_REQUEST#<requestId>, sk = REQUEST                        |
 * | a partner's requests (optionally by status)     | gsi1  | gsi1pk = PARTNER#<id>, gsi1sk begins_with MDF_REQUEST#[<rank-status>#] |
 * | the request queue: submitted first, oldest first | gsi2 | gsi2pk = MDF_REQUESTS, gsi2sk begins_with [<rank-status>#]        |
 *
 * Funds and requests are keyed by id alone (ids are in URLs; tenancy is the store comparing the
 * stored partnerId with the caller's). The slot item makes "one fund per partner, period and
 * currency" a conditional create, which an index cannot. The status rank in the index sort keys
 * puts submitted requests first, each group by age (ULIDs and ISO times sort by time).
 */
export const fundKey = (fundId: string): ItemKey => ({ pk: `MDF_FUND#${fundId}`, sk: 'FUND' });

export const fundSlotKey = (partnerId: string, period: string, currency: string): ItemKey => ({
  pk: `PARTNER#${partnerId}`,
  sk: `MDF_FUND_SLOT#${period}#${currency}`,
});

export const fundIndexKeys = (
  fund: Pick<Fund, 'id' | 'partnerId' | 'period' | 'currency'>,
): Required<IndexKeys> => ({
  gsi1pk: `PARTNER#${fund.partnerId}`,
  gsi1sk: `MDF_FUND#${fund.period}#${fund.currency}#${fund.id}`,
  gsi2pk: 'MDF_FUNDS',
  gsi2sk: `PERIOD#${fund.period}#${fund.partnerId}#${fund.currency}#${fund.id}`,
});

export const fundsOfPartner = (partnerId: string, period?: string) =>
  ({
    index: 'gsi1',
    partition: `PARTNER#${partnerId}`,
    prefix: `MDF_FUND#${period ? `${period}#` : ''}`,
  }) as const;

export const allFunds = (period?: string) =>
  ({ index: 'gsi2', partition: 'MDF_FUNDS', prefix: `PERIOD#${period ? `${period}#` : ''}` }) as const;

export const requestKey = (requestId: string): ItemKey => ({ pk: `MDF_REQUEST#${requestId}`, sk: 'REQUEST' });

const rank: Record<RequestStatus, string> = {
  submitted: '0-SUBMITTED',
  approved: '1-APPROVED',
  rejected: '2-REJECTED',
  withdrawn: '3-WITHDRAWN',
};

export const requestIndexKeys = (
  request: Pick<MdfRequest, 'id' | 'partnerId' | 'status' | 'createdAt'>,
): Required<IndexKeys> => {
  const order = `${rank[request.status]}#${request.createdAt}#${request.id}`;
  return {
    gsi1pk: `PARTNER#${request.partnerId}`,
    gsi1sk: `MDF_REQUEST#${order}`,
    gsi2pk: 'MDF_REQUESTS',
    gsi2sk: order,
  };
};

export const requestsOfPartner = (partnerId: string, status?: RequestStatus) =>
  ({
    index: 'gsi1',
    partition: `PARTNER#${partnerId}`,
    prefix: `MDF_REQUEST#${status ? `${rank[status]}#` : ''}`,
  }) as const;

export const requestQueue = (status?: RequestStatus) =>
  status
    ? ({ index: 'gsi2', partition: 'MDF_REQUESTS', prefix: `${rank[status]}#` } as const)
    : ({ index: 'gsi2', partition: 'MDF_REQUESTS' } as const);
