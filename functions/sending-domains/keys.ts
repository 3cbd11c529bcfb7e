import type { ItemKey } from '#platform/table';

/**
 * Partner sending domains: keys as pure functions (exact-value tests in
 * test/unit/sending-domains.test.ts). Rows for the access-pattern table in
 * functions/platform/table-definition.ts:
 *
 * | access pattern                                | index | key condition                                  |
 * | --------------------------------------------- | ----- | ---------------------------------------------- |
 * | a partner's sending domain (one per partner)  | table | pk = PARTNER#<pid>, sk = SENDING_DOMAIN         |
 * | which partner claimed a domain                | table | pk = SENDING_DOMAIN#<domain>, sk = CLAIM        |
 *
 * SES identities are account-wide, so the claim item (written in the same transaction as the
 * partner's item) is what keeps two partners from registering, and then sending as, one domain.
 */
export const sendingDomainKey = (partnerId: string): ItemKey => ({
  pk: `PARTNER#${partnerId}`,
  sk: 'SENDING_DOMAIN',
});

export const domainClaimKey = (domain: string): ItemKey => ({
  pk: `SENDING_DOMAIN#${domain}`,
  sk: 'CLAIM',
});
