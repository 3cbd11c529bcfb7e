import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audience } from '#functions/contacts/audience';
import { contactIdOf } from '#functions/contacts/email';
import { type ContactsApi, csvBody, jsonBody, startContactsApi } from '#test/fixtures/contacts/contacts-api';

let t: ContactsApi;
beforeAll(async () => {
  t = await startContactsApi();
});
afterAll(() => t.close());

const NW = 'u-northwind-1';

const importCsv = async (csv: string, query = '', as = NW) => {
  const res = await t.request(`/api/contacts/imports${query}`, { as, ...csvBody(csv) });
  expect(res.status).toBe(202);
  await t.drain();
  return (await t.request(`/api/contacts/imports/${(await res.json()).id}`, { as })).json();
};

const createList = async (name: string, as = NW) =>
  (await t.request('/api/lists', { as, method: 'POST', ...jsonBody({ name }) })).json();

describe('lists', () => {
  it('creates, renames with If-Match and lists a partner’s lists', async () => {
    const created = await t.request('/api/lists', {
      as: NW,
      method: 'POST',
      ...jsonBody({ name: ' Q3 webinar ' }),
    });
    expect(created.status).toBe(201);
    const list = await created.json();
    expect(list).toMatchObject({ name: 'Q3 webinar', memberCount: 0, version: 1 });
    expect(created.headers.get('etag')).toBe('"1"');

    const renamed = await t.request(`/api/lists/${list.id}`, {
      as: NW,
      method: 'PATCH',
      ...jsonBody({ name: 'Q3 webinar (EMEA)' }, { 'if-match': '"1"' }),
    });
    expect(await renamed.json()).toMatchObject({ name: 'Q3 webinar (EMEA)', version: 2 });
    const stale = await t.request(`/api/lists/${list.id}`, {
      as: NW,
      method: 'PATCH',
      ...jsonBody({ name: 'Other' }, { 'if-match': '"1"' }),
    });
    expect(stale.status).toBe(412);
    const page = await (await t.request('/api/lists', { as: NW })).json();
    expect(page.items.map((l: { name: string }) => l.name)).toContain('Q3 webinar (EMEA)');
  });

  it('adds contacts to a list, counts members once and pages through them', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `m${i}@members.example,Member ${i},form,2026-01-01`);
    await importCsv(`email,first_name,consent_source,consent_at\n${rows.join('\n')}\n`);
    const list = await createList('Hand-picked');
    const ids = Array.from({ length: 7 }, (_, i) => contactIdOf(`m${i}@members.example`));
    const unknown = contactIdOf('nobody@members.example');
    const first = await t.request(`/api/lists/${list.id}/members`, {
      as: NW,
      method: 'POST',
      ...jsonBody({ contactIds: [...ids.slice(0, 5), unknown] }),
    });
    expect(await first.json()).toEqual({ added: 5, alreadyMembers: 0, notFound: [unknown] });
    const again = await t.request(`/api/lists/${list.id}/members`, {
      as: NW,
      method: 'POST',
      ...jsonBody({ contactIds: ids }),
    });
    expect(await again.json()).toEqual({ added: 2, alreadyMembers: 5, notFound: [] });
    expect((await (await t.request(`/api/lists/${list.id}`, { as: NW })).json()).memberCount).toBe(7);

    const emails: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await (
        await t.request(`/api/lists/${list.id}/members?limit=3${query}`, { as: NW })
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      emails.push(...page.items.map((m: { email: string }) => m.email));
      cursor = page.nextCursor;
    } while (cursor);
    expect(emails.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `m${i}@members.example`));

    const sender = audience(t.api.table);
    const batch = await sender.listMembersPage('northwind', list.id, { limit: 4 });
    expect(batch.items).toHaveLength(4);
    expect(batch.items[0]).toEqual({
      email: expect.stringMatching(/@members\.example$/),
      firstName: expect.stringMatching(/^Member /),
      lastName: null,
      company: null,
    });
    const rest = await sender.listMembersPage('northwind', list.id, {
      limit: 4,
      cursor: batch.nextCursor ?? undefined,
    });
    expect(rest.items).toHaveLength(3);
  });

  it('finds contacts by email prefix, whatever the case', async () => {
    const page = await (await t.request('/api/contacts?prefix=M1@Members', { as: NW })).json();
    expect(page.items.map((c: { email: string }) => c.email)).toEqual(['m1@members.example']);
  });
});

