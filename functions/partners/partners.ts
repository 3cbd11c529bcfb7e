import type { Principal } from '#functions/auth/principal';
import { partnerIdInScope } from '#functions/auth/tenancy';
import { NotFoundError } from '#platform/errors';
import type { CreatePartner, Partner, UpdatePartner } from './schema';
import type { PartnerStore } from './store';

export interface PartnerDeps {
  partners: PartnerStore;
  clock: () => Date;
  newId: () => string;
}

export const createPartner = async (
  { partners, clock, newId }: PartnerDeps,
  input: CreatePartner,
): Promise<Partner> => {
  const now = clock().toISOString();
  const partner: Partner = { id: newId(), ...input, createdAt: now, updatedAt: now, version: 1 };
  await partners.create(partner);
  return partner;
};

/** A partner as the caller may see it: partner users only their own (else 404, as if absent). */
export const getPartner = async (
  { partners }: PartnerDeps,
  principal: Principal,
  id: string,
): Promise<Partner> => {
  const partner = await partners.get(partnerIdInScope(principal, id));
  if (!partner) throw new NotFoundError('not found');
  return partner;
};

export const updatePartner = async (
  deps: PartnerDeps,
  principal: Principal,
  id: string,
  expectedVersion: number,
  changes: UpdatePartner,
): Promise<Partner> => {
  const current = await getPartner(deps, principal, id);
  return deps.partners.update(current, expectedVersion, {
    ...changes,
    updatedAt: deps.clock().toISOString(),
  });
};
