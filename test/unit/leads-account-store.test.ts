import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { accountKeyConfigFrom } from '#functions/leads/account-key-ids';
import { defaultAccountKeyConfig } from '#functions/leads/account-keys';
import {
  accountHashItemKeys,
  allSummaries,
  hashesOf,
  listsHolding,
  ownerKey,
  parseListSk,
  rawListBlobKey,
  summaryIndexKeys,
  summaryKey,
  uploadHashesBlobKey,
} from '#functions/leads/account-list-keys';
import { accountListMessageSchema } from '#functions/leads/account-list-schema';
import { diffHashes, parseAccountListMessage } from '#functions/leads/account-list-worker';
import { matchesFrom } from '#functions/leads/account-store';
import { createDocumentClient } from '#platform/dynamo';
import { UnavailableError } from '#platform/errors';
import { Table } from '#platform/table';

const hash = 'AAAAAAAAAAAAAAAAAAAAAA';
const northwind = { partnerId: 'northwind' };

describe('account-list keys', () => {
  it('stores a hash under its list, and indexes it by key id and hash for the EQL lookup', () => {
    expect(accountHashItemKeys(northwind, 'customer', { kid: 'a1', hash })).toEqual({
      pk: 'ACCOUNTS#PARTNER#northwind#customer',
      sk: `H#a1#${hash}`,
      gsi1pk: `ACCT#a1#${hash}`,
      gsi1sk: 'PARTNER#northwind#customer',
    });
    expect(accountHashItemKeys('vendor', 'opportunity', { kid: 'a2', hash })).toEqual({
      pk: 'ACCOUNTS#VENDOR#opportunity',
      sk: `H#a2#${hash}`,
      gsi1pk: `ACCT#a2#${hash}`,
      gsi1sk: 'VENDOR#opportunity',
    });
  });

  it('reads a list by prefix and a hash by its gsi1 partition', () => {
    expect(hashesOf(northwind, 'opportunity')).toEqual({
      partition: 'ACCOUNTS#PARTNER#northwind#opportunity',
      prefix: 'H#',
    });
    expect(listsHolding({ kid: 'a1', hash })).toEqual({ index: 'gsi1', partition: `ACCT#a1#${hash}` });
  });

  it('keeps one summary per owner and kind, beside its hashes, and all of them on gsi2', () => {
    expect(summaryKey(northwind, 'customer')).toEqual({
      pk: 'ACCOUNTS#PARTNER#northwind#customer',
      sk: 'SUMMARY',
    });
    expect(summaryIndexKeys('vendor', 'customer')).toEqual({
      gsi2pk: 'ACCOUNT_LISTS',
      gsi2sk: 'VENDOR#customer',
    });
    expect(allSummaries()).toEqual({ index: 'gsi2', partition: 'ACCOUNT_LISTS' });
  });

  it('never lets a partner id pass for the vendor', () => {
    expect(ownerKey({ partnerId: 'VENDOR' })).toBe('PARTNER#VENDOR');
    expect(ownerKey('vendor')).toBe('VENDOR');
    expect(parseListSk('PARTNER#VENDOR#customer')).toEqual({
      owner: { partnerId: 'VENDOR' },
      kind: 'customer',
    });
  });

  it('splits a list sort key back into owner and kind, and refuses anything else', () => {
    expect(parseListSk('VENDOR#opportunity')).toEqual({ owner: 'vendor', kind: 'opportunity' });
    expect(parseListSk('PARTNER#globex#customer')).toEqual({
      owner: { partnerId: 'globex' },
      kind: 'customer',
    });
    for (const bad of ['VENDOR#lead', 'PARTNER##customer', 'PARTNER#a#b#customer', 'OTHER#customer', '']) {
      expect(parseListSk(bad), bad).toBeUndefined();
    }
  });

  it('keeps raw files under account-lists/ and the worker’s hashes under imports/, apart from contact imports', () => {
    expect(rawListBlobKey(northwind, 'customer')).toBe('account-lists/partners/northwind/customer.csv');
    expect(rawListBlobKey('vendor', 'opportunity')).toBe('account-lists/vendor/opportunity.csv');
    expect(uploadHashesBlobKey(northwind, 'customer', '01JAAAAAAAAAAAAAAAAAAAAAAA')).toBe(
      'imports/account-lists/partners/northwind/customer/01JAAAAAAAAAAAAAAAAAAAAAAA.json',
    );
  });
});

describe('diffHashes', () => {
  it('adds what the upload has and the table lacks, and removes what the upload dropped', () => {
    const target = new Map([
      ['H#a1#keep', { kid: 'a1', hash: 'keep' }],
      ['H#a1#new', { kid: 'a1', hash: 'new' }],
    ]);
    expect(diffHashes(target, new Set(['H#a1#keep', 'H#a1#gone', 'H#a0#keep']))).toEqual({
      add: [{ kid: 'a1', hash: 'new' }],
      remove: ['H#a1#gone', 'H#a0#keep'],
    });
  });

  it('finds nothing to do once the table matches', () => {
    const target = new Map([['H#a1#x', { kid: 'a1', hash: 'x' }]]);
    expect(diffHashes(target, new Set(['H#a1#x']))).toEqual({ add: [], remove: [] });
    expect(diffHashes(new Map(), new Set())).toEqual({ add: [], remove: [] });
  });
});