describe('export', () => {
  it('exports a list as CSV with formulas neutralised, and it imports back', async () => {
    const list = await createList('Export me');
    const csv =
      'email,first_name,company,phone,consent_source,consent_at\n' +
      'evil@export.example,"=HYPERLINK(""http://evil.example"",""x"")",@SUM(A1),+1 555 0100,form,2026-01-01\n' +
      'plain@export.example,Plain,"Smith, Jones",,form,2026-01-02\n';
    await importCsv(csv, `?listId=${list.id}`);
    const res = await t.request(`/api/contacts/export?listId=${list.id}`, { as: NW });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows: string[][] = parse(await res.text(), { bom: true });
    expect(rows[0]).toEqual([
      'email',
      'first_name',
      'last_name',
      'company',
      'job_title',
      'phone',
      'country',
      'consent_source',
      'consent_at',
      'consent_text',
    ]);
    const evil = rows.find((r) => r[0] === 'evil@export.example');
    expect(evil?.slice(1, 6)).toEqual([
      `'=HYPERLINK("http://evil.example","x")`,
      '',
      "'@SUM(A1)",
      '',
      "'+1 555 0100",
    ]);
    expect(rows.find((r) => r[0] === 'plain@export.example')?.[3]).toBe('Smith, Jones');
    expect(rows).toHaveLength(3);
  });

  it('exports all of a partner’s contacts and nobody else’s', async () => {
    await importCsv(
      'email,consent_source,consent_at\nonly@globex.example,form,2026-01-01\n',
      '',
      'u-globex-1',
    );
    const rows: string[][] = parse(
      await (await t.request('/api/contacts/export', { as: 'u-globex-1' })).text(),
      { bom: true },
    );
    expect(rows.map((r) => r[0])).toEqual(['email', 'only@globex.example']);
  });
});

describe('partner isolation', () => {
  it('answers 404 for another partner’s lists, members, exports and contacts; 403 for marketing', async () => {
    const list = await createList('Private');
    const contactId = contactIdOf('m1@members.example');
    const g = 'u-globex-1';
    expect((await t.request(`/api/lists/${list.id}`, { as: g })).status).toBe(404);
    expect((await t.request(`/api/lists/${list.id}/members`, { as: g })).status).toBe(404);
    expect((await t.request(`/api/contacts/export?listId=${list.id}`, { as: g })).status).toBe(404);
    expect((await t.request(`/api/contacts/${contactId}`, { as: g })).status).toBe(404);
    expect((await t.request(`/api/contacts/${contactId}`, { as: g, method: 'DELETE' })).status).toBe(404);
    const add = await t.request(`/api/lists/${list.id}/members`, {
      as: g,
      method: 'POST',
      ...jsonBody({ contactIds: [contactId] }),
    });
    expect(add.status).toBe(404);
    const rename = await t.request(`/api/lists/${list.id}`, {
      as: g,
      method: 'PATCH',
      ...jsonBody({ name: 'Mine now' }, { 'if-match': '"1"' }),
    });
    expect(rename.status).toBe(404);
    const search = await (await t.request('/api/contacts?prefix=m1', { as: g })).json();
    expect(search.items).toEqual([]);
    expect((await t.request('/api/lists', { as: 'marketing' })).status).toBe(403);
    expect((await t.request('/api/contacts', { as: 'auditor' })).status).toBe(403);
  });
});

describe('GDPR erasure', () => {
  it('erases a contact and its memberships, keeps it suppressed, and refuses to import it again', async () => {
    const list = await createList('Erasure');
    await importCsv(
      'email,first_name,consent_source,consent_at\nforget.me@erase.example,Forget,form,2026-01-01\nkeep@erase.example,Keep,form,2026-01-01\n',
      `?listId=${list.id}`,
    );
    const id = contactIdOf('forget.me@erase.example');
    expect((await t.request(`/api/contacts/${id}`, { as: NW, method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/api/contacts/${id}`, { as: NW })).status).toBe(404);
    const after = await (await t.request(`/api/lists/${list.id}`, { as: NW })).json();
    expect(after.memberCount).toBe(1);
    const members = await (await t.request(`/api/lists/${list.id}/members`, { as: NW })).json();
    expect(members.items.map((m: { email: string }) => m.email)).toEqual(['keep@erase.example']);
    const why = await (await t.request('/api/suppressions/forget.me@erase.example', { as: NW })).json();
    expect(why).toMatchObject({ suppressed: true, entries: [{ reason: 'erasure', scope: 'partner' }] });
    expect(
      (await t.request('/api/suppressions/forget.me@erase.example', { as: NW, method: 'DELETE' })).status,
    ).toBe(409);

    const again = await importCsv(
      'email,consent_source,consent_at\nFORGET.ME@erase.example,form,2026-02-01\n',
      `?listId=${list.id}`,
    );
    expect(again.counts).toEqual({ rowsRead: 1, imported: 0, merged: 0, rejected: 1 });
    expect(again.errors).toEqual([{ line: 2, reason: 'erased', message: expect.any(String) }]);
  });
});
