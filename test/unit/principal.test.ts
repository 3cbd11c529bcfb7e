import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '#functions/auth/principal';
import { callerPartnerId, partnerIdInScope } from '#functions/auth/tenancy';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '#platform/errors';

const idToken = (claims: Record<string, unknown>) => ({
  sub: 'u1',
  token_use: 'id',
  email: 'a@b.example',
  ...claims,
});

describe('principalFromClaims (Cognito ID-token shape)', () => {
  it('makes a marketing principal from its group', () => {
    expect(principalFromClaims(idToken({ name: 'Maya', 'cognito:groups': ['marketing'] }))).toEqual({
      role: 'marketing',
      sub: 'u1',
      email: 'a@b.example',
      name: 'Maya',
      partnerId: null,
    });
  });

  it('binds a partner principal to the partner id claim', () => {
    const principal = principalFromClaims(
      idToken({ 'cognito:groups': ['partner'], 'custom:partner_id': 'globex' }),
    );
    expect(principal).toMatchObject({ role: 'partner', partnerId: 'globex', name: 'a@b.example' });
  });

  it('ignores a partner id claim on a non-partner role', () => {
    expect(
      principalFromClaims(idToken({ 'cognito:groups': ['auditor'], 'custom:partner_id': 'x' })).partnerId,
    ).toBeNull();
  });

  it('refuses a partner user bound to no partner', () => {
    expect(() => principalFromClaims(idToken({ 'cognito:groups': ['partner'] }))).toThrow(ForbiddenError);
  });

  it('refuses no role and two roles', () => {
    expect(() => principalFromClaims(idToken({ 'cognito:groups': ['admins'] }))).toThrow(ForbiddenError);
    expect(() => principalFromClaims(idToken({ 'cognito:groups': ['marketing', 'auditor'] }))).toThrow(
      ForbiddenError,
    );
  });

  it('refuses an access token and a token without subject', () => {
    expect(() =>
      principalFromClaims(idToken({ token_use: 'access', 'cognito:groups': ['marketing'] })),
    ).toThrow(UnauthorizedError);
    expect(() => principalFromClaims({ token_use: 'id', email: 'a@b.example' })).toThrow(UnauthorizedError);
  });
});

describe('tenancy', () => {
  const partner = { role: 'partner', sub: 's', email: 'e', name: 'n', partnerId: 'northwind' } as const;
  const marketing = { role: 'marketing', sub: 's', email: 'e', name: 'n', partnerId: null } as const;

  it('lets a partner reach only its own partner id, as a 404 otherwise', () => {
    expect(partnerIdInScope(partner, 'northwind')).toBe('northwind');
    expect(() => partnerIdInScope(partner, 'globex')).toThrow(NotFoundError);
  });

  it('lets marketing reach any partner', () => {
    expect(partnerIdInScope(marketing, 'globex')).toBe('globex');
  });

  it('scopes partner collections by the token only', () => {
    expect(callerPartnerId(partner)).toBe('northwind');
    expect(callerPartnerId(marketing)).toBeNull();
  });
});
