import { NotFoundError } from '#platform/errors';
import type { Principal } from './principal';

/**
 * Tenancy, enforced in one place. A partner user can only ever reach its own partner's
 * data: any other id answers 404 exactly as a missing one does, so existence never leaks
 * across tenants. Marketing and auditors (read-only, enforced by route roles) see all.
 */
export const partnerIdInScope = (principal: Principal, requested: string): string => {
  if (principal.role === 'partner' && principal.partnerId !== requested) throw new NotFoundError('not found');
  return requested;
};

/** The partner whose collections a partner user works in: from the verified token, never the request. */
export const callerPartnerId = (principal: Principal): string | null =>
  principal.role === 'partner' ? principal.partnerId : null;
