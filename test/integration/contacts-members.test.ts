import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactIdOf } from '#functions/contacts/email';
import { type ContactsApi, csvBody, jsonBody, startContactsApi } from '#test/fixtures/contacts/contacts-api';

// Taking contacts off a list: DELETE /api/lists/{listId}/members/{contactId}, on DynamoDB Local.
let t: ContactsApi;
beforeAll(async () => {
  t = await startContactsApi();
});
afterAll(() => t.close());

const NW = 'u-northwind-1';
const GLOBEX = 'u-globex-1';

const createList = async (name: string, as = NW): Promise<{ id: string }> =>
  (await t.request('/api/lists', { as, method: 'POST', ...jsonBody({ name }) })).json();

const importInto = async (listId: string, emails: string[], as = NW) => {
  const rows = emails.map((email) => `${email},form,2026-01-01`).join('\n');
  const res = await t.request(`/api/contacts/imports?listId=${listId}`, {
    as,
    ...csvBody(`email,consent_source,consent_at\n${rows}\n`),
  });
  expect(res.status).toBe(202);
  await t.drain();
};

const members = async (listId: string, as = NW): Promise<string[]> => {
  const page = await (await t.request(`/api/lists/${listId}/members?limit=100`, { as })).json();
  return page.items.map((m: { email: string }) => m.email).sort();
};

const remove = (listId: string, contactId: string, as = NW) =>
  t.request(`/api/lists/${listId}/members/${contactId}`, { as, method: 'DELETE' });

describe('removing a list member', () => {
  it('takes the contact off the list, its count and the contact’s lists, and keeps the contact', async () => {
    const list = await createList('Leavers');
    const other = await createList('Stayers');
    await importInto(list.id, ['leave@members.example', 'stay@members.example']);
    const leaver = contactIdOf('leave@members.example');
    await t.request(`/api/lists/${other.id}/members`, {
      as: NW,
      method: 'POST',
      ...jsonBody({ contactIds: [leaver] }),
    });

    const res = await remove(list.id, leaver);

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: list.id, name: 'Leavers', memberCount: 1 });
    expect(await members(list.id)).toEqual(['stay@members.example']);
    const stored = await (await t.request(`/api/lists/${list.id}`, { as: NW })).json();
    expect(stored.memberCount).toBe(1);
    const contact = await (await t.request(`/api/contacts/${leaver}`, { as: NW })).json();
    expect(contact.lists).toEqual([other.id]);
    expect(await members(other.id)).toEqual(['leave@members.example']);
  });

  it('is idempotent: removing someone who is not on the list changes nothing', async () => {
    const list = await createList('Idempotent');
    await importInto(list.id, ['once@members.example', 'kept@members.example']);
    const id = contactIdOf('once@members.example');
    expect((await remove(list.id, id)).status).toBe(200);

    const again = await remove(list.id, id);

    expect(again.status).toBe(200);
    expect((await again.json()).memberCount).toBe(1);
    expect(await members(list.id)).toEqual(['kept@members.example']);
  });

  it('answers 404 for an unknown contact or list, and 422 naming a malformed id', async () => {
    const list = await createList('Unknowns');
    const missing = await remove(list.id, contactIdOf('nobody@members.example'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect((await remove('01JAAAAAAAAAAAAAAAAAAAAAAA', contactIdOf('once@members.example'))).status).toBe(
      404,
    );

    const malformed = await remove(list.id, 'not-a-contact-id');
    expect(malformed.status).toBe(422);
    const problem = await malformed.json();
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(['param.contactId']);
  });

  it('lets no other partner take members off a list, nor learn that it exists', async () => {
    const list = await createList('Northwind only');
    await importInto(list.id, ['private@members.example']);
    const id = contactIdOf('private@members.example');

    expect((await remove(list.id, id, GLOBEX)).status).toBe(404);
    // Globex's own list cannot reach Northwind's contact either.
    const theirs = await createList('Globex list', GLOBEX);
    expect((await remove(theirs.id, id, GLOBEX)).status).toBe(404);

    expect(await members(list.id)).toEqual(['private@members.example']);
    expect((await (await t.request(`/api/lists/${list.id}`, { as: NW })).json()).memberCount).toBe(1);
    expect((await remove(list.id, id, 'marketing')).status).toBe(403);
  });
});
