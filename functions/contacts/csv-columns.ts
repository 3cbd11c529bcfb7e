import { ValidationError } from '#platform/errors';
import { type ColumnMap, type ContactField, contactFields } from './schema';

/** What the caller says about the first row and the columns (by 0-based index or header name). */
export type HeaderMode = 'auto' | 'present' | 'absent';
export type ColumnRequest = Partial<Record<ContactField, number | string>>;

/** Header names we recognise, compared lower-case with everything but letters and digits removed. */
const synonyms: Record<ContactField, readonly string[]> = {
  email: ['email', 'emailaddress', 'mail', 'workemail', 'businessemail', 'courriel'],
  first_name: ['firstname', 'first', 'givenname', 'forename'],
  last_name: ['lastname', 'last', 'surname', 'familyname'],
  company: ['company', 'companyname', 'organization', 'organisation', 'account', 'accountname'],
  job_title: ['jobtitle', 'title', 'position'],
  phone: ['phone', 'phonenumber', 'telephone', 'mobile', 'tel'],
  country: ['country', 'countrycode'],
  consent_source: ['consentsource', 'optinsource'],
  consent_at: ['consentat', 'consentdate', 'consenttimestamp', 'optinat', 'optindate'],
  consent_text: ['consenttext', 'consentversion', 'consenttextversion'],
};

export const headerName = (cell: string): string => cell.toLowerCase().replace(/[^a-z0-9]/g, '');

const fieldOfHeader = (cell: string): ContactField | undefined => {
  const name = headerName(cell);
  return contactFields.find((field) => name === headerName(field) || synonyms[field].includes(name));
};

/** A first row is a header when one of its cells names an email column. */
export const looksLikeHeader = (row: readonly string[]): boolean =>
  row.some((cell) => fieldOfHeader(cell) === 'email');

const columnsError = (message: string) => new ValidationError(message, [{ path: 'query.columns', message }]);

/**
 * Decides whether the first row is a header and which column holds each field: recognised
 * header names first, then the caller's mapping (which wins). Without a header the caller
 * must map at least the email column by index.
 */
export const resolveColumns = (
  firstRow: readonly string[],
  mode: HeaderMode,
  requested: ColumnRequest,
): { hasHeader: boolean; columns: ColumnMap } => {
  const hasHeader = mode === 'present' || (mode === 'auto' && looksLikeHeader(firstRow));
  const columns: ColumnMap = {};
  if (hasHeader) {
    firstRow.forEach((cell, index) => {
      const field = fieldOfHeader(cell);
      if (field && columns[field] === undefined) columns[field] = index;
    });
  }
  for (const field of contactFields) {
    const wanted = requested[field];
    if (wanted === undefined) continue;
    if (typeof wanted === 'number') {
      columns[field] = wanted;
      continue;
    }
    if (!hasHeader) throw columnsError(`${field}: the file has no header row, so map it by column index`);
    const index = firstRow.findIndex((cell) => headerName(cell) === headerName(wanted));
    if (index < 0) throw columnsError(`${field}: no column named "${wanted}" in the header row`);
    columns[field] = index;
  }
  if (columns.email === undefined) {
    throw columnsError(
      hasHeader
        ? 'no email column in the header row; name one with columns=email:<header>'
        : 'the first row is not a header; map the columns by index, e.g. columns=email:0,first_name:1',
    );
  }
  return { hasHeader, columns };
};

/**
 * Parses the `columns` query value: `field:column` pairs separated by commas, where column is a
 * 0-based index or a header name (e.g. `email:0,first_name:2` or `email:E-mail,company:Org`).
 */
export const parseColumnRequest = (value: string): ColumnRequest | string => {
  const request: ColumnRequest = {};
  for (const pair of value.split(',')) {
    const at = pair.indexOf(':');
    const field = contactFields.find((f) => f === pair.slice(0, at).trim());
    const column = pair.slice(at + 1).trim();
    if (at < 0 || !field) return `"${pair}" is not field:column with a field of ${contactFields.join(', ')}`;
    if (column === '') return `${field} names no column`;
    request[field] = /^\d{1,3}$/.test(column) ? Number(column) : column;
  }
  return request;
};