describe('matchesFrom', () => {
  it('folds the lists holding an account into vendor flags and partner overlaps', () => {
    expect(
      matchesFrom([
        { owner: 'vendor', kind: 'opportunity' },
        { owner: { partnerId: 'globex' }, kind: 'opportunity' },
        { owner: { partnerId: 'globex' }, kind: 'customer' },
        { owner: { partnerId: 'northwind' }, kind: 'customer' },
      ]),
    ).toEqual({
      vendor: { isCustomer: false, isOpportunity: true },
      partnerOverlaps: [
        { partnerId: 'globex', kinds: ['customer', 'opportunity'] },
        { partnerId: 'northwind', kinds: ['customer'] },
      ],
    });
    expect(matchesFrom([])).toEqual({
      vendor: { isCustomer: false, isOpportunity: false },
      partnerOverlaps: [],
    });
  });
});

describe('accountKeyConfigFrom (ACCOUNT_KEY_IDS)', () => {
  it('defaults to the single default key', () => {
    expect(accountKeyConfigFrom(undefined)).toEqual(defaultAccountKeyConfig);
    expect(accountKeyConfigFrom(' ')).toEqual(defaultAccountKeyConfig);
  });

  it('takes the primary first, then keys stored lists may still use', () => {
    expect(accountKeyConfigFrom('a2, a1')).toEqual({ primary: 'a2', active: ['a2', 'a1'] });
  });

  it('refuses ids that are not short alphanumerics, and too many keys', () => {
    expect(() => accountKeyConfigFrom('a#1')).toThrow(/ACCOUNT_KEY_IDS/);
    expect(() => accountKeyConfigFrom('a1,a2,a3,a4,a5')).toThrow(/ACCOUNT_KEY_IDS/);
  });
});

describe('account-list queue messages', () => {
  it('recognises its own messages and leaves contact imports to their worker', () => {
    const apply = { type: 'account-lists.apply', partnerId: null, kind: 'customer', uploadId: 'u1' };
    expect(parseAccountListMessage(JSON.stringify(apply))).toEqual(apply);
    expect(
      parseAccountListMessage(JSON.stringify({ type: 'contacts.import', partnerId: 'p1', importId: 'i1' })),
    ).toBeUndefined();
    expect(parseAccountListMessage('not json')).toBeUndefined();
    expect(
      accountListMessageSchema.safeParse({ type: 'account-lists.overlap', partnerId: null, kind: 'customer' })
        .success,
    ).toBe(false);
  });
});

// Fault injection only: the happy path runs against DynamoDB Local (test/integration/account-lists.test.ts).
describe('Table.batchWrite', () => {
  const doc = createDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
  const mock = mockClient(DynamoDBDocumentClient);
  const table = new Table(doc, 'faults');
  const puts = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ put: { pk: 'P', sk: `S${i}`, type: 't', version: 1 } }));
  beforeEach(() => mock.reset());

  it('writes 25 requests a call', async () => {
    mock.on(BatchWriteCommand).resolves({});
    await table.batchWrite(puts(60), { concurrency: 1 });
    const sizes = mock
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.faults?.length);
    expect(sizes).toEqual([25, 25, 10]);
  });

  it('retries the items DynamoDB leaves unprocessed until none are left', async () => {
    const leftOver = [{ PutRequest: { Item: { pk: 'P', sk: 'S3', type: 't', version: 1 } } }];
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { faults: leftOver } })
      .resolves({});
    await table.batchWrite([...puts(5), { delete: { pk: 'P', sk: 'D1' } }]);
    const calls = mock.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems?.faults);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toContainEqual({ DeleteRequest: { Key: { pk: 'P', sk: 'D1' } } });
    expect(calls[1]).toEqual(leftOver);
  });

  it('gives up with a 503 when DynamoDB keeps leaving items unprocessed', async () => {
    vi.useFakeTimers();
    try {
      const stuck = [{ DeleteRequest: { Key: { pk: 'P', sk: 'S0' } } }];
      mock.on(BatchWriteCommand).resolves({ UnprocessedItems: { faults: stuck } });
      const outcome = expect(table.batchWrite([{ delete: { pk: 'P', sk: 'S0' } }])).rejects.toBeInstanceOf(
        UnavailableError,
      );
      await vi.runAllTimersAsync();
      await outcome;
      expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(9);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses two requests for one item before calling DynamoDB', async () => {
    await expect(table.batchWrite([...puts(2), { delete: { pk: 'P', sk: 'S1' } }])).rejects.toThrow(
      /one item twice/,
    );
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });
});
