import type { StoredItem, Table, TransactAction } from '#platform/table';
import { mapLimit } from './concurrency';
import { contactIndexKeys, contactKey, contactsByEmail, listKey, memberKey } from './keys';
import type { StoredContact } from './merge';
import { type Contact, type ContactList, contactSchema, listSchema, type Member } from './schema';

const CONTACT = 'contact';
const ERASED = 'contact-erased';
const READ_CONCURRENCY = 32;
/** TransactWriteItems takes 100 actions; one is kept for the list's counter. */
const MAX_ACTIONS = 99;

export const contactItem = (contact: Contact): StoredItem => ({
  ...contactKey(contact.partnerId, contact.id),
  ...contactIndexKeys(contact.partnerId, contact.email),
  type: CONTACT,
  ...contact,
});

export const listItem = (partnerId: string, list: ContactList): StoredItem => ({
  ...listKey(partnerId, list.id),
  type: 'contact-list',
  partnerId,
  ...list,
});

/** A list member carries the fields a send needs, so expanding an audience is one Query per page. */
export const memberOf = (contact: Contact): Member => ({
  contactId: contact.id,
  email: contact.email,
  firstName: contact.firstName,
  lastName: contact.lastName,
  company: contact.company,
});

const memberItem = (partnerId: string, listId: string, contact: Contact): StoredItem => ({
  ...memberKey(partnerId, listId, contact.id),
  type: 'list-member',
  version: 1,
  partnerId,
  listId,
  ...memberOf(contact),
});

const toStored = (item: Record<string, unknown> | undefined): StoredContact => {
  if (!item) return undefined;
  if (item.type === ERASED) return 'erased';
  return contactSchema.parse(item);
};

/** A contact to write: its new state, and what was stored before (undefined when new). */
export interface ContactWrite {
  contact: Contact;
  previous: Contact | undefined;
}

const summaryChanged = (a: Contact, b: Contact) =>
  a.email !== b.email || a.firstName !== b.firstName || a.lastName !== b.lastName || a.company !== b.company;

/** The contact's put (conditional on what was read) and the list-member copies it must refresh. */
const actionsFor = (partnerId: string, { contact, previous }: ContactWrite): TransactAction[] => {
  const put: TransactAction = previous
    ? { put: contactItem(contact), ifVersion: previous.version }
    : { put: contactItem(contact), ifAbsent: true };
  const refresh = (listId: string) =>
    previous === undefined || !previous.lists.includes(listId) || summaryChanged(previous, contact);
  const members = contact.lists
    .filter(refresh)
    .map((listId): TransactAction => ({ put: memberItem(partnerId, listId, contact) }));
  return [put, ...members];
};

export interface ContactStore {
  /** Reads many contacts at once (consistent reads); the map holds every id asked for. */
  getMany(partnerId: string, ids: readonly string[]): Promise<Map<string, StoredContact>>;
  get(partnerId: string, id: string): Promise<Contact | undefined>;
  search(
    partnerId: string,
    prefix: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Contact[]; nextCursor: string | null }>;
  /**
   * Writes contacts and their memberships, and moves `list`'s member count by the contacts
   * that join it, in transactions of at most 100 actions. Each transaction is conditional on
   * the versions read, so a concurrent change is a ConflictError (re-read and retry).
   * Returns the list as stored after the last transaction.
   */
  write(
    partnerId: string,
    writes: readonly ContactWrite[],
    list: ContactList | null,
  ): Promise<ContactList | null>;
  /** Replaces the contact by a tombstone without personal data and drops its memberships. */
  erase(partnerId: string, contact: Contact, lists: readonly ContactList[], now: string): Promise<void>;
  /**
   * Takes a member off a list in one transaction (the contact, its member copy, the list's
   * count), conditional on the versions read. Returns the list as stored after it.
   */
  leave(partnerId: string, contact: Contact, list: ContactList): Promise<ContactList>;
}

export const contactStore = (table: Table): ContactStore => ({
  async getMany(partnerId, ids) {
    const unique = [...new Set(ids)];
    const found = await mapLimit(unique, READ_CONCURRENCY, (id) => table.get(contactKey(partnerId, id)));
    return new Map(unique.map((id, i) => [id, toStored(found[i])]));
  },
  async get(partnerId, id) {
    const stored = toStored(await table.get(contactKey(partnerId, id)));
    return stored === 'erased' ? undefined : stored;
  },
  async search(partnerId, prefix, limit, cursor) {
    const page = await table.query({ ...contactsByEmail(partnerId, prefix), limit, cursor });
    return { items: page.items.map((item) => contactSchema.parse(item)), nextCursor: page.nextCursor };
  },
  async write(partnerId, writes, list) {
    let current = list;
    let batch: TransactAction[] = [];
    let joins = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const actions = [...batch];
      if (current && joins > 0) {
        const next: ContactList = {
          ...current,
          memberCount: current.memberCount + joins,
          version: current.version + 1,
        };
        actions.push({ put: listItem(partnerId, next), ifVersion: current.version });
        await table.transact(actions);
        current = next;
      } else {
        await table.transact(actions);
      }
      batch = [];
      joins = 0;
    };
    for (const write of writes) {
      const actions = actionsFor(partnerId, write);
      if (batch.length + actions.length > MAX_ACTIONS) await flush();
      batch.push(...actions);
      const joined = current !== null && write.contact.lists.includes(current.id);
      if (joined && !write.previous?.lists.includes(current?.id ?? '')) joins += 1;
    }
    await flush();
    return current;
  },
  async erase(partnerId, contact, lists, now) {
    const tombstone: StoredItem = {
      ...contactKey(partnerId, contact.id),
      type: ERASED,
      version: contact.version + 1,
      erasedAt: now,
    };
    const actions: TransactAction[] = [{ put: tombstone, ifVersion: contact.version }];
    for (const list of lists) {
      actions.push({ delete: memberKey(partnerId, list.id, contact.id) });
      const next = { ...list, memberCount: Math.max(0, list.memberCount - 1), version: list.version + 1 };
      actions.push({ put: listItem(partnerId, next), ifVersion: list.version });
    }
    await table.transact(actions);
  },
  async leave(partnerId, contact, list) {
    // Like joining a list (write), leaving one is not an edit of the person: updatedAt stays.
    const lists = contact.lists.filter((id) => id !== list.id);
    const next = { ...contact, lists, version: contact.version + 1 };
    const count = { ...list, memberCount: Math.max(0, list.memberCount - 1), version: list.version + 1 };
    await table.transact([
      { put: contactItem(next), ifVersion: contact.version },
      { delete: memberKey(partnerId, list.id, contact.id) },
      { put: listItem(partnerId, count), ifVersion: list.version },
    ]);
    return count;
  },
});

export const parseList = (item: Record<string, unknown>): ContactList => listSchema.parse(item);
