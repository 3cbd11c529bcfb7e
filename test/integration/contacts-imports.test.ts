import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContactFeature, contactFeature } from '#functions/contacts/deps';
import { contactIdOf } from '#functions/contacts/email';
import { runImport } from '#functions/contacts/import-run';
import { startImport } from '#functions/contacts/imports';
import type { ImportJob } from '#functions/contacts/schema';
import { UnavailableError } from '#platform/errors';
import { type ContactsApi, csvBody, jsonBody, startContactsApi } from '#test/fixtures/contacts/contacts-api';

let t: ContactsApi;
beforeAll(async () => {
  t = await startContactsApi();
});
afterAll(() => t.close());

const newList = async (name: string, as = 'u-northwind-1') => {
  const res = await t.request('/api/lists', { as, method: 'POST', ...jsonBody({ name }) });
  expect(res.status).toBe(201);
  return (await res.json()).id as string;
};

const job = async (id: string, as = 'u-northwind-1'): Promise<ImportJob> =>
  (await t.request(`/api/contacts/imports/${id}`, { as })).json();

/**
 * A generated file: every 97th row has a bad address, every 89th lacks consent, every 50th
 * repeats an earlier address in another case (a duplicate to merge). Returns the expected tally.
 */
const generate = (rows: number, domain: string) => {
  const lines = ['Email,First Name,Last Name,Company,Consent Source,Consent At'];
  const expected = { rowsRead: rows, imported: 0, merged: 0, rejected: 0, errorLines: [] as number[] };
  const seen = new Set<string>();
  for (let i = 1; i <= rows; i += 1) {
    const line = i + 1;
    let email = `person${i}@${domain}`;
    let consent = `form:webinar,2026-01-0${(i % 9) + 1}`;
    if (i % 97 === 0) email = `person ${i}@${domain}`;
    else if (i % 89 === 0) consent = ',';
    else if (i % 50 === 0) email = `PERSON${i - 25}@${domain.toUpperCase()}`;
    lines.push(`${email},"First ${i}",Last,"Company, ${i % 7}",${consent}`);
    if (i % 97 === 0 || i % 89 === 0) {
      expected.rejected += 1;
      expected.errorLines.push(line);
      continue;
    }
    const key = email.toLowerCase();
    if (seen.has(key)) expected.merged += 1;
    else expected.imported += 1;
    seen.add(key);
  }
  return { csv: `${lines.join('\r\n')}\r\n`, expected };
};

