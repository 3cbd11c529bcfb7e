import type { ItemKey, Table } from '#platform/table';
import { type Brand, brandSchema } from './schema';

export const brandKey = (partnerId: string): ItemKey => ({ pk: `PARTNER#${partnerId}`, sk: 'BRAND' });

export interface BrandStore {
  get(partnerId: string): Promise<Brand | undefined>;
  /** Idempotent seed write: leaves an existing profile alone. */
  put(partnerId: string, brand: Brand): Promise<'created' | 'existed'>;
  create(partnerId: string, brand: Brand): Promise<void>;
  replace(partnerId: string, expectedVersion: number, brand: Omit<Brand, 'version'>): Promise<Brand>;
  /** Sets only the logo (and updatedAt) of the profile at `expectedVersion`, bumping the version. */
  setLogo(
    partnerId: string,
    expectedVersion: number,
    logoUrl: string | null,
    updatedAt: string,
  ): Promise<Brand>;
}

const item = (partnerId: string, brand: Brand) => ({
  ...brandKey(partnerId),
  type: 'brand',
  partnerId,
  ...brand,
});

export const brandStore = (table: Table): BrandStore => ({
  async get(partnerId) {
    const found = await table.get(brandKey(partnerId));
    return found ? brandSchema.parse(found) : undefined;
  },
  put: (partnerId, brand) => table.putIfAbsent(item(partnerId, brand)),
  create: (partnerId, brand) => table.create(item(partnerId, brand)),
  async replace(partnerId, expectedVersion, brand) {
    return brandSchema.parse(await table.update(brandKey(partnerId), expectedVersion, brand));
  },
  async setLogo(partnerId, expectedVersion, logoUrl, updatedAt) {
    return brandSchema.parse(
      await table.update(brandKey(partnerId), expectedVersion, { logoUrl, updatedAt }),
    );
  },
});
