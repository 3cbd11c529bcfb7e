import type { IndexKeys, ItemKey } from '#platform/table';
import type { AccountHash } from './account-keys';
import type { AccountKind } from './account-lists';

/**
 * Account lists on the shared table: keys as pure functions (exact-value tests in
 * test/unit/leads-account-store.test.ts). Only keyed hashes are stored, never a domain or a
 * company name. Rows for the access-pattern table in functions/platform/table-definition.ts:
 *
 * | access pattern                                  | index | key condition                                                  |
 * | ----------------------------------------------- | ----- | -------------------------------------------------------------- |
 * | an owner's list of a kind: its hashes (diff)    | table | pk = ACCOUNTS#<owner>#<kind>, sk begins_with H#                 |
 * | an owner's list summary (one per kind)          | table | pk = ACCOUNTS#<owner>#<kind>, sk = SUMMARY (BatchGetItem for both) |
 * | which lists hold an account hash (EQL lookup)   | gsi1  | gsi1pk = ACCT#<kid>#<hash> (gsi1sk = <owner>#<kind>)           |
 * | every list summary (overlaps for marketing)     | gsi2  | gsi2pk = ACCOUNT_LISTS, gsi2sk begins_with <owner>#             |
 *
 * `<owner>` is `VENDOR` (marketing's own lists) or `PARTNER#<partnerId>`: partner ids never hold
 * `#`, so the two never collide and a gsi1sk/gsi2sk splits back into owner and kind. A lookup is
 * one Query per active key; the item count under one gsi1pk is at most one per list (owners x 2).
 */
export type AccountListOwner = 'vendor' | { partnerId: string };

export const ownerKey = (owner: AccountListOwner): string =>
  owner === 'vendor' ? 'VENDOR' : `PARTNER#${owner.partnerId}`;

const listPk = (owner: AccountListOwner, kind: AccountKind) => `ACCOUNTS#${ownerKey(owner)}#${kind}`;
const listSk = (owner: AccountListOwner, kind: AccountKind) => `${ownerKey(owner)}#${kind}`;

/** The owner and kind a gsi1sk or gsi2sk names; undefined for anything else. */
export const parseListSk = (value: string): { owner: AccountListOwner; kind: AccountKind } | undefined => {
  const parts = value.split('#');
  const kind = parts.at(-1);
  if (kind !== 'customer' && kind !== 'opportunity') return undefined;
  if (parts.length === 2 && parts[0] === 'VENDOR') return { owner: 'vendor', kind };
  if (parts.length === 3 && parts[0] === 'PARTNER' && parts[1])
    return { owner: { partnerId: parts[1] }, kind };
  return undefined;
};

export const HASH_PREFIX = 'H#';

/** The sort key of one hash in a list: the key id and the hash (AccountHash). */
export const hashSk = ({ kid, hash }: AccountHash): string => `${HASH_PREFIX}${kid}#${hash}`;

export const accountHashItemKeys = (
  owner: AccountListOwner,
  kind: AccountKind,
  account: AccountHash,
): ItemKey & Required<Pick<IndexKeys, 'gsi1pk' | 'gsi1sk'>> => ({
  pk: listPk(owner, kind),
  sk: hashSk(account),
  gsi1pk: accountLookupPartition(account),
  gsi1sk: listSk(owner, kind),
});

/** A list's hashes, a page at a time (the writer diffs against them). */
export const hashesOf = (owner: AccountListOwner, kind: AccountKind) =>
  ({ partition: listPk(owner, kind), prefix: HASH_PREFIX }) as const;

export const accountLookupPartition = ({ kid, hash }: AccountHash): string => `ACCT#${kid}#${hash}`;

/** Every list holding one hash: one Query on gsi1. */
export const listsHolding = (account: AccountHash) =>
  ({ index: 'gsi1', partition: accountLookupPartition(account) }) as const;

export const summaryKey = (owner: AccountListOwner, kind: AccountKind): ItemKey => ({
  pk: listPk(owner, kind),
  sk: 'SUMMARY',
});

export const SUMMARIES_PARTITION = 'ACCOUNT_LISTS';

export const summaryIndexKeys = (
  owner: AccountListOwner,
  kind: AccountKind,
): Required<Pick<IndexKeys, 'gsi2pk' | 'gsi2sk'>> => ({
  gsi2pk: SUMMARIES_PARTITION,
  gsi2sk: listSk(owner, kind),
});

/** Every list summary, vendor's and partners', by owner (marketing's overlap table). */
export const allSummaries = () => ({ index: 'gsi2', partition: SUMMARIES_PARTITION }) as const;

const blobFolder = (owner: AccountListOwner) =>
  owner === 'vendor' ? 'vendor' : `partners/${owner.partnerId}`;

/**
 * The raw upload, kept for its owner only: under `account-lists/`, a prefix only the API may
 * read (no worker is granted it), served only by the owner's download route. One per owner and
 * kind: a new upload replaces it, a delete empties it.
 */
export const rawListBlobKey = (owner: AccountListOwner, kind: AccountKind): string =>
  `account-lists/${blobFolder(owner)}/${kind}.csv`;

/**
 * The hashes of one upload, for the import worker (which may read `imports/` only and never
 * sees the raw file or the hashing key). A contact import's key is `imports/<pid>/<id>.csv`:
 * one level shallower, so the two cannot collide whatever a partner id is.
 */
export const uploadHashesBlobKey = (owner: AccountListOwner, kind: AccountKind, uploadId: string): string =>
  `imports/account-lists/${blobFolder(owner)}/${kind}/${uploadId}.json`;
