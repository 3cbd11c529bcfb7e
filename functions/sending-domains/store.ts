import type { Table } from '#platform/table';
import { domainClaimKey, sendingDomainKey } from './keys';
import { type StoredSendingDomain, storedSendingDomainSchema } from './schema';

export interface SendingDomainStore {
  get(partnerId: string): Promise<StoredSendingDomain | undefined>;
  /** The partner that claimed the domain, if any. */
  claimOwner(domain: string): Promise<string | undefined>;
  /** The partner's item and the domain's claim, both or neither; either existing is a ConflictError. */
  create(domain: StoredSendingDomain): Promise<void>;
  /** Optimistic update (PreconditionFailedError when the version moved, NotFoundError when gone). */
  update(
    partnerId: string,
    expectedVersion: number,
    changes: Partial<Omit<StoredSendingDomain, 'partnerId' | 'domain' | 'version'>>,
  ): Promise<StoredSendingDomain>;
  /** Deletes the partner's item and the domain's claim together. */
  remove(partnerId: string, domain: string): Promise<void>;
}

export const sendingDomainStore = (
  table: Pick<Table, 'get' | 'update' | 'transact'>,
): SendingDomainStore => ({
  async get(partnerId) {
    const found = await table.get(sendingDomainKey(partnerId));
    return found ? storedSendingDomainSchema.parse(found) : undefined;
  },
  async claimOwner(domain) {
    const found = await table.get(domainClaimKey(domain));
    return typeof found?.partnerId === 'string' ? found.partnerId : undefined;
  },
  create: (domain) =>
    table.transact([
      { put: { ...sendingDomainKey(domain.partnerId), type: 'sending-domain', ...domain }, ifAbsent: true },
      {
        put: {
          ...domainClaimKey(domain.domain),
          type: 'sending-domain-claim',
          partnerId: domain.partnerId,
          domain: domain.domain,
          version: 1,
        },
        ifAbsent: true,
      },
    ]),
  async update(partnerId, expectedVersion, changes) {
    return storedSendingDomainSchema.parse(
      await table.update(sendingDomainKey(partnerId), expectedVersion, changes),
    );
  },
  remove: (partnerId, domain) =>
    table.transact([{ delete: sendingDomainKey(partnerId) }, { delete: domainClaimKey(domain) }]),
});
