import { describe, expect, it } from 'vitest';
import { looksLikeHeader, parseColumnRequest, resolveColumns } from '#functions/contacts/csv-columns';
import { CsvFormatError, type CsvRecord, readCsv } from '#functions/contacts/csv-read';

const bytes = (text: string) => new TextEncoder().encode(text);

const readAll = async (text: string | Uint8Array, from = { byte: 0, newlines: 0 }, delimiter = ',') => {
  const out: CsvRecord[] = [];
  for await (const r of readCsv(typeof text === 'string' ? bytes(text) : text, from, delimiter)) out.push(r);
  return out;
};

describe('readCsv', () => {
  it('drops a UTF-8 BOM and keeps accents', async () => {
    const records = await readAll('\uFEFFemail,name\nzoë@example.com,Zoë Ñúñez\n');
    expect(records.map((r) => r.cells)).toEqual([
      ['email', 'name'],
      ['zoë@example.com', 'Zoë Ñúñez'],
    ]);
  });

  it('numbers lines by where each record starts, across quoted newlines, CRLF and blank lines', async () => {
    const text =
      'email,note\r\na@x.io,"two\r\nlines"\r\n\r\n\r\nb@x.io,plain\r\nc@x.io,"three\nline\nnote"\nd@x.io,last';
    const records = await readAll(text);
    expect(records.map((r) => [r.cells[0], r.line])).toEqual([
      ['email', 1],
      ['a@x.io', 2],
      ['b@x.io', 6],
      ['c@x.io', 7],
      ['d@x.io', 10],
    ]);
    expect(records[1]?.cells[1]).toBe('two\r\nlines');
  });

  it('ends each record on a boundary a resumed read can start from, keeping line numbers', async () => {
    const text = '\uFEFFemail\na@x.io\n"b@x.io"\n\nc@x.io\nd@x.io\n';
    const all = await readAll(text);
    const second = all[1];
    if (!second) throw new Error('expected records');
    const resumed = await readAll(text, { byte: second.endByte, newlines: second.newlines });
    expect(resumed.map((r) => [r.cells[0], r.line])).toEqual([
      ['b@x.io', 3],
      ['c@x.io', 5],
      ['d@x.io', 6],
    ]);
    expect(resumed.at(-1)?.endByte).toBe(bytes(text).length);
  });

  it('counts byte offsets in bytes, not characters', async () => {
    const text = 'ü@x.io,ßß\nb@x.io,c\n';
    const [first] = await readAll(text);
    expect(first?.endByte).toBe(bytes('ü@x.io,ßß\n').length);
  });

  it('tolerates stray quotes inside fields and rows of other lengths', async () => {
    const records = await readAll('a@x.io,Bob "The Builder" Smith\nb@x.io\nc@x.io,1,2,3\n');
    expect(records.map((r) => r.cells)).toEqual([
      ['a@x.io', 'Bob "The Builder" Smith'],
      ['b@x.io'],
      ['c@x.io', '1', '2', '3'],
    ]);
  });

  it('reads semicolon and tab separated files when told', async () => {
    expect((await readAll('email;name\na@x.io;Ann\n', undefined, ';')).map((r) => r.cells)).toEqual([
      ['email', 'name'],
      ['a@x.io', 'Ann'],
    ]);
    expect((await readAll('a@x.io\tAnn\n', undefined, '\t'))[0]?.cells).toEqual(['a@x.io', 'Ann']);
  });

  it('stops at an unclosed quote, naming the line where the broken record starts', async () => {
    const seen: string[] = [];
    const run = async () => {
      for await (const r of readCsv(
        bytes('email\na@x.io\n"b@x.io\nc@x.io\n'),
        { byte: 0, newlines: 0 },
        ',',
      )) {
        seen.push(r.cells[0] ?? '');
      }
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect(error).toMatchObject({ line: 3, message: expect.stringContaining('never closed') });
    expect(seen).toEqual(['email', 'a@x.io']);
  });

  it('refuses a record over 64 KB (a runaway quote) instead of buffering the file', async () => {
    const error = await readAll(`email\na@x.io,${'x'.repeat(70_000)}\n`).catch((e: unknown) => e);
    expect(error).toMatchObject({ line: 2, message: expect.stringContaining('longer than') });
  });
});

describe('header detection and column mapping', () => {
  it('takes a first row naming an email column as a header, and maps known names', () => {
    const header = [
      'E-mail Address',
      'First Name',
      'Surname',
      'Organisation',
      'Title',
      'Mobile',
      'Opt-in Date',
      'Consent Source',
      'Notes',
    ];
    expect(looksLikeHeader(header)).toBe(true);
    expect(resolveColumns(header, 'auto', {})).toEqual({
      hasHeader: true,
      columns: {
        email: 0,
        first_name: 1,
        last_name: 2,
        company: 3,
        job_title: 4,
        phone: 5,
        consent_at: 6,
        consent_source: 7,
      },
    });
  });

  it('treats a first row of data as data, which then needs a mapping by index', () => {
    const row = ['ann@example.com', 'Ann'];
    expect(looksLikeHeader(row)).toBe(false);
    expect(() => resolveColumns(row, 'auto', {})).toThrow(/not a header; map the columns by index/);
    expect(resolveColumns(row, 'auto', { email: 0, first_name: 1 })).toEqual({
      hasHeader: false,
      columns: { email: 0, first_name: 1 },
    });
  });

  it('lets the caller map by header name over the recognised names, and says when a name is missing', () => {
    const header = ['Work email', 'Personal email', 'Org'];
    expect(resolveColumns(header, 'present', { email: 'personal EMAIL', company: 'org' }).columns).toEqual({
      email: 1,
      company: 2,
    });
    expect(() => resolveColumns(header, 'present', { email: 'mail 2' })).toThrow(/no column named "mail 2"/);
    expect(() => resolveColumns(['id', 'name'], 'present', {})).toThrow(/no email column/);
  });

  it('honours header=absent even when the first row looks like a header', () => {
    expect(resolveColumns(['email'], 'absent', { email: 0 })).toEqual({
      hasHeader: false,
      columns: { email: 0 },
    });
  });

  it('parses the columns query', () => {
    expect(parseColumnRequest('email:0, first_name:First Name,company:3')).toEqual({
      email: 0,
      first_name: 'First Name',
      company: 3,
    });
    expect(parseColumnRequest('mail:0')).toMatch(/not field:column/);
    expect(parseColumnRequest('email:')).toBe('email names no column');
  });
});
