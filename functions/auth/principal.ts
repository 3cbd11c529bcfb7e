import * as z from 'zod';
import { ForbiddenError, UnauthorizedError } from '#platform/errors';

export const roles = ['marketing', 'partner', 'auditor'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Who is calling, as proven by a verified token. Route handlers read the partner id from here only. */
export type Principal =
  | { role: 'marketing' | 'auditor'; sub: string; email: string; name: string; partnerId: null }
  | { role: 'partner'; sub: string; email: string; name: string; partnerId: string };

/**
 * The claims we rely on, in the shape of a Cognito ID token (the dev issuer mints the same
 * shape): groups carry the role, `custom:partner_id` binds a partner user to one partner.
 */
const claimsSchema = z.object({
  sub: z.string().min(1),
  token_use: z.literal('id'),
  email: z.string().min(3),
  name: z.string().min(1).optional(),
  'cognito:groups': z.array(z.string()).default([]),
  'custom:partner_id': z.string().min(1).optional(),
});

export const principalFromClaims = (payload: unknown): Principal => {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) throw new UnauthorizedError('the token lacks the claims this API needs');
  const claims = parsed.data;
  const granted = roles.filter((role) => claims['cognito:groups'].includes(role));
  if (granted.length !== 1) {
    throw new ForbiddenError(
      granted.length === 0 ? 'the user has no ChannelKit role' : 'the user has more than one role',
    );
  }
  const name = claims.name ?? claims.email;
  const [role] = granted;
  if (role === 'partner') {
    const partnerId = claims['custom:partner_id'];
    if (!partnerId) throw new ForbiddenError('the partner user is not bound to a partner');
    return { role, sub: claims.sub, email: claims.email, name, partnerId };
  }
  if (role === 'marketing' || role === 'auditor') {
    return { role, sub: claims.sub, email: claims.email, name, partnerId: null };
  }
  throw new ForbiddenError('the user has no ChannelKit role');
};
