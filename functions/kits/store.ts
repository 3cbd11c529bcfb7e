import type { Table, TransactAction } from '#platform/table';
import {
  KIT_LIST,
  kitHeadIndexKeys,
  kitHeadKey,
  kitLibraryIndexKeys,
  kitLibraryKey,
  kitVersionKey,
  libraryPartition,
  versionsOf,
} from './keys';
import {
  type KitHead,
  type KitVersion,
  kitHeadSchema,
  kitVersionSchema,
  type LibrarySummary,
  librarySummarySchema,
} from './schema';

/** Reads all pages of a partition, up to a bound (the library and a kit's versions are small). */
const MAX_ITEMS = 2000;

export interface KitStore {
  getVersion(kitId: string, version: string): Promise<KitVersion | undefined>;
  /** Stores a draft; replaces an earlier draft of the same version, never a published one. */
  putDraft(kit: KitVersion, replacing: KitVersion | undefined): Promise<void>;
  setStatus(
    current: KitVersion,
    changes: Pick<KitVersion, 'status'> & Partial<KitVersion>,
  ): Promise<KitVersion>;
  versions(kitId: string): Promise<KitVersion[]>;
  heads(): Promise<KitHead[]>;
  getHead(kitId: string): Promise<KitHead | undefined>;
  /** Rewrites the kit's head and library entries, all or nothing. */
  writeHeadAndLibrary(
    head: KitHead,
    library: LibrarySummary | undefined,
    staleTiers: readonly string[],
  ): Promise<void>;
  library(tier: string): Promise<LibrarySummary[]>;
  libraryEntry(kitId: string, tier: string): Promise<LibrarySummary | undefined>;
}

const collect = async (table: Table, query: Parameters<Table['query']>[0]) => {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await table.query({ ...query, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < MAX_ITEMS);
  return items;
};

export const kitStore = (table: Table): KitStore => ({
  async getVersion(kitId, version) {
    const item = await table.get(kitVersionKey(kitId, version));
    return item ? kitVersionSchema.parse(item) : undefined;
  },
  async putDraft(kit, replacing) {
    const item = { ...kitVersionKey(kit.kitId, kit.semver), type: 'kit-version', ...kit };
    if (replacing) await table.transact([{ put: item, ifVersion: replacing.version }]);
    else await table.create(item);
  },
  async setStatus(current, changes) {
    const item = await table.update(kitVersionKey(current.kitId, current.semver), current.version, changes);
    return kitVersionSchema.parse(item);
  },
  async versions(kitId) {
    return (await collect(table, { ...versionsOf(kitId), limit: 100, newestFirst: true })).map((i) =>
      kitVersionSchema.parse(i),
    );
  },
  async heads() {
    return (await collect(table, { ...KIT_LIST, limit: 200 })).map((i) => kitHeadSchema.parse(i));
  },
  async getHead(kitId) {
    const item = await table.get(kitHeadKey(kitId));
    return item ? kitHeadSchema.parse(item) : undefined;
  },
  async writeHeadAndLibrary(head, library, staleTiers) {
    const actions: TransactAction[] = [
      {
        put: { ...kitHeadKey(head.id), ...kitHeadIndexKeys(head.id), type: 'kit-head', version: 1, ...head },
      },
    ];
    for (const tier of library?.tiers ?? []) {
      actions.push({
        put: {
          ...kitLibraryKey(head.id, tier),
          ...kitLibraryIndexKeys(head.id, tier, library?.name ?? head.name),
          type: 'kit-library',
          version: 1,
          // Nested: the summary's own `version` is the kit's semver, not the item's revision.
          summary: library,
        },
      });
    }
    for (const tier of staleTiers) actions.push({ delete: kitLibraryKey(head.id, tier) });
    await table.transact(actions);
  },
  async library(tier) {
    return (await collect(table, { ...libraryPartition(tier), limit: 200 })).map((i) =>
      librarySummarySchema.parse(i.summary),
    );
  },
  async libraryEntry(kitId, tier) {
    const item = await table.get(kitLibraryKey(kitId, tier));
    return item ? librarySummarySchema.parse(item.summary) : undefined;
  },
});
