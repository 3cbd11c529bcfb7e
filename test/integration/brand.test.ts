import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '#test/support/test-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const profile = {
  companyName: 'Globex Integrations',
  logoUrl: null,
  primaryColour: '#116149',
  secondaryColour: '#b23a1c',
  website: 'https://globex.example',
  phone: '+44 20 7946 0321',
  senderName: 'Gus at Globex',
  replyTo: 'gus@globex.example',
  postalAddress: ['Globex Integrations Ltd', '27 Clerkenwell Road', 'London EC1M 5RN'],
};

const put = (body: unknown, headers: Record<string, string> = {}, as = 'u-globex-1') =>
  api.request('/api/brand', {
    as,
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('brand profile', () => {
  it('is created by the partner, read back with an ETag, and replaced only with If-Match', async () => {
    expect((await api.request('/api/brand', { as: 'u-globex-1' })).status).toBe(404);
    const created = await put(profile);
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ brand: { ...profile, version: 1 }, warnings: [] });

    const read = await api.request('/api/brand', { as: 'u-globex-1' });
    expect(read.headers.get('etag')).toBe('"1"');
    expect((await put({ ...profile, senderName: 'Globex team' })).status).toBe(428);
    const replaced = await put({ ...profile, senderName: 'Globex team' }, { 'if-match': '"1"' });
    expect((await replaced.json()).brand).toMatchObject({ senderName: 'Globex team', version: 2 });
    expect((await put({ ...profile, senderName: 'Stale' }, { 'if-match': '"1"' })).status).toBe(412);
  });

  it('warns when white text on a brand colour would be hard to read', async () => {
    const res = await put({ ...profile, primaryColour: '#ffe066' }, { 'if-match': '"2"' });
    const body = await res.json();
    expect(body.warnings).toEqual([
      { path: 'body.primaryColour', message: expect.stringMatching(/contrast of 1\.\d:1/) },
    ]);
  });

  it('names invalid fields: colours, URLs, a missing postal address', async () => {
    const res = await put({
      ...profile,
      primaryColour: 'green',
      website: 'javascript:alert(1)',
      postalAddress: [],
    });
    expect(res.status).toBe(422);
    const paths = (await res.json()).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['body.postalAddress', 'body.primaryColour', 'body.website']);
  });

  it('keeps each partner to its own profile', async () => {
    expect((await api.request('/api/partners/globex/brand', { as: 'u-northwind-1' })).status).toBe(404);
    expect((await api.request('/api/partners/globex/brand', { as: 'marketing' })).status).toBe(200);
    // Northwind's PUT writes Northwind's profile, never Globex's, whatever the body says.
    await put({ ...profile, companyName: 'Northwind Networks' }, {}, 'u-northwind-1');
    const globex = await (await api.request('/api/partners/globex/brand', { as: 'marketing' })).json();
    expect(globex.companyName).toBe('Globex Integrations');
    expect((await put(profile, {}, 'marketing')).status).toBe(403);
  });
});
