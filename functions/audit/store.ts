import type { Table } from '#platform/table';
import {
  auditEntriesOf,
  auditEntryKey,
  auditFirstEntryIndexKeys,
  auditHeadIndexKeys,
  auditHeadKey,
  CHAINS_BY_FIRST_ENTRY,
  CHAINS_BY_HEAD,
} from './keys';
import type { StoredEntry, StoredHead } from './schema';

const ENTRY = 'AuditEntry';
const HEAD = 'AuditHead';

/** A page of raw entry items: verification parses each itself, so a damaged item is reported, not thrown. */
export interface RawPage {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

export interface AuditStore {
  /** The chain's head as stored (strongly consistent), or undefined for a chain with no entries. */
  head(chain: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Writes the entry (only if its seq is free) and moves the head to it (only if the head is still
   * the one read, or absent for seq 1), all or nothing. Either condition failing is a ConflictError.
   */
  append(entry: StoredEntry, previousHead: StoredHead | undefined): Promise<void>;
  /** Entries in seq order, a page at a time. */
  entries(chain: string, limit: number, cursor?: string): Promise<RawPage>;
  /** Every chain with a head or a first entry, by name. */
  chains(): Promise<string[]>;
}

export const auditStore = (table: Table): AuditStore => ({
  head: (chain) => table.get(auditHeadKey(chain)),
  async append(entry, previousHead) {
    const version = (previousHead?.version ?? 0) + 1;
    const head = {
      ...auditHeadKey(entry.chain),
      ...auditHeadIndexKeys(entry.chain),
      type: HEAD,
      version,
      chain: entry.chain,
      seq: entry.seq,
      entryHash: entry.entryHash,
      updatedAt: entry.recordedAt,
    };
    await table.transact([
      {
        put: {
          ...auditEntryKey(entry.chain, entry.seq),
          ...(entry.seq === 1 ? auditFirstEntryIndexKeys(entry.chain) : {}),
          type: ENTRY,
          version: 1,
          ...entry,
        },
        ifAbsent: true,
      },
      previousHead ? { put: head, ifVersion: previousHead.version } : { put: head, ifAbsent: true },
    ]);
  },
  async entries(chain, limit, cursor) {
    const page = await table.query({ ...auditEntriesOf(chain), limit, cursor });
    return { items: page.items, nextCursor: page.nextCursor };
  },
  async chains() {
    const names = new Set<string>();
    for (const source of [CHAINS_BY_HEAD, CHAINS_BY_FIRST_ENTRY]) {
      let cursor: string | undefined;
      do {
        const page = await table.query({ ...source, limit: 100, cursor });
        for (const item of page.items) if (typeof item.chain === 'string') names.add(item.chain);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return [...names].sort();
  },
});
