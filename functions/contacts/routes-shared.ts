import * as z from 'zod';
import type { Principal } from '#functions/auth/principal';
import { callerPartnerId } from '#functions/auth/tenancy';
import { ForbiddenError } from '#platform/errors';
import { normaliseEmail } from './email';
import { ulidSchema } from './schema';

/** Contacts, lists and suppressions belong to the caller's partner, named by the token only. */
export const ownPartner = (principal: Principal): string => {
  const partnerId = callerPartnerId(principal);
  if (!partnerId) throw new ForbiddenError('only partner users have contacts');
  return partnerId;
};

export const listParams = z.strictObject({ listId: ulidSchema });

export const emailSchema = z
  .string()
  .max(254)
  .refine((value) => normaliseEmail(value) !== undefined, 'an email address');
