import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '#test/support/test-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

describe('partners', () => {
  it('creates a partner with an id, version 1 and an ETag, and reads it back', async () => {
    const res = await api.request('/api/partners', {
      as: 'marketing',
      method: 'POST',
      ...json({ name: '  Contoso Systems ', tier: 'platinum', region: 'LATAM' }),
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ name: 'Contoso Systems', tier: 'platinum', region: 'LATAM', version: 1 });
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe(`/api/partners/${created.id}`);
    const read = await api.request(`/api/partners/${created.id}`, { as: 'auditor' });
    expect(await read.json()).toEqual(created);
  });

  it('lists partners by name, a page at a time', async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await (await api.request(`/api/partners?limit=2${query}`, { as: 'marketing' })).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      names.push(...page.items.map((p: { name: string }) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names.slice(0, 3)).toEqual(['Contoso Systems', 'Globex Integrations', 'Initech Cloud']);
    expect(names).toContain('Northwind Networks');
  });

  it('refuses a cursor edited to point into another partition', async () => {
    const forged = Buffer.from(
      JSON.stringify({ pk: 'PARTNER#globex', sk: 'PROFILE', gsi1pk: 'OTHER' }),
    ).toString('base64url');
    const res = await api.request(`/api/partners?cursor=${forged}`, { as: 'marketing' });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ path: 'query.cursor', message: 'invalid cursor' }]);
  });

  it('updates with If-Match and bumps the version; a stale ETag gets 412 and changes nothing', async () => {
    const first = await api.request('/api/partners/initech', {
      as: 'marketing',
      method: 'PATCH',
      ...json({ tier: 'silver' }, { 'if-match': '"1"' }),
    });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ tier: 'silver', version: 2 });
    expect(first.headers.get('etag')).toBe('"2"');

    const stale = await api.request('/api/partners/initech', {
      as: 'marketing',
      method: 'PATCH',
      ...json({ tier: 'gold' }, { 'if-match': '"1"' }),
    });
    expect(stale.status).toBe(412);
    const now = await (await api.request('/api/partners/initech', { as: 'marketing' })).json();
    expect(now).toMatchObject({ tier: 'silver', version: 2 });
  });

  it('keeps the name index in step with a rename', async () => {
    const before = await (await api.request('/api/partners/globex', { as: 'marketing' })).json();
    await api.request('/api/partners/globex', {
      as: 'marketing',
      method: 'PATCH',
      ...json({ name: 'Aardvark Globex' }, { 'if-match': `"${before.version}"` }),
    });
    const page = await (await api.request('/api/partners?limit=1', { as: 'marketing' })).json();
    expect(page.items[0].name).toBe('Aardvark Globex');
  });

  it('requires If-Match on update (428) and a well-formed one (422)', async () => {
    const missing = await api.request('/api/partners/northwind', {
      as: 'marketing',
      method: 'PATCH',
      ...json({ tier: 'gold' }),
    });
    expect(missing.status).toBe(428);
    const malformed = await api.request('/api/partners/northwind', {
      as: 'marketing',
      method: 'PATCH',
      ...json({ tier: 'gold' }, { 'if-match': 'yesterday' }),
    });
    expect(malformed.status).toBe(422);
    expect((await malformed.json()).errors).toEqual([
      { path: 'header.if-match', message: expect.any(String) },
    ]);
  });

  it('refuses an empty change and an unknown partner', async () => {
    const empty = await api.request('/api/partners/northwind', {
      as: 'marketing',
      method: 'PATCH',
      ...json({}, { 'if-match': '"1"' }),
    });
    expect(empty.status).toBe(422);
    const unknown = await api.request('/api/partners/nobody-here', {
      as: 'marketing',
      method: 'PATCH',
      ...json({ tier: 'gold' }, { 'if-match': '"1"' }),
    });
    expect(unknown.status).toBe(404);
  });
});