describe('contact imports', () => {
  it('imports 10,000 rows in the background, merging duplicates and reporting bad rows by line', async () => {
    const listId = await newList('Webinar leads');
    const { csv, expected } = generate(10_000, 'tenk.example');
    const res = await t.request(`/api/contacts/imports?listId=${listId}`, {
      as: 'u-northwind-1',
      ...csvBody(csv),
    });
    expect(res.status).toBe(202);
    const queued = await res.json();
    expect(queued).toMatchObject({ status: 'queued', hasHeader: true, listId });
    expect(res.headers.get('location')).toBe(`/api/contacts/imports/${queued.id}`);

    await t.drain({ chunkRows: 250 });

    const done = await job(queued.id);
    expect(done).toMatchObject({
      status: 'done',
      counts: {
        rowsRead: expected.rowsRead,
        imported: expected.imported,
        merged: expected.merged,
        rejected: expected.rejected,
      },
      failure: null,
    });
    expect(done.errors.map((e) => e.line)).toEqual(expected.errorLines);
    expect(done.errors[0]).toEqual({ line: 90, reason: 'missing-consent', message: expect.any(String) });
    expect(done.errors[1]).toEqual({
      line: 98,
      reason: 'invalid-email',
      message: expect.stringContaining('space'),
    });

    const list = await (await t.request(`/api/lists/${listId}`, { as: 'u-northwind-1' })).json();
    expect(list.memberCount).toBe(expected.imported);
    const merged = await (
      await t.request(`/api/contacts/${contactIdOf('person25@tenk.example')}`, { as: 'u-northwind-1' })
    ).json();
    expect(merged).toMatchObject({ email: 'person25@tenk.example', firstName: 'First 50', lists: [listId] });
    // Row 50 repeats row 25 with its own consent: it becomes current, the earlier one history.
    expect(merged.consent).toMatchObject({
      source: 'form:webinar',
      at: '2026-01-06T00:00:00.000Z',
      controller: { partnerId: 'northwind' },
    });
    expect(merged.consentHistory).toMatchObject([{ at: '2026-01-08T00:00:00.000Z' }]);
    // DynamoDB Local on two CPUs writes ~250 contacts a second (transactions dominate): ~40 s here
    // alone, but up to 100 s in a full run, where every integration file shares that DynamoDB Local.
  }, 240_000);

  it('resumes a run that died mid-way from its checkpoint, with the same counts as a clean run', async () => {
    const feature: ContactFeature = contactFeature(t.deps);
    const listId = await newList('Resumed');
    const { csv, expected } = generate(2_000, 'resume.example');
    const started = await startImport(feature, 'northwind', 'test', new TextEncoder().encode(csv), {
      listId,
      header: 'auto',
      delimiter: ',',
      columns: {},
      consent: null,
    });
    t.queue.length = 0;
    let updates = 0;
    const dying: ContactFeature = {
      ...feature,
      imports: {
        ...feature.imports,
        async update(jobBefore, version, changes) {
          updates += 1;
          // The 4th progress write never happens: the chunk's contacts are written, the checkpoint is not.
          if (updates === 5) throw new UnavailableError('the process died');
          return feature.imports.update(jobBefore, version, changes);
        },
      },
    };
    const ref = { partnerId: 'northwind', importId: started.id };
    await expect(runImport(dying, ref, { chunkRows: 300 })).rejects.toThrow('the process died');
    const halfway = await job(started.id);
    expect(halfway.status).toBe('running');
    expect(halfway.counts.rowsRead).toBe(900);
    expect(halfway.checkpoint.byte).toBeGreaterThan(0);

    const resumed = await runImport(feature, ref, { chunkRows: 300 });
    expect(resumed.outcome).toBe('done');
    expect(resumed.job?.counts).toEqual({
      rowsRead: expected.rowsRead,
      imported: expected.imported,
      merged: expected.merged,
      rejected: expected.rejected,
    });
    expect(resumed.job?.errors.map((e) => e.line)).toEqual(expected.errorLines);
    const list = await (await t.request(`/api/lists/${listId}`, { as: 'u-northwind-1' })).json();
    expect(list.memberCount).toBe(expected.imported);
    expect(await runImport(feature, ref)).toMatchObject({ outcome: 'skipped' });
  }, 60_000);

  it('hands the rest to the queue when its time budget is spent', async () => {
    const { csv, expected } = generate(500, 'budget.example');
    const res = await t.request('/api/contacts/imports', { as: 'u-northwind-1', ...csvBody(csv) });
    const { id } = await res.json();
    const first = t.queue.shift();
    if (!first) throw new Error('expected a queued import');
    const run = await runImport(contactFeature(t.deps), first, { budgetMs: 0, chunkRows: 100 });
    expect(run.outcome).toBe('continued');
    expect(t.queue).toEqual([{ type: 'contacts.import', partnerId: 'northwind', importId: id }]);
    await t.drain({ chunkRows: 100 });
    expect((await job(id)).counts.imported).toBe(expected.imported);
  });

  it('takes a header-less, semicolon-separated file with a column mapping and an import-wide consent', async () => {
    const csv = '\uFEFFJoão;joao@semi.example\nMarie;MARIE@semi.example\nbad;not-an-email\n';
    const query =
      'delimiter=semicolon&columns=email:1,first_name:0&consentSource=import:crm-2026&consentAt=2026-01-15&consentText=v2';
    const res = await t.request(`/api/contacts/imports?${query}`, { as: 'u-northwind-1', ...csvBody(csv) });
    expect(res.status).toBe(202);
    const { id, hasHeader } = await res.json();
    expect(hasHeader).toBe(false);
    await t.drain();
    const done = await job(id);
    expect(done.counts).toEqual({ rowsRead: 3, imported: 2, merged: 0, rejected: 1 });
    expect(done.errors).toEqual([{ line: 3, reason: 'invalid-email', message: expect.any(String) }]);
    const joao = await (
      await t.request(`/api/contacts/${contactIdOf('joao@semi.example')}`, { as: 'u-northwind-1' })
    ).json();
    expect(joao).toMatchObject({
      firstName: 'João',
      consent: { source: 'import:crm-2026', text: 'v2', at: '2026-01-15T00:00:00.000Z' },
    });
  });

  it('fails an import at an unclosed quote, keeping the rows before it', async () => {
    const csv =
      'email,consent_source,consent_at\na@broken.example,form,2026-01-01\n"b@broken.example,form,2026-01-01\nc@broken.example,form,2026-01-01\n';
    const res = await t.request('/api/contacts/imports', { as: 'u-northwind-1', ...csvBody(csv) });
    const { id } = await res.json();
    await t.drain();
    expect(await job(id)).toMatchObject({
      status: 'failed',
      counts: { rowsRead: 1, imported: 1 },
      failure: { line: 3, message: expect.stringContaining('never closed') },
    });
  });

  it('refuses uploads it cannot read before queueing anything', async () => {
    const before = t.queue.length;
    const wrongType = await t.request('/api/contacts/imports', {
      as: 'u-northwind-1',
      method: 'POST',
      body: 'email\na@x.io\n',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    const noEmail = await t.request('/api/contacts/imports', {
      as: 'u-northwind-1',
      ...csvBody('name,company\nAnn,X\n'),
    });
    expect(noEmail.status).toBe(422);
    expect((await noEmail.json()).errors).toEqual([
      { path: 'query.columns', message: expect.stringContaining('map the columns') },
    ]);
    const halfConsent = await t.request('/api/contacts/imports?consentSource=form', {
      as: 'u-northwind-1',
      ...csvBody('email\na@x.io\n'),
    });
    expect((await halfConsent.json()).errors).toEqual([
      { path: 'query.consentAt', message: 'required with consentSource' },
    ]);
    const latin1 = await t.request('/api/contacts/imports', {
      as: 'u-northwind-1',
      method: 'POST',
      body: new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xe9, 0x40, 0x78, 0x2e, 0x69, 0x6f]),
      headers: { 'content-type': 'text/csv' },
    });
    expect(latin1.status).toBe(422);
    expect(t.queue.length).toBe(before);
  });

  it('keeps imports to their partner: another partner’s list or import is not found', async () => {
    const listId = await newList('Northwind only');
    const intoOther = await t.request(`/api/contacts/imports?listId=${listId}`, {
      as: 'u-globex-1',
      ...csvBody('email,consent_source,consent_at\na@x.io,form,2026-01-01\n'),
    });
    expect(intoOther.status).toBe(404);
    const mine = await t.request('/api/contacts/imports', {
      as: 'u-northwind-1',
      ...csvBody('email,consent_source,consent_at\na@x.io,form,2026-01-01\n'),
    });
    const { id } = await mine.json();
    expect((await t.request(`/api/contacts/imports/${id}`, { as: 'u-globex-1' })).status).toBe(404);
    const globexImports = await (await t.request('/api/contacts/imports', { as: 'u-globex-1' })).json();
    expect(globexImports.items).toEqual([]);
    expect((await t.request('/api/contacts/imports', { as: 'marketing' })).status).toBe(403);
  });
});
