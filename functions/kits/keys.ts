import type { IndexKeys, ItemKey } from '#platform/table';

/** Sorts semantic versions as strings: numbers zero-padded, a release after its pre-releases. */
export const sortableVersion = (version: string): string => {
  const [core = '', pre] = version.split(/-(.*)/s);
  const padded = core
    .split('.')
    .map((n) => n.padStart(6, '0'))
    .join('.');
  return pre ? `${padded}-${pre}` : `${padded}~`;
};

export const kitHeadKey = (kitId: string): ItemKey => ({ pk: `KIT#${kitId}`, sk: 'HEAD' });
export const kitVersionKey = (kitId: string, version: string): ItemKey => ({
  pk: `KIT#${kitId}`,
  sk: `VERSION#${sortableVersion(version)}`,
});
export const kitLibraryKey = (kitId: string, tier: string): ItemKey => ({
  pk: `KIT#${kitId}`,
  sk: `LIBRARY#${tier}`,
});

/** Marketing's kit list (gsi1, by id). */
export const kitHeadIndexKeys = (kitId: string): IndexKeys => ({ gsi1pk: 'KITS', gsi1sk: `KIT#${kitId}` });
/** A partner's library: one entry per eligible tier (gsi1, by name). */
export const kitLibraryIndexKeys = (kitId: string, tier: string, name: string): IndexKeys => ({
  gsi1pk: `LIBRARY#${tier}`,
  gsi1sk: `NAME#${name.toLowerCase()}#${kitId}`,
});

export const KIT_LIST = { index: 'gsi1', partition: 'KITS', prefix: 'KIT#' } as const;
export const libraryPartition = (tier: string) =>
  ({ index: 'gsi1', partition: `LIBRARY#${tier}`, prefix: 'NAME#' }) as const;
export const versionsOf = (kitId: string) => ({ partition: `KIT#${kitId}`, prefix: 'VERSION#' }) as const;
