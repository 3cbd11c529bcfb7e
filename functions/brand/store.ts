import type { ItemKey, Table } from '#platform/table';
import { type Brand, brandSchema } from './schema';

export const brandKey = (partnerId: string): ItemKey => ({ pk: `PARTNER#${partnerId}`, sk: 'BRAND' });

export interface BrandStore {
  get(partnerId: string): Promise<Brand | undefined>;
  put(partnerId: string, brand: Brand): Promise<'created' | 'existed'>;
}

export const brandStore = (table: Table): BrandStore => ({
  async get(partnerId) {
    const item = await table.get(brandKey(partnerId));
    return item ? brandSchema.parse(item) : undefined;
  },
  put: (partnerId, brand) =>
    table.putIfAbsent({ ...brandKey(partnerId), type: 'brand', partnerId, ...brand }),
});
