import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { contactsCsv, neutraliseFormula } from '#functions/contacts/csv-export';
import type { Contact } from '#functions/contacts/schema';

const contact = (over: Partial<Contact>): Contact => ({
  id: '0'.repeat(32),
  partnerId: 'northwind',
  email: 'ann@example.com',
  firstName: 'Ann',
  lastName: null,
  company: null,
  jobTitle: null,
  phone: null,
  country: null,
  consent: {
    source: 'form:webinar',
    at: '2026-01-01T00:00:00.000Z',
    text: null,
    channel: 'import',
    controller: { partnerId: 'northwind' },
    recordedAt: '2026-01-02T00:00:00.000Z',
    importId: null,
  },
  consentHistory: [],
  lists: [],
  createdAt: '2026-01-02T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  createdBy: null,
  lastWrite: null,
  version: 1,
  ...over,
});

describe('CSV export', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ['+1 555 0100', "'+1 555 0100"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['Ann', 'Ann'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j as %j', (cell, expected) => {
    expect(neutraliseFormula(cell)).toBe(expected);
  });

  it('writes a BOM, the import’s column names, CRLF rows, quotes and escaped formulas', () => {
    const csv = contactsCsv([
      contact({ firstName: '=cmd|" /C calc"!A0', company: 'Smith, Jones & "Co"', phone: '+44 20 7946 0000' }),
    ]);
    expect(
      csv.startsWith(
        '\uFEFFemail,first_name,last_name,company,job_title,phone,country,consent_source,consent_at,consent_text\r\n',
      ),
    ).toBe(true);
    const rows: string[][] = parse(csv, { bom: true });
    expect(rows[1]).toEqual([
      'ann@example.com',
      `'=cmd|" /C calc"!A0`,
      '',
      'Smith, Jones & "Co"',
      '',
      "'+44 20 7946 0000",
      '',
      'form:webinar',
      '2026-01-01T00:00:00.000Z',
      '',
    ]);
  });
});
