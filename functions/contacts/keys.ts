import type { IndexKeys, ItemKey } from '#platform/table';

/**
 * Contacts, lists, imports and suppressions: keys as pure functions (exact-value tests in
 * test/unit/contacts-keys.test.ts). Rows for the access-pattern table in
 * functions/platform/table-definition.ts (only the existing table, gsi1 and gsi2):
 *
 * | access pattern                                   | index | key condition                                                   |
 * | ------------------------------------------------ | ----- | --------------------------------------------------------------- |
 * | get a partner's contact (by id = hash of email)   | table | pk = PARTNER#<pid>, sk = CONTACT#<contactId>                     |
 * | a partner's contacts by email / email prefix      | gsi1  | gsi1pk = PARTNER#<pid>#CONTACTS, gsi1sk begins_with <prefix>     |
 * | get a partner's list                              | table | pk = PARTNER#<pid>, sk = LIST#<listId>                           |
 * | a partner's lists, oldest first                   | table | pk = PARTNER#<pid>, sk begins_with LIST#                         |
 * | a list's members (page), by contact id            | table | pk = PARTNER#<pid>, sk begins_with MEMBER#<listId>#              |
 * | get an import job                                 | table | pk = PARTNER#<pid>, sk = IMPORT#<importId>                       |
 * | a partner's import jobs, newest first             | table | pk = PARTNER#<pid>, sk begins_with IMPORT# (descending)          |
 * | is an address suppressed (global / for a partner) | table | pk = SUPPRESSION#<email>, sk = GLOBAL or PARTNER#<pid>           |
 * | a partner's suppressions by email                 | gsi1  | gsi1pk = PARTNER#<pid>#SUPPRESSIONS (sorted by gsi1sk = email)  |
 * | global suppressions (platform) by email           | gsi1  | gsi1pk = SUPPRESSIONS#GLOBAL (sorted by gsi1sk = email)         |
 *
 * Contact ids are derived from the normalised address (see contactIdOf in email.ts), so an
 * import merges a duplicate with one GetItem and no lookup index. Suppressions live in a
 * partition per address, not in one global partition: every read is a GetItem (BatchGet-able),
 * and no single partition takes every bounce and unsubscribe of the platform.
 */
const partnerPk = (partnerId: string) => `PARTNER#${partnerId}`;

export const contactKey = (partnerId: string, contactId: string): ItemKey => ({
  pk: partnerPk(partnerId),
  sk: `CONTACT#${contactId}`,
});

export const contactIndexKeys = (
  partnerId: string,
  email: string,
): Required<Pick<IndexKeys, 'gsi1pk' | 'gsi1sk'>> => ({
  gsi1pk: `${partnerPk(partnerId)}#CONTACTS`,
  gsi1sk: email,
});

/** Contacts by email prefix (normalised like the stored address); DynamoDB refuses an empty begins_with. */
export const contactsByEmail = (partnerId: string, prefix: string) =>
  ({
    index: 'gsi1',
    partition: `${partnerPk(partnerId)}#CONTACTS`,
    prefix: prefix === '' ? undefined : prefix,
  }) as const;

export const listKey = (partnerId: string, listId: string): ItemKey => ({
  pk: partnerPk(partnerId),
  sk: `LIST#${listId}`,
});

export const listsOf = (partnerId: string) => ({ partition: partnerPk(partnerId), prefix: 'LIST#' }) as const;

export const memberKey = (partnerId: string, listId: string, contactId: string): ItemKey => ({
  pk: partnerPk(partnerId),
  sk: `MEMBER#${listId}#${contactId}`,
});

export const membersOf = (partnerId: string, listId: string) =>
  ({ partition: partnerPk(partnerId), prefix: `MEMBER#${listId}#` }) as const;

export const importKey = (partnerId: string, importId: string): ItemKey => ({
  pk: partnerPk(partnerId),
  sk: `IMPORT#${importId}`,
});

export const importsOf = (partnerId: string) =>
  ({ partition: partnerPk(partnerId), prefix: 'IMPORT#', newestFirst: true }) as const;

/** The uploaded CSV of an import, private (outside the public `assets/` prefix). */
export const importBlobKey = (partnerId: string, importId: string): string =>
  `imports/${partnerId}/${importId}.csv`;

export type SuppressionScope = { scope: 'global' } | { scope: 'partner'; partnerId: string };

export const suppressionKey = (email: string, where: SuppressionScope): ItemKey => ({
  pk: `SUPPRESSION#${email}`,
  sk: where.scope === 'global' ? 'GLOBAL' : partnerPk(where.partnerId),
});

export const suppressionIndexKeys = (
  email: string,
  where: SuppressionScope,
): Required<Pick<IndexKeys, 'gsi1pk' | 'gsi1sk'>> => ({
  gsi1pk: where.scope === 'global' ? 'SUPPRESSIONS#GLOBAL' : `${partnerPk(where.partnerId)}#SUPPRESSIONS`,
  gsi1sk: email,
});

export const suppressionsOf = (where: SuppressionScope) =>
  ({
    index: 'gsi1',
    partition:
      where.scope === 'global' ? 'SUPPRESSIONS#GLOBAL' : `${partnerPk(where.partnerId)}#SUPPRESSIONS`,
  }) as const;
