import { ConflictError, NotFoundError } from '#platform/errors';
import type { ContactStore, ContactWrite } from './contact-store';
import type { ListStore } from './list-store';
import type { ContactList } from './schema';

export interface ListDeps {
  contacts: ContactStore;
  lists: ListStore;
  clock: () => Date;
  newId: () => string;
}

/**
 * A contact's memberships are erased in one transaction (two actions per list), so a partner
 * keeps at most this many lists.
 */
export const MAX_LISTS = 40;

export const createList = async (deps: ListDeps, partnerId: string, name: string): Promise<ContactList> => {
  const existing = await deps.lists.page(partnerId, MAX_LISTS);
  if (existing.items.length >= MAX_LISTS) throw new ConflictError(`a partner has at most ${MAX_LISTS} lists`);
  const now = deps.clock().toISOString();
  const list: ContactList = {
    id: deps.newId(),
    name,
    memberCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.lists.create(partnerId, list);
  return list;
};

export const getList = async (deps: ListDeps, partnerId: string, listId: string): Promise<ContactList> => {
  const list = await deps.lists.get(partnerId, listId);
  if (!list) throw new NotFoundError('not found');
  return list;
};

export const renameList = async (
  deps: ListDeps,
  partnerId: string,
  listId: string,
  expectedVersion: number,
  name: string,
): Promise<ContactList> => {
  await getList(deps, partnerId, listId);
  return deps.lists.rename(partnerId, listId, expectedVersion, name, deps.clock().toISOString());
};

/** Adds contacts (of this partner) to a list; ids that are not the partner's contacts are reported. */
export const addMembers = async (
  deps: ListDeps,
  partnerId: string,
  listId: string,
  contactIds: readonly string[],
) => {
  const list = await getList(deps, partnerId, listId);
  const found = await deps.contacts.getMany(partnerId, contactIds);
  const notFound: string[] = [];
  const writes: ContactWrite[] = [];
  let alreadyMembers = 0;
  for (const [id, stored] of found) {
    if (!stored || stored === 'erased') notFound.push(id);
    else if (stored.lists.includes(listId)) alreadyMembers += 1;
    else {
      const contact = { ...stored, lists: [...stored.lists, listId], version: stored.version + 1 };
      writes.push({ contact, previous: stored });
    }
  }
  await deps.contacts.write(partnerId, writes, list);
  return { added: writes.length, alreadyMembers, notFound };
};

/**
 * Takes a contact off a list. Idempotent: a contact that is not on the list leaves it as it
 * is. An unknown list or contact is a NotFoundError (another partner's are unknown too).
 */
export const removeMember = async (
  deps: ListDeps,
  partnerId: string,
  listId: string,
  contactId: string,
): Promise<ContactList> => {
  const list = await getList(deps, partnerId, listId);
  const contact = await deps.contacts.get(partnerId, contactId);
  if (!contact) throw new NotFoundError('not found');
  if (!contact.lists.includes(listId)) return list;
  return deps.contacts.leave(partnerId, contact, list);
};
