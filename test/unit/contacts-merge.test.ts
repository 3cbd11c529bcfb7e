import { describe, expect, it } from 'vitest';
import { contactIdOf } from '#functions/contacts/email';
import { type MergeContext, mergeRow } from '#functions/contacts/merge';
import type { ContactRow } from '#functions/contacts/rows';
import type { Contact } from '#functions/contacts/schema';

const ctx = (over: Partial<MergeContext> = {}): MergeContext => ({
  partnerId: 'northwind',
  importId: '01JIMPORT00000000000000001',
  listId: '01JLIST0000000000000000001',
  importConsent: { source: 'import:crm', at: '2025-06-01T00:00:00.000Z', text: null },
  now: '2026-03-01T00:00:00.000Z',
  ...over,
});
const row = (over: Partial<ContactRow> = {}): ContactRow => ({
  line: 2,
  email: 'ann@example.com',
  profile: { firstName: 'Ann' },
  consent: null,
  ...over,
});
const created = (): Contact => {
  const outcome = mergeRow(undefined, row(), ctx());
  if (outcome.kind !== 'imported') throw new Error('expected a new contact');
  return outcome.contact;
};

describe('merging a row into a contact', () => {
  it('creates a contact with the GDPR record of the import’s consent and joins the list', () => {
    const outcome = mergeRow(undefined, row(), ctx());
    expect(outcome).toMatchObject({ kind: 'imported', write: true, joinsList: true });
    if (outcome.kind !== 'imported') return;
    expect(outcome.contact).toMatchObject({
      id: contactIdOf('ann@example.com'),
      email: 'ann@example.com',
      firstName: 'Ann',
      lastName: null,
      lists: ['01JLIST0000000000000000001'],
      consent: {
        source: 'import:crm',
        at: '2025-06-01T00:00:00.000Z',
        text: null,
        channel: 'import',
        controller: { partnerId: 'northwind' },
        recordedAt: '2026-03-01T00:00:00.000Z',
        importId: '01JIMPORT00000000000000001',
      },
      createdBy: { importId: '01JIMPORT00000000000000001', line: 2 },
    });
  });

  it('fills in fields from a later row, keeps the earliest consent, and does not erase with blanks', () => {
    const later = mergeRow(
      created(),
      row({ line: 9, profile: { company: 'Contoso' } }),
      ctx({ importConsent: { source: 'import:other', at: '2026-02-01T00:00:00.000Z', text: null } }),
    );
    expect(later).toMatchObject({ kind: 'merged', write: true, joinsList: false });
    if (later.kind !== 'merged') return;
    expect(later.contact).toMatchObject({ firstName: 'Ann', company: 'Contoso', consentHistory: [] });
    expect(later.contact.consent.source).toBe('import:crm');
  });

  it('lets a row bring its own consent, moving the earlier one to the history', () => {
    const own = { source: 'form:webinar', at: '2026-02-10T00:00:00.000Z', text: 'v4' };
    const later = mergeRow(created(), row({ line: 9, consent: own }), ctx());
    if (later.kind !== 'merged') throw new Error('expected a merge');
    expect(later.contact.consent).toMatchObject(own);
    expect(later.contact.consentHistory.map((c) => c.source)).toEqual(['import:crm']);
  });

  it('recognises a row an interrupted run already applied, and counts it as before', () => {
    const first = created();
    expect(mergeRow(first, row(), ctx())).toMatchObject({ kind: 'imported', write: false, joinsList: false });
    const merged = mergeRow(first, row({ line: 5 }), ctx());
    if (merged.kind !== 'merged') throw new Error('expected a merge');
    expect(mergeRow(merged.contact, row({ line: 5 }), ctx())).toMatchObject({ kind: 'merged', write: false });
    expect(mergeRow(merged.contact, row({ line: 2 }), ctx())).toMatchObject({
      kind: 'imported',
      write: false,
    });
    expect(
      mergeRow(merged.contact, row({ line: 5 }), ctx({ importId: '01JIMPORT00000000000000002' })),
    ).toMatchObject({
      kind: 'merged',
      write: true,
    });
  });

  it('refuses to bring back an erased person', () => {
    expect(mergeRow('erased', row(), ctx())).toEqual({
      kind: 'rejected',
      rejection: { line: 2, reason: 'erased', message: expect.stringContaining('asked to be erased') },
    });
  });
});
