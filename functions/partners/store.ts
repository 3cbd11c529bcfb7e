import type { Page, Table } from '#platform/table';
import { PARTNER_LIST, partnerIndexKeys, partnerKey } from './keys';
import { type Partner, partnerSchema } from './schema';

const ENTITY = 'partner';

const toPartner = (item: Record<string, unknown>): Partner => partnerSchema.parse(item);

export interface PartnerStore {
  get(id: string): Promise<Partner | undefined>;
  create(partner: Partner): Promise<void>;
  putIfAbsent(partner: Partner): Promise<'created' | 'existed'>;
  /** Applies changes to a partner read earlier, if it is still at `expectedVersion`. */
  update(
    current: Partner,
    expectedVersion: number,
    changes: Pick<Partial<Partner>, 'name' | 'tier' | 'region' | 'updatedAt'>,
  ): Promise<Partner>;
  list(limit: number, cursor?: string): Promise<{ items: Partner[]; nextCursor: string | null }>;
}

const stored = (partner: Partner) => ({
  ...partnerKey(partner.id),
  ...partnerIndexKeys(partner),
  type: ENTITY,
  ...partner,
});

export const partnerStore = (table: Table): PartnerStore => ({
  async get(id) {
    const item = await table.get(partnerKey(id));
    return item ? toPartner(item) : undefined;
  },
  create: (partner) => table.create(stored(partner)),
  putIfAbsent: (partner) => table.putIfAbsent(stored(partner)),
  async update(current, expectedVersion, changes) {
    const merged = { ...current, ...changes };
    const item = await table.update(partnerKey(current.id), expectedVersion, {
      ...changes,
      ...partnerIndexKeys(merged),
    });
    return toPartner(item);
  },
  async list(limit, cursor) {
    const page: Page = await table.query({ ...PARTNER_LIST, limit, cursor });
    return { items: page.items.map(toPartner), nextCursor: page.nextCursor };
  },
});
