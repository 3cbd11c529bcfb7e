import { ConditionalCheckFailedException, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#platform/dynamo';
import { ConflictError, NotFoundError, PreconditionFailedError, UnavailableError } from '#platform/errors';
import { Table } from '#platform/table';

// Fault injection only: the happy paths run against DynamoDB Local (test/integration/table.test.ts).
const doc = createDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
const mock = mockClient(DynamoDBDocumentClient);
const table = new Table(doc, 'faults');
const item = { pk: 'A', sk: 'B', type: 't', version: 1 };

const throttled = () =>
  new DynamoDBServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: {},
    message: 'slow down',
  });

beforeEach(() => {
  mock.reset();
});

describe('Table error translation', () => {
  it('turns throttling that outlasted the SDK retries into a 503 UnavailableError', async () => {
    mock.on(QueryCommand).rejects(throttled());
    await expect(table.query({ partition: 'A', limit: 1 })).rejects.toBeInstanceOf(UnavailableError);
  });

  it('turns a failed create condition into a ConflictError', async () => {
    mock.on(PutCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'exists' }));
    await expect(table.create(item)).rejects.toBeInstanceOf(ConflictError);
  });

  it('tells a stale version (item returned) from a missing item on update', async () => {
    mock
      .on(UpdateCommand)
      .rejectsOnce(
        new ConditionalCheckFailedException({ $metadata: {}, message: 'x', Item: { version: { N: '3' } } }),
      )
      .rejectsOnce(new ConditionalCheckFailedException({ $metadata: {}, message: 'x' }));
    await expect(table.update({ pk: 'A', sk: 'B' }, 1, { a: 1 })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(table.update({ pk: 'A', sk: 'B' }, 1, { a: 1 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('writes the optimistic-concurrency condition and bumps the version', async () => {
    mock.on(UpdateCommand).resolves({ Attributes: { ...item, version: 2 } });
    await table.update({ pk: 'A', sk: 'B' }, 1, { colour: 'red', skipped: undefined });
    expect(mock.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'SET #f0 = :v0, #version = #version + :one',
      ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
      ExpressionAttributeNames: { '#version': 'version', '#f0': 'colour' },
      ExpressionAttributeValues: { ':expected': 1, ':one': 1, ':v0': 'red' },
    });
  });
});
