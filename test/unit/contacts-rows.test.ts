import { describe, expect, it } from 'vitest';
import { isBlank, parseConsentAt, toContactRow } from '#functions/contacts/rows';
import type { ColumnMap } from '#functions/contacts/schema';

const now = new Date('2026-03-01T12:00:00Z');
const columns: ColumnMap = {
  email: 0,
  first_name: 1,
  company: 2,
  consent_source: 3,
  consent_at: 4,
  consent_text: 5,
};
const importConsent = { source: 'import:crm-export', at: '2026-01-01T00:00:00.000Z', text: 'v3' };

describe('a CSV row → a contact row', () => {
  it('normalises the address, trims cells and keeps the row’s own consent', () => {
    expect(
      toContactRow(
        [' Ann@Example.COM ', ' Ann ', '', 'form:webinar', '2026-02-01', 'v2'],
        7,
        columns,
        null,
        now,
      ),
    ).toEqual({
      line: 7,
      email: 'ann@example.com',
      profile: { firstName: 'Ann' },
      consent: { source: 'form:webinar', at: '2026-02-01T00:00:00.000Z', text: 'v2' },
    });
  });

  it('falls back to the import’s consent, and rejects a row with neither', () => {
    expect(toContactRow(['a@x.io'], 3, columns, importConsent, now)).toMatchObject({ consent: null });
    expect(toContactRow(['a@x.io'], 3, columns, null, now)).toEqual({
      line: 3,
      reason: 'missing-consent',
      message: 'no consent_source and consent_at, and the import gives no consent',
    });
  });

  it('requires both halves of a row’s consent', () => {
    expect(toContactRow(['a@x.io', '', '', 'form', ''], 4, columns, importConsent, now)).toMatchObject({
      reason: 'missing-consent',
      message: 'the row has consent_source but no consent_at',
    });
  });

  it('rejects an invalid address, a bad consent time and a field that is too long', () => {
    expect(toContactRow(['Ann <a@x.io>'], 2, columns, importConsent, now)).toMatchObject({
      reason: 'invalid-email',
    });
    expect(toContactRow(['a@x.io', '', '', 'form', 'yesterday'], 2, columns, null, now)).toMatchObject({
      reason: 'invalid-consent-at',
    });
    expect(toContactRow(['a@x.io', 'x'.repeat(101)], 2, columns, importConsent, now)).toEqual({
      line: 2,
      reason: 'too-long',
      message: 'first_name is longer than 100 characters',
    });
  });

  it('reads ISO dates and date-times with zones, and refuses the future', () => {
    expect(parseConsentAt('2026-02-01T10:00:00+02:00', now)).toBe('2026-02-01T08:00:00.000Z');
    expect(parseConsentAt('2026-02-01 10:00Z', now)).toBe('2026-02-01T10:00:00.000Z');
    expect(parseConsentAt('2026-02-01T10:00:00', now)).toBeUndefined();
    expect(parseConsentAt('01/02/2026', now)).toBeUndefined();
    expect(parseConsentAt('2026-02-30', now)).toBeUndefined();
    expect(parseConsentAt('2026-03-05', now)).toBeUndefined();
  });

  it('knows a blank row', () => {
    expect(isBlank([' ', '', '\t'])).toBe(true);
    expect(isBlank(['', 'x'])).toBe(false);
  });
});
