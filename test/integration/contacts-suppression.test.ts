import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressionStore } from '#functions/contacts/suppression';
import { type ContactsApi, jsonBody, startContactsApi } from '#test/fixtures/contacts/contacts-api';

let t: ContactsApi;
beforeAll(async () => {
  t = await startContactsApi();
});
afterAll(() => t.close());

const at = '2026-03-01T10:00:00.000Z';

describe('suppressionStore', () => {
  it('answers which addresses must not be mailed for a partner: its own and the global ones', async () => {
    const store = suppressionStore(t.api.table);
    await store.suppress({
      scope: 'global',
      email: 'Bounced@Example.com',
      reason: 'hard-bounce',
      source: 'ses:m1',
      at,
    });
    await store.suppress({
      scope: 'global',
      email: 'complained@example.com',
      reason: 'complaint',
      source: 'ses:m2',
      at,
    });
    await store.suppress({
      scope: 'partner',
      partnerId: 'northwind',
      email: 'left@example.com',
      reason: 'unsubscribe',
      source: 'unsub:s1',
      at,
    });

    const emails = [
      'ok@example.com',
      'bounced@example.com',
      'complained@example.com',
      'left@example.com',
      'not an email',
    ];
    expect(await store.suppressedAmong('northwind', emails)).toEqual(
      new Set(['bounced@example.com', 'complained@example.com', 'left@example.com', 'not an email']),
    );
    expect(await store.suppressedAmong('globex', emails)).toEqual(
      new Set(['bounced@example.com', 'complained@example.com', 'not an email']),
    );
    expect(await store.suppressedAmong('globex', [])).toEqual(new Set());
  });

  it('is idempotent, lets a stronger reason replace a weaker one, and checks at most 100 addresses', async () => {
    const store = suppressionStore(t.api.table);
    const input = {
      scope: 'partner',
      partnerId: 'globex',
      email: 'twice@example.com',
      source: 'user:x',
      at,
    } as const;
    expect(await store.record({ ...input, reason: 'manual' })).toBe('created');
    expect(await store.record({ ...input, reason: 'manual' })).toBe('existed');
    expect(await store.record({ ...input, reason: 'unsubscribe', source: 'unsub:s9' })).toBe('updated');
    expect(await store.record({ ...input, reason: 'manual' })).toBe('existed');
    expect(await store.why('globex', 'TWICE@example.com')).toMatchObject([
      { reason: 'unsubscribe', source: 'unsub:s9' },
    ]);
    await expect(
      store.suppressedAmong(
        'globex',
        Array.from({ length: 101 }, (_, i) => `a${i}@x.io`),
      ),
    ).rejects.toThrow(/at most 100/);
    await expect(
      store.suppress({ scope: 'global', email: 'a@x.io', reason: 'manual', source: 's', at }),
    ).rejects.toThrow();
  });
});

describe('suppression routes', () => {
  it('adds, explains, lists and lifts a partner’s manual suppression', async () => {
    const add = await t.request('/api/suppressions', {
      as: 'u-initech-1',
      method: 'POST',
      ...jsonBody({ email: 'Manual@Example.com' }),
    });
    expect(add.status).toBe(201);
    expect(await add.json()).toMatchObject({
      email: 'manual@example.com',
      reason: 'manual',
      scope: 'partner',
      partnerId: 'initech',
      liftedAt: null,
    });
    const repeat = await t.request('/api/suppressions', {
      as: 'u-initech-1',
      method: 'POST',
      ...jsonBody({ email: 'manual@example.com' }),
    });
    expect(repeat.status).toBe(200);

    const why = await (await t.request('/api/suppressions/manual@example.com', { as: 'u-initech-1' })).json();
    expect(why).toMatchObject({
      email: 'manual@example.com',
      suppressed: true,
      entries: [{ reason: 'manual' }],
    });
    const page = await (await t.request('/api/suppressions', { as: 'u-initech-1' })).json();
    expect(page.items.map((s: { email: string }) => s.email)).toEqual(['manual@example.com']);

    const lifted = await t.request('/api/suppressions/manual@example.com', {
      as: 'u-initech-1',
      method: 'DELETE',
    });
    expect(lifted.status).toBe(200);
    expect((await lifted.json()).liftedAt).toEqual(expect.any(String));
    expect(await suppressionStore(t.api.table).suppressedAmong('initech', ['manual@example.com'])).toEqual(
      new Set(),
    );
    expect((await (await t.request('/api/suppressions', { as: 'u-initech-1' })).json()).items).toEqual([]);
    expect(
      (await t.request('/api/suppressions/manual@example.com', { as: 'u-initech-1', method: 'DELETE' }))
        .status,
    ).toBe(404);

    const again = await t.request('/api/suppressions', {
      as: 'u-initech-1',
      method: 'POST',
      ...jsonBody({ email: 'manual@example.com' }),
    });
    expect(again.status).toBe(200);
    expect(await suppressionStore(t.api.table).suppressedAmong('initech', ['manual@example.com'])).toEqual(
      new Set(['manual@example.com']),
    );
  });

  it('shows global suppressions but never lets a partner lift them, nor anyone else’s', async () => {
    const store = suppressionStore(t.api.table);
    await store.suppress({
      scope: 'global',
      email: 'hard@example.com',
      reason: 'hard-bounce',
      source: 'ses:m3',
      at,
    });
    const why = await (await t.request('/api/suppressions/hard@example.com', { as: 'u-initech-1' })).json();
    expect(why).toMatchObject({
      suppressed: true,
      entries: [{ scope: 'global', reason: 'hard-bounce', partnerId: null }],
    });
    expect(
      (await t.request('/api/suppressions/hard@example.com', { as: 'u-initech-1', method: 'DELETE' })).status,
    ).toBe(404);

    await store.suppress({
      scope: 'partner',
      partnerId: 'northwind',
      email: 'nw@example.com',
      reason: 'manual',
      source: 's',
      at,
    });
    const other = await (await t.request('/api/suppressions/nw@example.com', { as: 'u-initech-1' })).json();
    expect(other).toEqual({ email: 'nw@example.com', suppressed: false, entries: [] });
    expect(
      (await t.request('/api/suppressions/nw@example.com', { as: 'u-initech-1', method: 'DELETE' })).status,
    ).toBe(404);
  });

  it('validates addresses in the body and the path', async () => {
    const bad = await t.request('/api/suppressions', {
      as: 'u-initech-1',
      method: 'POST',
      ...jsonBody({ email: 'Ann <a@x.io>' }),
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([{ path: 'body.email', message: 'an email address' }]);
    const path = await t.request(`/api/suppressions/${encodeURIComponent('bad id!')}`, { as: 'u-initech-1' });
    expect((await path.json()).errors).toEqual([{ path: 'param.email', message: 'an email address' }]);
  });
});
