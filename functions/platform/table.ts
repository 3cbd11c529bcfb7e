import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  UnavailableError,
  ValidationError,
} from './errors';
import { type IndexName, tableDefinition } from './table-definition';

/**
 * The typed repository layer over lib-dynamodb that every feature's store uses.
 * Why not ElectroDB or dynamodb-toolbox: our keys are a handful of pure functions (keys.ts)
 * tested by exact value, and the few operations below cover what the features need with
 * conditions we can read; a modelling library would add a second vocabulary and ~100 KB to
 * the Lambda bundle for little gain. Feature stores parse what they read with their zod
 * stored-shape schema, so nothing untyped leaves this layer.
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

export interface IndexKeys {
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
}

/** What a store writes: keys, an entity type, the optimistic-concurrency version and its fields. */
export type StoredItem = ItemKey & IndexKeys & { type: string; version: number } & Record<string, unknown>;

/** One action of an all-or-nothing write (≤ 100 per call, no two on one item). */
export type TransactAction =
  | { put: StoredItem; ifAbsent?: boolean; ifVersion?: number }
  /** With `ifVersion`, deletes only if the stored item still has that version. */
  | { delete: ItemKey; ifVersion?: number }
  /** Writes nothing: the transaction goes through only if this item's attributes have these values. */
  | { check: ItemKey; equals: Record<string, string | number> }
  /**
   * Adds 1 to counters on an item, creating it if absent (type, TTL at `expiresAt`), only while
   * each `below` counter is still under its limit: rate limits checked in the same transaction
   * as the write they limit.
   */
  | {
      count: ItemKey;
      type: string;
      add: readonly string[];
      below: Readonly<Record<string, number>>;
      expiresAt: number;
    }
  /**
   * Adds signed deltas to numeric attributes atomically (DynamoDB `ADD`), creating the item (with
   * `type`) if absent; no condition and no version: running totals that concurrent writers move
   * together (report aggregates), made exactly-once by the other actions' conditions.
   */
  | { increment: ItemKey; type: string; add: Readonly<Record<string, number>> }
  /**
   * Changes an existing item in place and bumps its version: `set` replaces attributes, `add`
   * adds signed deltas atomically (no read-modify-write), and the write happens only if the item
   * exists, is still at `ifVersion` (when given) and every comparison in `when` holds on the
   * stored values. DynamoDB conditions cannot do arithmetic, so a guard such as "never commit
   * more than is left" keeps the difference as its own attribute and compares that.
   */
  | {
      update: ItemKey;
      set?: Record<string, unknown>;
      add?: Record<string, number>;
      ifVersion?: number;
      when?: readonly Comparison[];
    };

/** A condition on one stored attribute, e.g. `{ attribute: 'remainingMinor', op: '>=', value: 500 }`. */
export interface Comparison {
  attribute: string;
  op: '=' | '<>' | '<' | '<=' | '>' | '>=';
  value: string | number;
}

/**
 * A transaction cancelled by a failed condition. `failed` holds the indexes of the actions whose
 * condition failed, so a caller can say which guard refused (e.g. the balance, not the version).
 */
export class TransactionConflictError extends ConflictError {
  override name = 'TransactionConflictError';
  constructor(
    detail: string,
    readonly failed: number[],
    /** How many actions the transaction had (guards appended last are found from the end). */
    readonly total: number = failed.length,
  ) {
    super(detail);
  }
}

