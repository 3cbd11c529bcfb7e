import type { Table } from '#platform/table';
import { listItem, parseList } from './contact-store';
import { listKey, listsOf, membersOf } from './keys';
import { type ContactList, type Member, memberSchema } from './schema';

export interface ListStore {
  get(partnerId: string, listId: string): Promise<ContactList | undefined>;
  create(partnerId: string, list: ContactList): Promise<void>;
  rename(
    partnerId: string,
    listId: string,
    expectedVersion: number,
    name: string,
    now: string,
  ): Promise<ContactList>;
  page(
    partnerId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: ContactList[]; nextCursor: string | null }>;
  members(
    partnerId: string,
    listId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Member[]; nextCursor: string | null }>;
}

export const listStore = (table: Table): ListStore => ({
  async get(partnerId, listId) {
    const item = await table.get(listKey(partnerId, listId));
    return item ? parseList(item) : undefined;
  },
  create: (partnerId, list) => table.create(listItem(partnerId, list)),
  async rename(partnerId, listId, expectedVersion, name, now) {
    return parseList(
      await table.update(listKey(partnerId, listId), expectedVersion, { name, updatedAt: now }),
    );
  },
  async page(partnerId, limit, cursor) {
    const page = await table.query({ ...listsOf(partnerId), limit, cursor });
    return { items: page.items.map(parseList), nextCursor: page.nextCursor };
  },
  async members(partnerId, listId, limit, cursor) {
    const page = await table.query({ ...membersOf(partnerId, listId), limit, cursor });
    return { items: page.items.map((item) => memberSchema.parse(item)), nextCursor: page.nextCursor };
  },
});
