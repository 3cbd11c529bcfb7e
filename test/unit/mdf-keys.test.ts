import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  allFunds,
  fundIndexKeys,
  fundKey,
  fundSlotKey,
  fundsOfPartner,
  requestIndexKeys,
  requestKey,
  requestQueue,
  requestsOfPartner,
} from '#functions/mdf/keys';
import { createDocumentClient } from '#platform/dynamo';
import { UnavailableError } from '#platform/errors';
import { Table, TransactionConflictError, updateActionParams } from '#platform/table';

describe('MDF keys', () => {
  it('keys funds by id, with a slot per partner, period and currency', () => {
    expect(fundKey('01F')).toEqual({ pk: 'MDF_FUND#01F', sk: 'FUND' });
    expect(fundSlotKey('northwind', '2026-Q4', 'USD')).toEqual({
      pk: 'PARTNER#northwind',
      sk: 'MDF_FUND_SLOT#2026-Q4#USD',
    });
    expect(fundIndexKeys({ id: '01F', partnerId: 'northwind', period: '2026-Q4', currency: 'USD' })).toEqual({
      gsi1pk: 'PARTNER#northwind',
      gsi1sk: 'MDF_FUND#2026-Q4#USD#01F',
      gsi2pk: 'MDF_FUNDS',
      gsi2sk: 'PERIOD#2026-Q4#northwind#USD#01F',
    });
  });

  it('queries funds of a partner or of everyone, optionally of one period', () => {
    expect(fundsOfPartner('northwind')).toEqual({
      index: 'gsi1',
      partition: 'PARTNER#northwind',
      prefix: 'MDF_FUND#',
    });
    expect(fundsOfPartner('northwind', 'FY2027')).toEqual({
      index: 'gsi1',
      partition: 'PARTNER#northwind',
      prefix: 'MDF_FUND#FY2027#',
    });
    expect(allFunds()).toEqual({ index: 'gsi2', partition: 'MDF_FUNDS', prefix: 'PERIOD#' });
    expect(allFunds('2026-Q4')).toEqual({ index: 'gsi2', partition: 'MDF_FUNDS', prefix: 'PERIOD#2026-Q4#' });
  });

  it('orders requests submitted first, then by age, in both indexes', () => {
    const at = '2026-11-01T10:00:00.000Z';
    expect(requestKey('01R')).toEqual({ pk: 'MDF_REQUEST#01R', sk: 'REQUEST' });
    expect(requestIndexKeys({ id: '01R', partnerId: 'globex', status: 'submitted', createdAt: at })).toEqual({
      gsi1pk: 'PARTNER#globex',
      gsi1sk: `MDF_REQUEST#0-SUBMITTED#${at}#01R`,
      gsi2pk: 'MDF_REQUESTS',
      gsi2sk: `0-SUBMITTED#${at}#01R`,
    });
    const sortKeys = (['withdrawn', 'approved', 'submitted', 'rejected'] as const).map(
      (status) => requestIndexKeys({ id: '01R', partnerId: 'p', status, createdAt: at }).gsi2sk,
    );
    expect([...sortKeys].sort()[0]).toBe(`0-SUBMITTED#${at}#01R`);
    expect(requestsOfPartner('globex', 'approved')).toEqual({
      index: 'gsi1',
      partition: 'PARTNER#globex',
      prefix: 'MDF_REQUEST#1-APPROVED#',
    });
    expect(requestQueue()).toEqual({ index: 'gsi2', partition: 'MDF_REQUESTS' });
    expect(requestQueue('submitted')).toEqual({
      index: 'gsi2',
      partition: 'MDF_REQUESTS',
      prefix: '0-SUBMITTED#',
    });
  });
});

describe('Table.transact update actions', () => {
  it('builds SET, ADD and a condition from the version and comparisons', () => {
    expect(
      updateActionParams({
        set: { updatedAt: 'T', skipped: undefined },
        add: { committedMinor: 500, remainingMinor: -500 },
        ifVersion: 3,
        when: [{ attribute: 'remainingMinor', op: '>=', value: 500 }],
      }),
    ).toEqual({
      UpdateExpression: 'SET #s0 = :s0, #version = #version + :one ADD #a0 :a0, #a1 :a1',
      ConditionExpression: 'attribute_exists(#pk) AND #version = :expected AND #w0 >= :w0',
      ExpressionAttributeNames: {
        '#version': 'version',
        '#pk': 'pk',
        '#s0': 'updatedAt',
        '#a0': 'committedMinor',
        '#a1': 'remainingMinor',
        '#w0': 'remainingMinor',
      },
      ExpressionAttributeValues: {
        ':one': 1,
        ':s0': 'T',
        ':a0': 500,
        ':a1': -500,
        ':expected': 3,
        ':w0': 500,
      },
    });
  });

  it('with nothing but the key, only bumps the version of an existing item', () => {
    expect(updateActionParams({})).toEqual({
      UpdateExpression: 'SET #version = #version + :one',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#version': 'version', '#pk': 'pk' },
      ExpressionAttributeValues: { ':one': 1 },
    });
  });

  describe('faults', () => {
    const mock = mockClient(DynamoDBDocumentClient);
    const table = new Table(
      createDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' }),
      'faults',
    );
    beforeEach(() => mock.reset());
    const cancelled = (codes: string[]) =>
      new TransactionCanceledException({
        $metadata: {},
        message: 'cancelled',
        CancellationReasons: codes.map((Code) => ({ Code })),
      });

    it('names which actions failed their condition', async () => {
      mock.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));
      const error = await table
        .transact([
          { update: { pk: 'A', sk: 'B' }, add: { n: 1 } },
          { check: { pk: 'C', sk: 'D' }, equals: { s: 'x' } },
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransactionConflictError);
      expect(error).toMatchObject({ status: 409, failed: [1] });
    });

    it('sends the update action as an Update of the transaction', async () => {
      mock.on(TransactWriteCommand).resolves({});
      await table.transact([
        { update: { pk: 'A', sk: 'B' }, add: { n: -2 }, when: [{ attribute: 'n', op: '>=', value: 2 }] },
      ]);
      expect(mock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toEqual([
        {
          Update: {
            TableName: 'faults',
            Key: { pk: 'A', sk: 'B' },
            ...updateActionParams({ add: { n: -2 }, when: [{ attribute: 'n', op: '>=', value: 2 }] }),
          },
        },
      ]);
    });

    it('treats a transaction conflict on a hot item as busy (503), not as a failed condition', async () => {
      mock.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict']));
      await expect(table.transact([{ update: { pk: 'A', sk: 'B' } }])).rejects.toBeInstanceOf(
        UnavailableError,
      );
    });
  });
});
