import { contactIdOf } from './email';
import type { ContactRow, RowRejection } from './rows';
import type { Consent, Contact, ImportConsent } from './schema';

/** What the table holds at a contact's key: a contact, the tombstone of an erased one, or nothing. */
export type StoredContact = Contact | 'erased' | undefined;

export interface MergeContext {
  partnerId: string;
  importId: string;
  listId: string | null;
  importConsent: ImportConsent | null;
  now: string;
}

export type MergeOutcome =
  | { kind: 'rejected'; rejection: RowRejection }
  | {
      kind: 'imported' | 'merged';
      contact: Contact;
      /** False when this very row was already applied by an earlier, interrupted run. */
      write: boolean;
      /** True when the row adds the contact to the import's list. */
      joinsList: boolean;
    };

const MAX_CONSENT_HISTORY = 20;

const consentRecord = (given: ImportConsent, ctx: MergeContext): Consent => ({
  source: given.source,
  at: given.at,
  text: given.text,
  channel: 'import',
  controller: { partnerId: ctx.partnerId },
  recordedAt: ctx.now,
  importId: ctx.importId,
});

const sameConsent = (a: Consent, b: ImportConsent) =>
  a.source === b.source && a.at === b.at && a.text === b.text;

const newContact = (row: ContactRow, ctx: MergeContext): MergeOutcome => {
  const consent = row.consent ?? ctx.importConsent;
  if (!consent) throw new Error('a valid row always has a consent');
  const ref = { importId: ctx.importId, line: row.line };
  const contact: Contact = {
    id: contactIdOf(row.email),
    partnerId: ctx.partnerId,
    email: row.email,
    firstName: null,
    lastName: null,
    company: null,
    jobTitle: null,
    phone: null,
    country: null,
    ...row.profile,
    consent: consentRecord(consent, ctx),
    consentHistory: [],
    lists: ctx.listId ? [ctx.listId] : [],
    createdAt: ctx.now,
    updatedAt: ctx.now,
    createdBy: ref,
    lastWrite: ref,
    version: 1,
  };
  return { kind: 'imported', contact, write: true, joinsList: ctx.listId !== null };
};

const mergeInto = (stored: Contact, row: ContactRow, ctx: MergeContext): MergeOutcome => {
  const own = row.consent !== null && !sameConsent(stored.consent, row.consent) ? row.consent : null;
  const joinsList = ctx.listId !== null && !stored.lists.includes(ctx.listId);
  const contact: Contact = {
    ...stored,
    ...row.profile,
    consent: own ? consentRecord(own, ctx) : stored.consent,
    consentHistory: own
      ? [stored.consent, ...stored.consentHistory].slice(0, MAX_CONSENT_HISTORY)
      : stored.consentHistory,
    lists: joinsList && ctx.listId ? [...stored.lists, ctx.listId] : stored.lists,
    updatedAt: ctx.now,
    lastWrite: { importId: ctx.importId, line: row.line },
    version: stored.version + 1,
  };
  return { kind: 'merged', contact, write: true, joinsList };
};

/** Whether this very row was written by an earlier, interrupted run of the same import. */
const alreadyApplied = (stored: Contact, row: ContactRow, ctx: MergeContext): MergeOutcome | undefined => {
  if (stored.lastWrite?.importId !== ctx.importId || stored.lastWrite.line < row.line) return undefined;
  const created = stored.createdBy?.importId === ctx.importId && stored.createdBy.line === row.line;
  return { kind: created ? 'imported' : 'merged', contact: stored, write: false, joinsList: false };
};

/**
 * Merges one valid row into what is stored. A later row fills in the fields it has (an empty
 * cell erases nothing) and keeps the earliest consent unless it brings its own, which then
 * becomes current and the old one moves to the history. An erased contact's tombstone
 * refuses the row: the person asked to be forgotten, and an import must not bring them back.
 */
export const mergeRow = (stored: StoredContact, row: ContactRow, ctx: MergeContext): MergeOutcome => {
  if (stored === 'erased') {
    return {
      kind: 'rejected',
      rejection: {
        line: row.line,
        reason: 'erased',
        message: 'this person asked to be erased; the address is suppressed and cannot be imported again',
      },
    };
  }
  if (!stored) return newContact(row, ctx);
  return alreadyApplied(stored, row, ctx) ?? mergeInto(stored, row, ctx);
};