/** The UpdateExpression and condition of a transact `count` action (pure). */
export const countActionParams = (action: {
  type: string;
  add: readonly string[];
  below: Readonly<Record<string, number>>;
  expiresAt: number;
}) => {
  const names: Record<string, string> = { '#type': 'type', '#ttl': 'expiresAt' };
  const values: Record<string, unknown> = { ':type': action.type, ':ttl': action.expiresAt, ':one': 1 };
  const adds = action.add.map((attribute, i) => {
    names[`#c${i}`] = attribute;
    return `#c${i} :one`;
  });
  const conditions = Object.entries(action.below).map(([attribute, limit], i) => {
    names[`#l${i}`] = attribute;
    values[`:l${i}`] = limit;
    return `(attribute_not_exists(#l${i}) OR #l${i} < :l${i})`;
  });
  return {
    UpdateExpression: `SET #type = if_not_exists(#type, :type), #ttl = :ttl ADD ${adds.join(', ')}`,
    ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

/** The UpdateExpression of a transact `increment` action (pure; exported for tests). */
export const incrementActionParams = (action: { type: string; add: Readonly<Record<string, number>> }) => {
  const names: Record<string, string> = { '#type': 'type' };
  const values: Record<string, unknown> = { ':type': action.type };
  const adds = Object.entries(action.add).map(([field, delta], i) => {
    names[`#a${i}`] = field;
    values[`:a${i}`] = delta;
    return `#a${i} :a${i}`;
  });
  return {
    UpdateExpression: `SET #type = if_not_exists(#type, :type)${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

/** The UpdateExpression and condition of a transact `update` action (pure; exported for tests). */
export const updateActionParams = (action: {
  set?: Record<string, unknown>;
  add?: Record<string, number>;
  ifVersion?: number;
  when?: readonly Comparison[];
}) => {
  const names: Record<string, string> = { '#version': 'version', '#pk': 'pk' };
  const values: Record<string, unknown> = { ':one': 1 };
  const sets = Object.entries(action.set ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([field, value], i) => {
      names[`#s${i}`] = field;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
  const adds = Object.entries(action.add ?? {}).map(([field, delta], i) => {
    names[`#a${i}`] = field;
    values[`:a${i}`] = delta;
    return `#a${i} :a${i}`;
  });
  const conditions = ['attribute_exists(#pk)'];
  if (action.ifVersion !== undefined) {
    values[':expected'] = action.ifVersion;
    conditions.push('#version = :expected');
  }
  (action.when ?? []).forEach((comparison, i) => {
    names[`#w${i}`] = comparison.attribute;
    values[`:w${i}`] = comparison.value;
    conditions.push(`#w${i} ${comparison.op} :w${i}`);
  });
  return {
    UpdateExpression: [
      `SET ${[...sets, '#version = #version + :one'].join(', ')}`,
      ...(adds.length > 0 ? [`ADD ${adds.join(', ')}`] : []),
    ].join(' '),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

/** One request of a bulk write (Table.batchWrite): an unconditional put or a delete. */
export type BatchWriteRequest = { put: StoredItem } | { delete: ItemKey };
type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

export interface Page {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

export interface QueryInput {
  index?: IndexName;
  partition: string;
  /** Sort key prefix (`begins_with`). */
  prefix?: string;
  limit: number;
  cursor?: string | undefined;
  newestFirst?: boolean;
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
]);

/** SDK errors become domain errors here, at the edge; condition failures are answers, not faults. */
const translate = (error: unknown): unknown => {
  if (error instanceof Error && THROTTLING.has(error.name)) {
    return new UnavailableError('the database is busy; retry shortly');
  }
  return error;
};

const cursorSchema = z.record(z.string(), z.string());

const encodeCursor = (key: Record<string, unknown> | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;

const partitionAttribute = (index: IndexName | undefined): string =>
  index
    ? (tableDefinition.globalSecondaryIndexes.find((g) => g.indexName === index)?.partitionKey.name ?? 'pk')
    : tableDefinition.partitionKey.name;

/**
 * A cursor is only accepted for the partition it came from: a caller cannot steer a
 * query into another tenant's partition by editing it.
 */
const decodeCursor = (
  cursor: string,
  index: IndexName | undefined,
  partition: string,
): Record<string, string> => {
  const invalid = () =>
    new ValidationError('the cursor is not valid here', [
      { path: 'query.cursor', message: 'invalid cursor' },
    ]);
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorSchema.safeParse(raw);
  if (!parsed.success || parsed.data[partitionAttribute(index)] !== partition) throw invalid();
  return parsed.data;
};

export class Table {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get(key: ItemKey): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }),
      );
      return out.Item;
    } catch (error) {
      throw translate(error);
    }
  }

  /**
   * Reads many items by key (BatchGetItem, 100 keys a call, strongly consistent), retrying the
   * keys DynamoDB leaves unprocessed under load. The result is in the order of `keys`.
   */
  async getMany(keys: readonly ItemKey[]): Promise<(Record<string, unknown> | undefined)[]> {
    const found = new Map<string, Record<string, unknown>>();
    const id = (key: { pk?: unknown; sk?: unknown }) => `${String(key.pk)}\u0000${String(key.sk)}`;
    const unique = [...new Map(keys.map((key) => [id(key), key])).values()];
    for (let start = 0; start < unique.length; start += 100) {
      let pending: ItemKey[] = unique.slice(start, start + 100);
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > 0) {
          if (attempt > 8) throw new UnavailableError('the database is busy; retry shortly');
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(1000, 25 * 2 ** attempt)));
        }
        try {
          const out = await this.doc.send(
            new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } } }),
          );
          for (const item of out.Responses?.[this.name] ?? []) found.set(id(item), item);
          const left = out.UnprocessedKeys?.[this.name]?.Keys ?? [];
          pending = left.flatMap((key) =>
            typeof key.pk === 'string' && typeof key.sk === 'string' ? [{ pk: key.pk, sk: key.sk }] : [],
          );
        } catch (error) {
          throw translate(error);
        }
      }
    }
    return keys.map((key) => found.get(id(key)));
  }

  /**
   * Bulk, unconditional writes (BatchWriteItem, 25 requests a call, up to `concurrency` calls at
   * once), retrying what DynamoDB leaves unprocessed under load, with backoff. Not atomic and not
   * conditional: for bulk data whose writer re-reads and converges on a target (account lists),
   * never for items guarded by a version. No two requests may name the same item.
   */
  async batchWrite(
    requests: readonly BatchWriteRequest[],
    options: { concurrency?: number } = {},
  ): Promise<void> {
    const keyOf = (r: BatchWriteRequest) => ('put' in r ? r.put : r.delete);
    const ids = new Set(requests.map((r) => `${keyOf(r).pk}\u0000${keyOf(r).sk}`));
    if (ids.size !== requests.length) throw new Error('a batch write names one item twice');
    const chunks: WriteRequests[] = [];
    for (let start = 0; start < requests.length; start += 25) {
      chunks.push(
        requests
          .slice(start, start + 25)
          .map((r) => ('put' in r ? { PutRequest: { Item: r.put } } : { DeleteRequest: { Key: r.delete } })),
      );
    }
    let next = 0;
    const lane = async () => {
      for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) await this.writeChunk(chunk);
    };
    const lanes = Math.max(1, Math.min(options.concurrency ?? 4, chunks.length));
    await Promise.all(Array.from({ length: lanes }, lane));
  }

  /** One BatchWriteItem call, then the items it left unprocessed, until none are left. */
  private async writeChunk(chunk: WriteRequests): Promise<void> {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        if (attempt > 8) throw new UnavailableError('the database is busy; retry shortly');
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(1000, 25 * 2 ** attempt)));
      }
      try {
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.name]: pending } }));
        pending = out.UnprocessedItems?.[this.name] ?? [];
      } catch (error) {
        throw translate(error);
      }
    }
  }

  /** Creates an item that must not exist yet (version 1); an existing one is a ConflictError. */
  async create(item: StoredItem): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.name,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError(`${item.type} already exists`);
      throw translate(error);
    }
  }

  /**
   * Idempotent put: writes the item if absent and otherwise leaves the stored one alone,
   * telling which happened. A retried or redelivered write is therefore harmless.
   */
  async putIfAbsent(item: StoredItem): Promise<'created' | 'existed'> {
    try {
      await this.create(item);
      return 'created';
    } catch (error) {
      if (error instanceof ConflictError) return 'existed';
      throw error;
    }
  }

  /**
   * Optimistic concurrency: sets the given fields only if the stored version is the one
   * the caller read, and bumps it. A stale version is a PreconditionFailedError; a missing
   * item a NotFoundError. Returns the item as stored after the update.
   */
  async update(
    key: ItemKey,
    expectedVersion: number,
    changes: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1 };
    const sets = entries.map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.name,
          Key: key,
          UpdateExpression: `SET ${[...sets, '#version = #version + :one'].join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        if (!error.Item) throw new NotFoundError('not found');
        throw new PreconditionFailedError(`expected version ${expectedVersion}; it has changed since`);
      }
      throw translate(error);
    }
  }

  /**
   * Writes several items all or nothing. A failed condition (an item that exists, or a
   * version that moved) cancels the whole transaction and is a ConflictError.
   */
  async transact(actions: TransactAction[]): Promise<void> {
    if (actions.length === 0) return;
    if (actions.length > 100) throw new Error('a transaction holds at most 100 actions');
    const items = actions.map((action) => {
      if ('count' in action)
        return { Update: { TableName: this.name, Key: action.count, ...countActionParams(action) } };
      if ('increment' in action)
        return { Update: { TableName: this.name, Key: action.increment, ...incrementActionParams(action) } };
      if ('update' in action) {
        return {
          Update: {
            TableName: this.name,
            Key: action.update,
            ...updateActionParams(action),
          },
        };
      }
      if ('delete' in action) {
        const guard =
          action.ifVersion === undefined
            ? {}
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': action.ifVersion },
              };
        return { Delete: { TableName: this.name, Key: action.delete, ...guard } };
      }
      if ('check' in action) {
        const entries = Object.entries(action.equals);
        return {
          ConditionCheck: {
            TableName: this.name,
            Key: action.check,
            ConditionExpression: entries.map((_, i) => `#a${i} = :v${i}`).join(' AND '),
            ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
            ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
          },
        };
      }
      const condition =
        action.ifAbsent === true
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : action.ifVersion !== undefined
            ? {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': action.ifVersion },
              }
            : {};
      return { Put: { TableName: this.name, Item: action.put, ...condition } };
    });
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
        if (reasons.includes('ConditionalCheckFailed'))
          throw new TransactionConflictError(
            'the change conflicts with a concurrent one',
            reasons.flatMap((code, i) => (code === 'ConditionalCheckFailed' ? [i] : [])),
            items.length,
          );
        throw new UnavailableError('the database is busy; retry shortly');
      }
      throw translate(error);
    }
  }

  /**
   * Atomic counters: `ADD`s the given deltas (creating the item if absent, with `type`), so
   * concurrent writers never lose an increment. Callers make each increment once.
   */
  async add(key: ItemKey, type: string, deltas: Record<string, number>): Promise<void> {
    const entries = Object.entries(deltas).filter(([, value]) => value !== 0);
    if (entries.length === 0) return;
    const names: Record<string, string> = { '#type': 'type' };
    const values: Record<string, unknown> = { ':type': type };
    const adds = entries.map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.name,
          Key: key,
          UpdateExpression: `SET #type = if_not_exists(#type, :type) ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      throw translate(error);
    }
  }

  /** A page of one partition (table or GSI), optionally by sort-key prefix. Never a Scan. */
  async query(input: QueryInput): Promise<Page> {
    const index = input.index;
    const pkName = partitionAttribute(index);
    const skName = index
      ? (tableDefinition.globalSecondaryIndexes.find((g) => g.indexName === index)?.sortKey.name ?? 'sk')
      : tableDefinition.sortKey.name;
    const names: Record<string, string> = { '#pk': pkName };
    const values: Record<string, unknown> = { ':pk': input.partition };
    let condition = '#pk = :pk';
    if (input.prefix !== undefined) {
      names['#sk'] = skName;
      values[':prefix'] = input.prefix;
      condition += ' AND begins_with(#sk, :prefix)';
    }
    try {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.name,
          IndexName: index,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          Limit: input.limit,
          ScanIndexForward: !input.newestFirst,
          ExclusiveStartKey: input.cursor ? decodeCursor(input.cursor, index, input.partition) : undefined,
        }),
      );
      return { items: out.Items ?? [], nextCursor: encodeCursor(out.LastEvaluatedKey) };
    } catch (error) {
      throw translate(error);
    }
  }
}
