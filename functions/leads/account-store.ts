import type { Table } from '#platform/table';
import type { AccountHash } from './account-keys';
import {
  type AccountListOwner,
  accountHashItemKeys,
  allSummaries,
  hashesOf,
  listsHolding,
  parseListSk,
  summaryIndexKeys,
  summaryKey,
} from './account-list-keys';
import { type StoredSummary, storedSummarySchema } from './account-list-schema';
import { type AccountKind, accountKinds } from './account-lists';
import type { AccountMatches, FindAccountMatches, PartnerOverlap } from './eql';

/**
 * Account lists on the shared table (keys and access patterns in account-list-keys.ts): one
 * item per keyed hash, one summary per owner and kind. Domain code takes this as a port.
 */
export interface AccountListStore {
  summary(owner: AccountListOwner, kind: AccountKind): Promise<StoredSummary | undefined>;
  /** Both of an owner's summaries that exist, customer first. */
  summariesOf(owner: AccountListOwner): Promise<StoredSummary[]>;
  /** Every summary (vendor's and partners'), by owner. */
  allSummaries(): Promise<StoredSummary[]>;
  /** Writes a new upload's summary: created, or replacing the one read at `replacing`'s version. */
  putSummary(summary: StoredSummary, replacing: number | null): Promise<void>;
  /** Changes a summary at the version read (PreconditionFailedError if it moved, NotFoundError if gone). */
  updateSummary(
    summary: StoredSummary,
    changes: Partial<Omit<StoredSummary, 'partnerId' | 'kind' | 'version'>>,
  ): Promise<StoredSummary>;
  /** Removes a summary still at the version read (ConflictError if it moved). */
  deleteSummary(summary: StoredSummary): Promise<void>;
  /** The sort keys (`H#<kid>#<hash>`) of every hash a list holds. */
  hashKeys(owner: AccountListOwner, kind: AccountKind): Promise<Set<string>>;
  /** Adds and removes hashes (bulk, unconditional: the writer re-reads until nothing differs). */
  writeHashes(
    owner: AccountListOwner,
    kind: AccountKind,
    add: readonly AccountHash[],
    remove: readonly string[],
  ): Promise<void>;
}

export const ownerOf = (partnerId: string | null): AccountListOwner =>
  partnerId === null ? 'vendor' : { partnerId };

const ownerOfSummary = (summary: StoredSummary) => ownerOf(summary.partnerId);

const parse = (item: Record<string, unknown>): StoredSummary => storedSummarySchema.parse(item);

/** Reads every page of one partition. */
const everyItem = async (
  table: Table,
  query: { index?: 'gsi1' | 'gsi2'; partition: string; prefix?: string },
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await table.query({ ...query, limit: 1000, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
};

/** Bulk writes in flight at once: parallel BatchWriteItem calls (DynamoDB scales by partition). */
const WRITE_CONCURRENCY = 8;

export const accountListStore = (table: Table): AccountListStore => ({
  async summary(owner, kind) {
    const item = await table.get(summaryKey(owner, kind));
    return item ? parse(item) : undefined;
  },
  async summariesOf(owner) {
    const items = await table.getMany(accountKinds.map((kind) => summaryKey(owner, kind)));
    return items.flatMap((item) => (item ? [parse(item)] : []));
  },
  async allSummaries() {
    return (await everyItem(table, allSummaries())).map(parse);
  },
  async putSummary(summary, replacing) {
    const owner = ownerOfSummary(summary);
    const put = {
      ...summaryKey(owner, summary.kind),
      ...summaryIndexKeys(owner, summary.kind),
      type: 'account-list',
      ...summary,
    };
    await table.transact([replacing === null ? { put, ifAbsent: true } : { put, ifVersion: replacing }]);
  },
  async updateSummary(summary, changes) {
    const key = summaryKey(ownerOfSummary(summary), summary.kind);
    return parse(await table.update(key, summary.version, changes));
  },
  async deleteSummary(summary) {
    await table.transact([
      { delete: summaryKey(ownerOfSummary(summary), summary.kind), ifVersion: summary.version },
    ]);
  },
  async hashKeys(owner, kind) {
    const items = await everyItem(table, hashesOf(owner, kind));
    return new Set(items.flatMap((item) => (typeof item.sk === 'string' ? [item.sk] : [])));
  },
  async writeHashes(owner, kind, add, remove) {
    const { pk } = summaryKey(owner, kind);
    await table.batchWrite(
      [
        ...add.map((account) => ({
          put: { ...accountHashItemKeys(owner, kind, account), type: 'account-hash', version: 1 },
        })),
        ...remove.map((sk) => ({ delete: { pk, sk } })),
      ],
      { concurrency: WRITE_CONCURRENCY },
    );
  },
});

/** Folds the lists found for an account into the vendor flags and the partner overlaps. */
export const matchesFrom = (lists: readonly { owner: AccountListOwner; kind: AccountKind }[]) => {
  const vendor = { isCustomer: false, isOpportunity: false };
  const partners = new Map<string, Set<AccountKind>>();
  for (const { owner, kind } of lists) {
    if (owner === 'vendor') {
      if (kind === 'customer') vendor.isCustomer = true;
      else vendor.isOpportunity = true;
      continue;
    }
    const kinds = partners.get(owner.partnerId) ?? new Set<AccountKind>();
    kinds.add(kind);
    partners.set(owner.partnerId, kinds);
  }
  const partnerOverlaps: PartnerOverlap[] = [...partners].map(([partnerId, kinds]) => ({
    partnerId,
    kinds: accountKinds.filter((kind) => kinds.has(kind)),
  }));
  return { vendor, partnerOverlaps } satisfies AccountMatches;
};

/**
 * The EQL lookup (eql.ts's FindAccountMatches port): one Query on gsi1 per hash (a lead's
 * domain under every active key), each answering the lists that hold it. Hashes of lists still
 * being replaced or deleted are seen until the worker removes them (seconds to minutes).
 */
export const accountMatches =
  (table: Table): FindAccountMatches =>
  async (hashes) => {
    const found = await Promise.all(hashes.map((hash) => everyItem(table, listsHolding(hash))));
    const lists = found.flat().flatMap((item) => {
      const parsed = typeof item.gsi1sk === 'string' ? parseListSk(item.gsi1sk) : undefined;
      return parsed ? [parsed] : [];
    });
    return matchesFrom(lists);
  };
