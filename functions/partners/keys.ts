import type { IndexKeys, ItemKey } from '#platform/table';
import type { Partner } from './schema';

/** Keys are pure functions, tested by exact value (see test/unit/partners-keys.test.ts). */
export const partnerKey = (id: string): ItemKey => ({ pk: `PARTNER#${id}`, sk: 'PROFILE' });

/** Marketing's partner list sorted by name (gsi1), and per tier (gsi2). */
export const partnerIndexKeys = (partner: Pick<Partner, 'id' | 'name' | 'tier'>): Required<IndexKeys> => {
  const byName = `NAME#${partner.name.toLowerCase()}#${partner.id}`;
  return { gsi1pk: 'PARTNERS', gsi1sk: byName, gsi2pk: `TIER#${partner.tier}`, gsi2sk: byName };
};

export const PARTNER_LIST = { index: 'gsi1', partition: 'PARTNERS', prefix: 'NAME#' } as const;
