import { ConflictError, NotFoundError, PreconditionFailedError } from '#platform/errors';
import type { ItemKey, StoredItem, Table } from '#platform/table';
import { normaliseEmail } from './email';
import { type SuppressionScope, suppressionIndexKeys, suppressionKey, suppressionsOf } from './keys';
import { type Suppression, type SuppressionReason, suppressionSchema } from './schema';

/**
 * Suppression: who must never be mailed. Used by the sender (suppressedAmong before every
 * batch) and by the API. Two scopes:
 * - global (platform only): hard bounces and complaints, for every partner;
 * - partner: unsubscribes, a partner's manual suppressions, and GDPR erasures.
 *
 * We store the normalised address, not a keyed hash: the sender and support need to answer
 * "why is this address suppressed?", the address is already held by the partner's contacts,
 * and keeping it after an erasure is what lets us honour the objection (GDPR Art. 17(3) /
 * 21: a suppression list is the minimal record needed to not contact the person again).
 * Each address has its own partition (SUPPRESSION#<email>) with one item per scope, so a
 * check is GetItems by exact key, never a Scan, and no one partition takes every bounce.
 *
 * A suppressed contact stays in its lists; it is simply never sent to.
 */
export interface SuppressInput {
  scope: 'partner' | 'global';
  partnerId?: string;
  email: string;
  reason: SuppressionReason;
  /** Where it came from, e.g. "ses:bounce:<messageId>", "unsubscribe:<sendId>", "user:<sub>". */
  source?: string;
  /** When it happened (ISO 8601); now when not given. */
  at?: string;
}

export const MAX_EMAILS_PER_CHECK = 100;
const globalReasons: readonly SuppressionReason[] = ['hard-bounce', 'complaint'];
/** A stronger reason replaces a weaker one; a partner can only lift `manual`. */
const rank: Record<SuppressionReason, number> = {
  manual: 1,
  unsubscribe: 2,
  erasure: 3,
  'hard-bounce': 1,
  complaint: 2,
};

export interface SuppressionStore {
  /**
   * Idempotent, and durable when it resolves: repeating it changes nothing; a stronger reason
   * replaces a weaker one (fits the send engine's Suppressions port in functions/sending/ports.ts).
   */
  suppress(input: SuppressInput): Promise<void>;
  /** As suppress, telling what it did. */
  record(input: SuppressInput): Promise<'created' | 'existed' | 'updated'>;
  /**
   * Of these addresses (≤ 100), the ones that must not be mailed for this partner, normalised
   * (lower-cased). An address that is not valid counts as suppressed: it is never worth sending to.
   */
  suppressedAmong(partnerId: string, emails: readonly string[]): Promise<Set<string>>;
  /** Why an address is suppressed for this partner: the global and the partner's entries in force. */
  why(partnerId: string, email: string): Promise<Suppression[]>;
  /** Lifts a partner's manual suppression; anything else is a ConflictError. */
  lift(partnerId: string, email: string, at: string): Promise<Suppression>;
  page(
    scope: SuppressionScope,
    limit: number,
    cursor?: string,
  ): Promise<{ items: Suppression[]; nextCursor: string | null }>;
}

const scopeOf = (input: SuppressInput): SuppressionScope => {
  if (input.scope === 'global') {
    if (!globalReasons.includes(input.reason))
      throw new Error(`a global suppression is a bounce or complaint`);
    return { scope: 'global' };
  }
  if (!input.partnerId) throw new Error('a partner suppression names its partner');
  if (globalReasons.includes(input.reason)) throw new Error(`${input.reason} is a global suppression`);
  return { scope: 'partner', partnerId: input.partnerId };
};

const toSuppression = (item: Record<string, unknown> | undefined): Suppression | undefined =>
  item ? suppressionSchema.parse(item) : undefined;

const inForce = (s: Suppression | undefined): s is Suppression => s !== undefined && s.liftedAt === null;

const LIFTED = 'LIFTED';

