import { checkEmail } from './email';
import type { ColumnMap, ContactField, ImportConsent, Profile, RowErrorReason } from './schema';

/** A CSV row that passed validation: what an import merges into the contact. */
export interface ContactRow {
  line: number;
  email: string;
  /** Only the fields the row fills in: an empty cell never erases what is stored. */
  profile: Partial<Profile>;
  /** The row's own consent, when it brings one. */
  consent: ImportConsent | null;
}

export interface RowRejection {
  line: number;
  reason: RowErrorReason;
  message: string;
}

const profileFields: ReadonlyArray<[ContactField, keyof Profile, number]> = [
  ['first_name', 'firstName', 100],
  ['last_name', 'lastName', 100],
  ['company', 'company', 200],
  ['job_title', 'jobTitle', 200],
  ['phone', 'phone', 50],
  ['country', 'country', 100],
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
/** Clocks differ; a consent "tomorrow" by a day at most is a time zone, not a typo. */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/** ISO 8601 date or date-time with a zone → UTC ISO string; undefined when it is neither or in the future. */
export const parseConsentAt = (value: string, now: Date): string | undefined => {
  const text = value.trim();
  if (!DATE.test(text) && !DATE_TIME.test(text)) return undefined;
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  if (calendar.getUTCMonth() + 1 !== month || calendar.getUTCDate() !== day) return undefined;
  const ms = Date.parse(DATE.test(text) ? `${text}T00:00:00Z` : text.replace(' ', 'T'));
  if (Number.isNaN(ms) || ms > now.getTime() + FUTURE_TOLERANCE_MS) return undefined;
  return new Date(ms).toISOString();
};

/** Validates one record against the column map; the import-wide consent fills in rows without one. */
export const toContactRow = (
  cells: readonly string[],
  line: number,
  columns: ColumnMap,
  importConsent: ImportConsent | null,
  now: Date,
): ContactRow | RowRejection => {
  const cell = (field: ContactField): string => {
    const index = columns[field];
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };
  const reject = (reason: RowErrorReason, message: string): RowRejection => ({ line, reason, message });

  const checked = checkEmail(cell('email'));
  if (!checked.ok) return reject('invalid-email', checked.reason);

  const profile: Partial<Profile> = {};
  for (const [field, key, max] of profileFields) {
    const value = cell(field);
    if (value.length > max) return reject('too-long', `${field} is longer than ${max} characters`);
    if (value !== '') profile[key] = value;
  }

  const consent = consentOf(
    cell('consent_source'),
    cell('consent_at'),
    cell('consent_text'),
    importConsent,
    now,
  );
  if ('reason' in consent) return { line, ...consent };
  return { line, email: checked.email, profile, consent: consent.own };
};

/** The row's own consent (null: the import's applies), or why the row has none that counts. */
const consentOf = (
  source: string,
  at: string,
  text: string,
  importConsent: ImportConsent | null,
  now: Date,
): { own: ImportConsent | null } | Omit<RowRejection, 'line'> => {
  if (source.length > 200)
    return { reason: 'too-long', message: 'consent_source is longer than 200 characters' };
  if (text.length > 200) return { reason: 'too-long', message: 'consent_text is longer than 200 characters' };
  if (source === '' && at === '') {
    if (importConsent) return { own: null };
    return {
      reason: 'missing-consent',
      message: 'no consent_source and consent_at, and the import gives no consent',
    };
  }
  if (source === '' || at === '') {
    const has = source === '' ? 'consent_at but no consent_source' : 'consent_source but no consent_at';
    return { reason: 'missing-consent', message: `the row has ${has}` };
  }
  const when = parseConsentAt(at, now);
  if (!when)
    return {
      reason: 'invalid-consent-at',
      message: 'consent_at is not an ISO 8601 date or time in the past',
    };
  return { own: { source, at: when, text: text === '' ? null : text } };
};

export const isRejection = (row: ContactRow | RowRejection): row is RowRejection => 'reason' in row;

/** True when every cell is blank: such a row is skipped, not reported. */
export const isBlank = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');
