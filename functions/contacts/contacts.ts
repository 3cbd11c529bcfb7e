import { ConflictError, NotFoundError, ValidationError } from '#platform/errors';
import type { ContactStore } from './contact-store';
import { contactsCsv } from './csv-export';
import { normaliseEmail } from './email';
import type { ListStore } from './list-store';
import type { Contact, ContactList } from './schema';
import type { SuppressionStore } from './suppression';

export interface ContactUseCaseDeps {
  contacts: ContactStore;
  lists: ListStore;
  suppressions: SuppressionStore;
  clock: () => Date;
}

/** A synchronous export answers within the API's time and size limits; larger ones need the async export. */
export const MAX_EXPORT_ROWS = 50_000;
const PAGE = 100;

export const getContact = async ({ contacts }: ContactUseCaseDeps, partnerId: string, id: string) => {
  const contact = await contacts.get(partnerId, id);
  if (!contact) throw new NotFoundError('not found');
  return contact;
};

/** The search prefix is normalised like stored addresses (lower case), so `Ann@X` finds ann@x.com. */
export const searchContacts = (
  { contacts }: ContactUseCaseDeps,
  partnerId: string,
  query: { prefix?: string | undefined; limit: number; cursor?: string | undefined },
) => contacts.search(partnerId, (query.prefix ?? '').trim().toLowerCase(), query.limit, query.cursor);

const listsOfContact = async (
  lists: ListStore,
  partnerId: string,
  contact: Contact,
): Promise<ContactList[]> => {
  const found = await Promise.all(contact.lists.map((id) => lists.get(partnerId, id)));
  return found.filter((l): l is ContactList => l !== undefined);
};

/**
 * GDPR erasure. The contact and its list memberships go; what stays is (1) a partner
 * suppression of the address with reason `erasure`, so no send and no later import reaches the
 * person again (a suppression list is the minimal data needed to honour that), and (2) a
 * tombstone at the contact's key with no personal data, which an import recognises and refuses.
 * The suppression is written first: if the erasure then fails, the person is at least not mailed.
 */
export const eraseContact = async (
  deps: ContactUseCaseDeps,
  partnerId: string,
  id: string,
  requestedBy: string,
): Promise<void> => {
  const contact = await getContact(deps, partnerId, id);
  const now = deps.clock().toISOString();
  await deps.suppressions.suppress({
    scope: 'partner',
    partnerId,
    email: contact.email,
    reason: 'erasure',
    source: `erasure:${requestedBy}`,
    at: now,
  });
  const lists = await listsOfContact(deps.lists, partnerId, contact);
  await deps.contacts.erase(partnerId, contact, lists, now);
};

const tooLarge = () =>
  new ValidationError(`an export holds at most ${MAX_EXPORT_ROWS} contacts`, [
    { path: 'query.listId', message: `more than ${MAX_EXPORT_ROWS} contacts; export one list at a time` },
  ]);

const listContacts = async (deps: ContactUseCaseDeps, partnerId: string, listId: string) => {
  if (!(await deps.lists.get(partnerId, listId))) throw new NotFoundError('no such list');
  const out: Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.lists.members(partnerId, listId, PAGE, cursor);
    const found = await deps.contacts.getMany(
      partnerId,
      page.items.map((m) => m.contactId),
    );
    for (const c of found.values()) if (c && c !== 'erased') out.push(c);
    if (out.length > MAX_EXPORT_ROWS) throw tooLarge();
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
};

const allContacts = async (deps: ContactUseCaseDeps, partnerId: string) => {
  const out: Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.contacts.search(partnerId, '', PAGE, cursor);
    out.push(...page.items);
    if (out.length > MAX_EXPORT_ROWS) throw tooLarge();
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
};

/** Every contact of a list (or of the partner), as CSV with formula injection neutralised. */
export const exportContacts = async (
  deps: ContactUseCaseDeps,
  partnerId: string,
  listId: string | undefined,
): Promise<string> =>
  contactsCsv(listId ? await listContacts(deps, partnerId, listId) : await allContacts(deps, partnerId));

/** A partner's manual suppression of an address (idempotent). */
export const suppressManually = async (
  deps: ContactUseCaseDeps,
  partnerId: string,
  email: string,
  requestedBy: string,
) => {
  if (!normaliseEmail(email))
    throw new ValidationError('not an email', [{ path: 'body.email', message: 'invalid email' }]);
  const outcome = await deps.suppressions.record({
    scope: 'partner',
    partnerId,
    email,
    reason: 'manual',
    source: `user:${requestedBy}`,
    at: deps.clock().toISOString(),
  });
  const entries = await deps.suppressions.why(partnerId, email);
  const own = entries.find((s) => s.scope === 'partner');
  if (!own) throw new ConflictError('the suppression changed concurrently; retry');
  return { created: outcome === 'created', suppression: own };
};
