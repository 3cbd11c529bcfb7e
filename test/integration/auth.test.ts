import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '#test/support/test-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** A token with the right shape and kid, signed by a key that is not the issuer's. */
const forge = async (claims: Record<string, unknown>, kid: string) => {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT({ token_use: 'id', email: 'eve@evil.example', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setSubject('eve')
    .setIssuer(api.issuer.issuer)
    .setAudience(api.issuer.audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
};

const kidOf = async (token: string) => {
  const [header = ''] = token.split('.');
  const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString());
  return typeof parsed === 'object' && parsed && 'kid' in parsed ? String(parsed.kid) : '';
};

describe('authentication', () => {
  it('refuses a request with no token with 401 problem+json and a Bearer challenge', async () => {
    const res = await api.request('/api/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ type: '/problems/unauthorized', status: 401 });
  });

  it('refuses a token signed by another key even with the issuer’s kid', async () => {
    const real = await api.token('marketing');
    const forged = await forge({ 'cognito:groups': ['marketing'] }, await kidOf(real));
    const res = await api.request('/api/partners', bearer(forged));
    expect(res.status).toBe(401);
  });

  it('refuses an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ sub: 'eve', token_use: 'id', email: 'e@x.example', 'cognito:groups': ['marketing'] }),
    ).toString('base64url');
    const res = await api.request('/api/partners', bearer(`${header}.${body}.`));
    expect(res.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const { demoUsers } = await import('#functions/local/demo-data');
    const [user] = demoUsers;
    if (!user) throw new Error('no demo user');
    const expired = await api.issuer.sign(user, -60);
    const res = await api.request('/api/me', bearer(expired));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ detail: 'the token has expired' });
  });

  it('refuses a token from the right key for another audience or another issuer', async () => {
    const { createDevIssuer } = await import('#functions/local/dev-issuer');
    const { demoUsers } = await import('#functions/local/demo-data');
    const [user] = demoUsers;
    if (!user) throw new Error('no demo user');
    const sameKey = { users: demoUsers, partnerNames: new Map(), keyFile: api.keyFile };
    const otherAudience = await createDevIssuer({
      ...sameKey,
      baseUrl: api.baseUrl,
      audience: 'another-client',
    });
    const otherIssuer = await createDevIssuer({ ...sameKey, baseUrl: 'http://127.0.0.1:1' });
    expect((await api.request('/api/me', bearer(await otherAudience.sign(user)))).status).toBe(401);
    expect((await api.request('/api/me', bearer(await otherIssuer.sign(user)))).status).toBe(401);
    const sameIssuer = await createDevIssuer({ ...sameKey, baseUrl: api.baseUrl });
    expect((await api.request('/api/me', bearer(await sameIssuer.sign(user)))).status).toBe(200);
  });

  it('accepts the issuer’s token and returns the principal from it', async () => {
    const res = await api.request('/api/me', { as: 'u-globex-1' });
    expect(res.status).toBe(200);
    const me = await res.json();
    expect(me.user).toEqual({
      sub: 'u-globex-1',
      name: 'Gus Globex',
      email: 'gus@globex.example',
      role: 'partner',
      partnerId: 'globex',
    });
    expect(me.partner).toMatchObject({ id: 'globex', name: 'Globex Integrations' });
  });

  it('lists only the operations the caller’s role may use', async () => {
    const partner = await (await api.request('/api/me', { as: 'partner' })).json();
    const marketing = await (await api.request('/api/me', { as: 'marketing' })).json();
    const keys = (caps: { method: string; path: string }[]) => caps.map((c) => `${c.method} ${c.path}`);
    expect(keys(partner.capabilities)).not.toContain('POST /api/partners');
    expect(keys(partner.capabilities)).toContain('GET /api/partners/{partnerId}');
    expect(keys(marketing.capabilities)).toContain('POST /api/partners');
  });
});

describe('authorisation and tenancy', () => {
  it('answers 403 when the role may not use the operation', async () => {
    const res = await api.request('/api/partners', {
      as: 'auditor',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme', tier: 'gold', region: 'NA' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ type: '/problems/forbidden' });
  });

  it('refuses partner A reading partner B with the same 404 as a missing partner', async () => {
    const other = await api.request('/api/partners/globex', { as: 'u-northwind-1' });
    const missing = await api.request('/api/partners/no-such-partner', { as: 'u-northwind-1' });
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    const strip = ({ requestId: _r, instance: _i, ...rest }: Record<string, unknown>) => rest;
    expect(strip(await other.json())).toEqual(strip(await missing.json()));
  });

  it('lets a partner read its own partner', async () => {
    const res = await api.request('/api/partners/northwind', { as: 'u-northwind-1' });
    expect(res.status).toBe(200);
    expect((await res.json()).id).toBe('northwind');
  });

  it('refuses a partner listing all partners', async () => {
    expect((await api.request('/api/partners', { as: 'u-northwind-1' })).status).toBe(403);
  });

  it('refuses a partner changing any partner, its own included', async () => {
    for (const id of ['northwind', 'globex']) {
      const res = await api.request(`/api/partners/${id}`, {
        as: 'u-northwind-1',
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': '"1"' },
        body: JSON.stringify({ tier: 'platinum' }),
      });
      expect(res.status).toBe(403);
    }
    const globex = await (await api.request('/api/partners/globex', { as: 'marketing' })).json();
    expect(globex.tier).toBe('silver');
  });
});
