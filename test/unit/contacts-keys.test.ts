import { describe, expect, it } from 'vitest';
import {
  contactIndexKeys,
  contactKey,
  contactsByEmail,
  importBlobKey,
  importKey,
  importsOf,
  listKey,
  listsOf,
  memberKey,
  membersOf,
  suppressionIndexKeys,
  suppressionKey,
  suppressionsOf,
} from '#functions/contacts/keys';

describe('contact keys', () => {
  it('keeps contacts, lists, members and imports in the partner’s partition', () => {
    expect(contactKey('northwind', 'abc')).toEqual({ pk: 'PARTNER#northwind', sk: 'CONTACT#abc' });
    expect(contactIndexKeys('northwind', 'ann@x.io')).toEqual({
      gsi1pk: 'PARTNER#northwind#CONTACTS',
      gsi1sk: 'ann@x.io',
    });
    expect(contactsByEmail('northwind', 'an')).toEqual({
      index: 'gsi1',
      partition: 'PARTNER#northwind#CONTACTS',
      prefix: 'an',
    });
    expect(contactsByEmail('northwind', '')).toEqual({
      index: 'gsi1',
      partition: 'PARTNER#northwind#CONTACTS',
      prefix: undefined,
    });
    expect(listKey('northwind', 'L1')).toEqual({ pk: 'PARTNER#northwind', sk: 'LIST#L1' });
    expect(listsOf('northwind')).toEqual({ partition: 'PARTNER#northwind', prefix: 'LIST#' });
    expect(memberKey('northwind', 'L1', 'abc')).toEqual({ pk: 'PARTNER#northwind', sk: 'MEMBER#L1#abc' });
    expect(membersOf('northwind', 'L1')).toEqual({ partition: 'PARTNER#northwind', prefix: 'MEMBER#L1#' });
    expect(importKey('northwind', 'I1')).toEqual({ pk: 'PARTNER#northwind', sk: 'IMPORT#I1' });
    expect(importsOf('northwind')).toEqual({
      partition: 'PARTNER#northwind',
      prefix: 'IMPORT#',
      newestFirst: true,
    });
    expect(importBlobKey('northwind', 'I1')).toBe('imports/northwind/I1.csv');
  });

  it('keeps suppressions in a partition per address, one item per scope', () => {
    const partner = { scope: 'partner', partnerId: 'globex' } as const;
    expect(suppressionKey('ann@x.io', { scope: 'global' })).toEqual({
      pk: 'SUPPRESSION#ann@x.io',
      sk: 'GLOBAL',
    });
    expect(suppressionKey('ann@x.io', partner)).toEqual({ pk: 'SUPPRESSION#ann@x.io', sk: 'PARTNER#globex' });
    expect(suppressionIndexKeys('ann@x.io', partner)).toEqual({
      gsi1pk: 'PARTNER#globex#SUPPRESSIONS',
      gsi1sk: 'ann@x.io',
    });
    expect(suppressionIndexKeys('ann@x.io', { scope: 'global' })).toEqual({
      gsi1pk: 'SUPPRESSIONS#GLOBAL',
      gsi1sk: 'ann@x.io',
    });
    expect(suppressionsOf(partner)).toEqual({ index: 'gsi1', partition: 'PARTNER#globex#SUPPRESSIONS' });
  });
});
