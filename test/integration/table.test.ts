import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '#platform/dynamo';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '#platform/errors';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { assertLocalEndpoint } from '#test/support/local-only';

const doc = createDocumentClient({
  region: 'us-east-1',
  endpoint: assertLocalEndpoint(inject('dynamoEndpoint')),
});
let table: Table;

beforeAll(async () => {
  const name = `table-${randomUUID()}`;
  expect(await ensureTable(doc, name)).toBe('created');
  expect(await ensureTable(doc, name)).toBe('existed');
  table = new Table(doc, name);
});
afterAll(() => doc.destroy());

const item = (id: string, extra: Record<string, unknown> = {}) => ({
  pk: `THING#${id}`,
  sk: 'A',
  gsi1pk: 'THINGS',
  gsi1sk: `T#${id}`,
  type: 'thing',
  version: 1,
  ...extra,
});

describe('Table on DynamoDB Local', () => {
  it('creates once; a second create is a conflict and putIfAbsent reports the existing item untouched', async () => {
    await table.create(item('1', { colour: 'red' }));
    await expect(table.create(item('1', { colour: 'blue' }))).rejects.toBeInstanceOf(ConflictError);
    expect(await table.putIfAbsent(item('1', { colour: 'green' }))).toBe('existed');
    expect(await table.putIfAbsent(item('2'))).toBe('created');
    expect((await table.get({ pk: 'THING#1', sk: 'A' }))?.colour).toBe('red');
  });

  it('updates only at the expected version, and tells a missing item from a stale one', async () => {
    const after = await table.update({ pk: 'THING#1', sk: 'A' }, 1, { colour: 'blue' });
    expect(after).toMatchObject({ colour: 'blue', version: 2 });
    await expect(table.update({ pk: 'THING#1', sk: 'A' }, 1, { colour: 'pink' })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(table.update({ pk: 'THING#404', sk: 'A' }, 1, { colour: 'pink' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await table.get({ pk: 'THING#1', sk: 'A' }))?.colour).toBe('blue');
  });

  it('pages through a GSI partition with cursors and refuses a cursor from another partition', async () => {
    for (const id of ['3', '4', '5']) await table.create(item(id));
    const seen: unknown[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i += 1) {
      const page = await table.query({ index: 'gsi1', partition: 'THINGS', prefix: 'T#', limit: 2, cursor });
      seen.push(...page.items.map((x) => x.gsi1sk));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['T#1', 'T#2', 'T#3', 'T#4', 'T#5']);
    const page = await table.query({ index: 'gsi1', partition: 'THINGS', limit: 1 });
    await expect(
      table.query({ index: 'gsi1', partition: 'OTHER', limit: 1, cursor: page.nextCursor ?? '' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('Table.getMany', () => {
  it('reads more than one batch of keys, in the order asked, with gaps for missing items', async () => {
    for (let i = 0; i < 130; i += 1) await table.putIfAbsent(item(`many-${i}`, { n: i }));
    const keys = Array.from({ length: 130 }, (_, i) => ({ pk: `THING#many-${129 - i}`, sk: 'A' }));
    const withMissing = [...keys.slice(0, 2), { pk: 'THING#nobody', sk: 'A' }, ...keys.slice(2)];
    const found = await table.getMany(withMissing);
    expect(found).toHaveLength(131);
    expect(found.slice(0, 3).map((x) => x?.n)).toEqual([129, 128, undefined]);
    expect(found.at(-1)?.n).toBe(0);
  });
});
