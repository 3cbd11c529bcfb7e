import { stringify } from 'csv-stringify/sync';
import type { Contact, ContactField } from './schema';

/**
 * CSV formula injection (OWASP): a spreadsheet runs a cell that starts with =, +, -, @, tab
 * or carriage return as a formula. Such cells get a leading apostrophe, which spreadsheets
 * show as text. Applied to every cell we write, whoever typed it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const neutraliseFormula = (cell: string): string => (FORMULA_START.test(cell) ? `'${cell}` : cell);

/** The export's columns: the import's field names, so an exported file imports back as it is. */
export const exportColumns: readonly ContactField[] = [
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
];

const row = (c: Contact): string[] =>
  [
    c.email,
    c.firstName,
    c.lastName,
    c.company,
    c.jobTitle,
    c.phone,
    c.country,
    c.consent.source,
    c.consent.at,
    c.consent.text,
  ].map((v) => neutraliseFormula(v ?? ''));

/** CSV text (RFC 4180: CRLF, quotes as needed) with a UTF-8 BOM so spreadsheets read accents. */
export const contactsCsv = (contacts: readonly Contact[]): string =>
  `\uFEFF${stringify([[...exportColumns], ...contacts.map(row)], { record_delimiter: 'windows' })}`;
