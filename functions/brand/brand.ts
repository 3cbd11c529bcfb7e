import type { Principal } from '#functions/auth/principal';
import { partnerIdInScope } from '#functions/auth/tenancy';
import { NotFoundError, PreconditionRequiredError } from '#platform/errors';
import { contrastWarnings } from './contrast';
import type { Brand, BrandInput } from './schema';
import type { BrandStore } from './store';

export interface BrandDeps {
  brands: BrandStore;
  clock: () => Date;
}

/** A partner's brand profile as the caller may see it (partner users: only their own). */
export const getBrand = async (
  { brands }: BrandDeps,
  principal: Principal,
  partnerId: string,
): Promise<Brand> => {
  const brand = await brands.get(partnerIdInScope(principal, partnerId));
  if (!brand) throw new NotFoundError('no brand profile yet');
  return brand;
};

/**
 * Creates or replaces the caller's brand profile. Replacing needs the version read before
 * (If-Match), so two editors cannot silently overwrite each other.
 */
export const saveBrand = async (
  { brands, clock }: BrandDeps,
  partnerId: string,
  input: BrandInput,
  expectedVersion: number | undefined,
) => {
  const current = await brands.get(partnerId);
  const updatedAt = clock().toISOString();
  let brand: Brand;
  if (!current) {
    brand = { ...input, updatedAt, version: 1 };
    await brands.create(partnerId, brand);
  } else {
    if (expectedVersion === undefined)
      throw new PreconditionRequiredError('send If-Match with the ETag you read');
    brand = await brands.replace(partnerId, expectedVersion, { ...input, updatedAt });
  }
  return { brand, warnings: contrastWarnings(brand) };
};
