import { ConflictError, NotFoundError, PreconditionFailedError } from '#platform/errors';
import type { ItemKey, Page, QueryInput, StoredItem, Table, TransactAction } from '#platform/table';

/**
 * An in-memory double of the Table operations the send engine uses, with the same condition
 * semantics (create-if-absent, optimistic version), for unit tests and benchmarks that keep
 * DynamoDB out. Integration tests use DynamoDB Local instead.
 */
export type MemoryTable = Pick<Table, 'get' | 'create' | 'putIfAbsent' | 'update' | 'query' | 'transact'> & {
  readonly items: Map<string, Record<string, unknown>>;
};

const id = (key: ItemKey) => `${key.pk}\u0000${key.sk}`;

/** The same conditions as Table.transact: a failed one cancels every action of the transaction. */
const conditionFails = (items: Map<string, Record<string, unknown>>, action: TransactAction): boolean => {
  if ('check' in action) {
    const found = items.get(id(action.check));
    return (
      found === undefined || Object.entries(action.equals).some(([name, value]) => found[name] !== value)
    );
  }
  if ('put' in action) {
    const stored = items.get(id(action.put));
    if (action.ifAbsent === true) return stored !== undefined;
    return action.ifVersion !== undefined && stored?.version !== action.ifVersion;
  }
  if ('delete' in action) {
    return action.ifVersion !== undefined && items.get(id(action.delete))?.version !== action.ifVersion;
  }
  return false;
};

export const memoryTable = (): MemoryTable => {
  const items = new Map<string, Record<string, unknown>>();
  const create = async (item: StoredItem) => {
    if (items.has(id(item))) throw new ConflictError(`${item.type} already exists`);
    items.set(id(item), structuredClone(item));
  };
  return {
    items,
    async get(key) {
      const found = items.get(id(key));
      return found ? structuredClone(found) : undefined;
    },
    create,
    async putIfAbsent(item) {
      try {
        await create(item);
        return 'created';
      } catch (error) {
        if (error instanceof ConflictError) return 'existed';
        throw error;
      }
    },
    async update(key, expectedVersion, changes) {
      const found = items.get(id(key));
      if (!found) throw new NotFoundError('not found');
      if (found.version !== expectedVersion) throw new PreconditionFailedError('version moved');
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      const next = { ...found, ...structuredClone(defined), version: expectedVersion + 1 };
      items.set(id(key), next);
      return structuredClone(next);
    },
    async query(input: QueryInput): Promise<Page> {
      const pkName = input.index ? `${input.index}pk` : 'pk';
      const skName = input.index ? `${input.index}sk` : 'sk';
      const matches = [...items.values()].filter(
        (item) =>
          item[pkName] === input.partition &&
          (input.prefix === undefined || String(item[skName] ?? '').startsWith(input.prefix)),
      );
      return { items: matches.slice(0, input.limit).map((i) => structuredClone(i)), nextCursor: null };
    },
    async transact(actions: TransactAction[]) {
      // This double covers what the send engine uses; anything else must fail loudly, not pass silently.
      const unsupported = actions.find(
        (action) => 'update' in action || 'count' in action || 'increment' in action,
      );
      if (unsupported) throw new Error('memoryTable.transact supports put, delete and check actions only');
      const fails = (action: TransactAction) => conditionFails(items, action);
      if (actions.some(fails)) {
        throw new ConflictError('the change conflicts with a concurrent one');
      }
      for (const action of actions) {
        if ('delete' in action) items.delete(id(action.delete));
        else if ('put' in action) items.set(id(action.put), structuredClone(action.put));
      }
    },
  };
};
