import { ConflictError } from '#platform/errors';
import { type Table, type TransactAction, TransactionConflictError } from '#platform/table';
import {
  claimIndexKeys,
  claimKey,
  claimQueue,
  claimSlotKey,
  claimsOfPartner,
  invoiceKey,
} from './claim-keys';
import {
  type Claim,
  type ClaimStatus,
  claimSchema,
  type InvoiceUpload,
  invoiceUploadSchema,
} from './claim-schema';
import { fundKey, requestKey } from './keys';
import { contended, type GuardedWrite, type Paged } from './store';

export interface ClaimStore {
  /** Records an upload once (the same bytes again keep the first record). */
  recordInvoice(partnerId: string, upload: InvoiceUpload): Promise<InvoiceUpload>;
  getInvoice(partnerId: string, sha256: string): Promise<InvoiceUpload | undefined>;
  /**
   * Files the claim in one transaction: the claim, the request's one-claim slot (a second claim
   * for the request is 'duplicate'), the request still approved, and the fund's claimed balance.
   */
  file(claim: Claim): Promise<'done' | 'duplicate' | 'request-moved'>;
  get(claimId: string): Promise<Claim | undefined>;
  list(
    filter: { partnerId?: string; status?: ClaimStatus },
    limit: number,
    cursor?: string,
  ): Promise<Paged<Claim>>;
  /**
   * Replaces a claim still at `expectedVersion`, moving the fund's balances by `fundDeltas`
   * (approved, paid) and running `extra` actions (report aggregates) in the same transaction.
   */
  save(
    next: Claim,
    expectedVersion: number,
    fundDeltas?: { approvedMinor?: number; paidMinor?: number },
    extra?: readonly TransactAction[],
  ): Promise<GuardedWrite>;
}

const claimItem = (claim: Claim) => ({
  ...claimKey(claim.id),
  ...claimIndexKeys(claim),
  type: 'mdf-claim',
  ...claim,
});

const nonZero = (deltas: Record<string, number | undefined>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(deltas).filter(
      (entry): entry is [string, number] => entry[1] !== undefined && entry[1] !== 0,
    ),
  );

/** Which guard refused a filing: the claim or slot exists (duplicate) or the request moved on. */
const filingRefusal = (error: unknown): 'duplicate' | 'request-moved' => {
  if (error instanceof TransactionConflictError && error.failed.includes(2) && !error.failed.includes(1)) {
    return 'request-moved';
  }
  if (error instanceof ConflictError) return 'duplicate';
  throw error;
};

export const claimStore = (table: Table): ClaimStore => ({
  async recordInvoice(partnerId, upload) {
    const item = { ...invoiceKey(partnerId, upload.sha256), type: 'mdf-invoice', version: 1, ...upload };
    if ((await table.putIfAbsent(item)) === 'created') return upload;
    const first = await table.get(invoiceKey(partnerId, upload.sha256));
    return first ? invoiceUploadSchema.parse(first) : upload;
  },
  async getInvoice(partnerId: string, sha256: string) {
    const item = await table.get(invoiceKey(partnerId, sha256));
    return item ? invoiceUploadSchema.parse(item) : undefined;
  },
  async file(claim) {
    try {
      await contended(() =>
        table.transact([
          { put: claimItem(claim), ifAbsent: true },
          {
            put: { ...claimSlotKey(claim.requestId), type: 'mdf-claim-slot', version: 1, claimId: claim.id },
            ifAbsent: true,
          },
          { check: requestKey(claim.requestId), equals: { status: 'approved' } },
          {
            update: fundKey(claim.fundId),
            set: { updatedAt: claim.filedAt },
            add: { claimedMinor: claim.amountMinor },
          },
        ]),
      );
      return 'done';
    } catch (error) {
      return filingRefusal(error);
    }
  },
  async get(claimId) {
    const item = await table.get(claimKey(claimId));
    return item ? claimSchema.parse(item) : undefined;
  },
  async list(filter, limit, cursor) {
    const where = filter.partnerId
      ? claimsOfPartner(filter.partnerId, filter.status)
      : claimQueue(filter.status);
    const page = await table.query({ ...where, limit, cursor });
    return { items: page.items.map((item) => claimSchema.parse(item)), nextCursor: page.nextCursor };
  },
  async save(next, expectedVersion, fundDeltas = {}, extra = []) {
    const add = nonZero(fundDeltas);
    const actions: TransactAction[] = [
      { put: claimItem(next), ifVersion: expectedVersion },
      ...(Object.keys(add).length > 0
        ? [{ update: fundKey(next.fundId), set: { updatedAt: next.updatedAt }, add }]
        : []),
      ...extra,
    ];
    try {
      await contended(() => table.transact(actions));
      return 'done';
    } catch (error) {
      if (error instanceof TransactionConflictError && error.failed.includes(0)) return 'stale';
      if (error instanceof ConflictError) return 'stale';
      throw error;
    }
  },
});
