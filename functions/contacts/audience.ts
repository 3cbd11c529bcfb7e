import type { Table } from '#platform/table';
import { listStore } from './list-store';

export interface AudienceMember {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
}

export interface AudiencePage {
  items: AudienceMember[];
  nextCursor: string | null;
}

/**
 * The sender's view of a list: one Query per page over the list's member items, which carry
 * the fields a send needs. Members may be suppressed: the sender filters each page with
 * suppressionStore(table).suppressedAmong (≤ 100 addresses per call, so pages of ≤ 100).
 * The partner id comes from the campaign, which the sender loaded under the partner's key.
 */
export const audience = (table: Table) => {
  const lists = listStore(table);
  return {
    async listMembersPage(
      partnerId: string,
      listId: string,
      page: { limit: number; cursor?: string | undefined },
    ): Promise<AudiencePage> {
      const limit = Math.min(Math.max(1, Math.trunc(page.limit)), 100);
      const found = await lists.members(partnerId, listId, limit, page.cursor);
      return {
        items: found.items.map(({ email, firstName, lastName, company }) => ({
          email,
          firstName,
          lastName,
          company,
        })),
        nextCursor: found.nextCursor,
      };
    },
  };
};