export const suppressionStore = (table: Table): SuppressionStore => {
  const item = (email: string, where: SuppressionScope, input: SuppressInput): StoredItem => ({
    ...suppressionKey(email, where),
    ...suppressionIndexKeys(email, where),
    type: 'suppression',
    email,
    scope: where.scope,
    partnerId: where.scope === 'partner' ? where.partnerId : null,
    reason: input.reason,
    source: input.source ?? 'unspecified',
    at: input.at ?? new Date().toISOString(),
    liftedAt: null,
    version: 1,
  });
  const read = async (key: ItemKey) => toSuppression(await table.get(key));
  /** An entry stays unless it was lifted or has a weaker reason; 'raced' when it moved meanwhile. */
  const replaceWeaker = async (
    fresh: StoredItem,
    reason: SuppressionReason,
  ): Promise<'existed' | 'updated' | 'raced'> => {
    const { pk, sk, version: _version, ...changes } = fresh;
    const stored = await read({ pk, sk });
    if (!stored) return 'raced';
    if (inForce(stored) && rank[stored.reason] >= rank[reason]) return 'existed';
    try {
      await table.update({ pk, sk }, stored.version, changes);
      return 'updated';
    } catch (error) {
      if (error instanceof PreconditionFailedError || error instanceof NotFoundError) return 'raced';
      throw error;
    }
  };

  const store: SuppressionStore = {
    async suppress(input) {
      await store.record(input);
    },

    async record(input) {
      const email = normaliseEmail(input.email);
      if (!email) throw new Error('not an email address');
      const where = scopeOf(input);
      const fresh = item(email, where, input);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        if ((await table.putIfAbsent(fresh)) === 'created') return 'created';
        const outcome = await replaceWeaker(fresh, input.reason);
        if (outcome !== 'raced') return outcome;
      }
      throw new ConflictError('the suppression changed concurrently; retry');
    },

    async suppressedAmong(partnerId, emails) {
      if (emails.length > MAX_EMAILS_PER_CHECK) {
        throw new Error(`check at most ${MAX_EMAILS_PER_CHECK} addresses per call`);
      }
      const suppressed = new Set<string>();
      const keyed: { given: string; key: ItemKey }[] = [];
      for (const given of emails) {
        const email = normaliseEmail(given);
        if (!email) {
          suppressed.add(given.trim().toLowerCase());
          continue;
        }
        keyed.push({ given: email, key: suppressionKey(email, { scope: 'global' }) });
        keyed.push({ given: email, key: suppressionKey(email, { scope: 'partner', partnerId }) });
      }
      // One BatchGetItem for up to 50 addresses (a global and a partner key each).
      const found = (await table.getMany(keyed.map(({ key }) => key))).map(toSuppression);
      found.forEach((s, i) => {
        const given = keyed[i]?.given;
        if (inForce(s) && given !== undefined) suppressed.add(given);
      });
      return suppressed;
    },

    async why(partnerId, email) {
      const normal = normaliseEmail(email);
      if (!normal) return [];
      const found = await Promise.all([
        read(suppressionKey(normal, { scope: 'global' })),
        read(suppressionKey(normal, { scope: 'partner', partnerId })),
      ]);
      return found.filter(inForce);
    },

    async lift(partnerId, email, at) {
      const normal = normaliseEmail(email);
      const where: SuppressionScope = { scope: 'partner', partnerId };
      const stored = normal ? await read(suppressionKey(normal, where)) : undefined;
      if (!normal || !inForce(stored))
        throw new NotFoundError('the address has no suppression of yours in force');
      if (stored.reason !== 'manual') {
        throw new ConflictError(`a suppression for ${stored.reason} cannot be lifted; only manual ones can`);
      }
      const { gsi1pk } = suppressionIndexKeys(normal, where);
      const lifted = await table.update(suppressionKey(normal, where), stored.version, {
        liftedAt: at,
        gsi1pk: `${gsi1pk}#${LIFTED}`,
      });
      return suppressionSchema.parse(lifted);
    },

    async page(scope, limit, cursor) {
      const page = await table.query({ ...suppressionsOf(scope), limit, cursor });
      return { items: page.items.map((i) => suppressionSchema.parse(i)), nextCursor: page.nextCursor };
    },
  };
  return store;
};
