import type { ItemKey } from '#platform/table';

/**
 * Audit-log items on the shared table (pure functions, tested by exact value). Every read is a
 * GetItem or a Query:
 *
 * | access pattern                          | index | key condition                                  |
 * | --------------------------------------- | ----- | ---------------------------------------------- |
 * | a chain's head (last seq and hash)      | table | pk = AUDIT#<chain>, sk = HEAD                  |
 * | a chain's entries in order, paged       | table | pk = AUDIT#<chain>, sk begins_with ENTRY# (asc) |
 * | one entry                               | table | pk = AUDIT#<chain>, sk = ENTRY#<seq, 12 digits> |
 * | every chain, by head (`verify --all`)   | gsi1  | gsi1pk = AUDIT_CHAINS, gsi1sk = <chain>        |
 * | every chain, by first entry (same)      | gsi2  | gsi2pk = AUDIT_CHAINS, gsi2sk = <chain>        |
 *
 * `<chain>` is `vendor` or `partner:<partnerId>` (schema.ts). Sequence numbers are zero-padded
 * so the sort key orders entries by seq. Entries are written once (`attribute_not_exists`) and
 * never updated or deleted; IAM denies UpdateItem, DeleteItem and BatchWriteItem on partition keys
 * starting `AUDIT#` to every role that writes the table (infra/constructs/bindings.ts).
 */
export const AUDIT_PARTITION_PREFIX = 'AUDIT#';
const SEQ_DIGITS = 12;

const partition = (chain: string) => `${AUDIT_PARTITION_PREFIX}${chain}`;

export const auditHeadKey = (chain: string): ItemKey => ({ pk: partition(chain), sk: 'HEAD' });

/**
 * Every chain can be listed without a Scan: the head carries it into gsi1 and the first entry into
 * gsi2, so a chain stays listed (and is then reported broken) even if one of the two went missing.
 */
export const auditHeadIndexKeys = (chain: string) => ({ gsi1pk: 'AUDIT_CHAINS', gsi1sk: chain }) as const;
export const auditFirstEntryIndexKeys = (chain: string) =>
  ({ gsi2pk: 'AUDIT_CHAINS', gsi2sk: chain }) as const;
export const CHAINS_BY_HEAD = { index: 'gsi1', partition: 'AUDIT_CHAINS' } as const;
export const CHAINS_BY_FIRST_ENTRY = { index: 'gsi2', partition: 'AUDIT_CHAINS' } as const;

export const auditEntryKey = (chain: string, seq: number): ItemKey => ({
  pk: partition(chain),
  sk: `ENTRY#${String(seq).padStart(SEQ_DIGITS, '0')}`,
});

export const auditEntriesOf = (chain: string) => ({ partition: partition(chain), prefix: 'ENTRY#' }) as const;

/** The seq an entry's sort key names, or null if the key is not an entry key. */
export const seqOfSortKey = (sk: string): number | null => {
  const match = /^ENTRY#(\d{12})$/.exec(sk);
  return match?.[1] ? Number(match[1]) : null;
};
