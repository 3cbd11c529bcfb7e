import * as z from 'zod';
import { ConflictError, UnavailableError, ValidationError } from '#platform/errors';
import {
  canonicalJson,
  contentHashOf,
  entryHashOf,
  GENESIS_HASH,
  NotCanonicalisableError,
  sha256Hex,
} from './hashing';
import { seqOfSortKey } from './keys';
import {
  type Actor,
  type AuditEntry,
  type AuditKind,
  actorSchema,
  type BreakReason,
  type Chain,
  chainSchema,
  MAX_CONTENT_BYTES,
  type StoredEntry,
  type StoredHead,
  storedEntrySchema,
  storedHeadSchema,
  subjectSchema,
  type Verification,
} from './schema';
import type { AuditStore } from './store';

/** What the audit use-cases need: the store and a clock. */
export interface AuditDeps {
  audit: AuditStore;
  clock: () => Date;
}

export interface AppendInput {
  chain: Chain;
  kind: AuditKind;
  /** The ids the entry is about, e.g. `{ partnerId, claimId }`. */
  subject: Record<string, string>;
  /** Any JSON value: the evidence item or the decision as recorded. */
  content: unknown;
  recordedBy: Actor;
}

/** Appends retry this often when other appenders move the head first (then answer 503). */
const MAX_APPEND_ATTEMPTS = 40;

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 5 * 2 ** attempt)));

const invalid = (path: string, message: string) => new ValidationError(message, [{ path, message }]);

const parseHead = (item: Record<string, unknown> | undefined): StoredHead | undefined =>
  item ? storedHeadSchema.parse(item) : undefined;

/** The parts of an entry that do not depend on the chain's head, validated once. */
const prepare = (input: AppendInput) => {
  const chain = chainSchema.safeParse(input.chain);
  if (!chain.success) throw invalid('chain', 'must be `vendor` or `partner:<partnerId>`');
  const subject = subjectSchema.safeParse(input.subject);
  if (!subject.success) throw invalid('subject', 'ids named by short keys, at most 10');
  let content: string;
  try {
    content = canonicalJson(input.content);
  } catch (error) {
    if (error instanceof NotCanonicalisableError) throw invalid('content', `not JSON: ${error.message}`);
    throw error;
  }
  if (Buffer.byteLength(content, 'utf8') > MAX_CONTENT_BYTES) {
    throw invalid('content', `larger than ${MAX_CONTENT_BYTES} bytes; record large evidence by its hash`);
  }
  return {
    chain: chain.data,
    kind: input.kind,
    subject: subject.data,
    content,
    contentHash: sha256Hex(content),
    recordedBy: actorSchema.parse(input.recordedBy),
  };
};

/** A write whose answer was lost may have landed: then the head names this very entry. */
const landed = async (deps: AuditDeps, entry: StoredEntry): Promise<boolean> => {
  const now = parseHead(await deps.audit.head(entry.chain));
  return now?.seq === entry.seq && now.entryHash === entry.entryHash;
};

/**
 * Appends an entry to a chain and answers it as stored. Optimistic concurrency: the entry (its seq
 * must be free) and the chain head (it must still be the head read) are written in one transaction,
 * so two appenders can never both take a seq or fork the chain; the loser re-reads the head and
 * tries again. Entries are never updated or deleted, by this code or (in AWS) by IAM.
 */
export const appendAudit = async (deps: AuditDeps, input: AppendInput): Promise<StoredEntry> => {
  const { content, ...fixed } = prepare(input);
  const chain = fixed.chain;
  for (let attempt = 0; ; attempt += 1) {
    const head = parseHead(await deps.audit.head(chain));
    const sealed = {
      ...fixed,
      seq: (head?.seq ?? 0) + 1,
      prevHash: head?.entryHash ?? GENESIS_HASH,
      recordedAt: deps.clock().toISOString(),
    };
    const entry: StoredEntry = { ...sealed, content, entryHash: entryHashOf(sealed) };
    try {
      await deps.audit.append(entry, head);
      return entry;
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof UnavailableError)) throw error;
      if (await landed(deps, entry)) return entry;
      if (attempt + 1 >= MAX_APPEND_ATTEMPTS) {
        throw new UnavailableError('the audit log is busy; retry shortly');
      }
      await pause(attempt);
    }
  }
};

/** Verification reads the chain a page at this size. */
const VERIFY_PAGE = 100;

type Broken = { seq: number; reason: BreakReason; detail: string };

/** Checks one stored entry against the one before it; the first thing wrong, or null. */
const checkEntry = (
  item: Record<string, unknown>,
  expected: { chain: string; seq: number; prevHash: string },
): { broken: Broken } | { entry: StoredEntry } => {
  const keySeq = typeof item.sk === 'string' ? seqOfSortKey(item.sk) : null;
  const at = keySeq ?? expected.seq;
  if (keySeq !== null && keySeq > expected.seq) {
    return { broken: { seq: expected.seq, reason: 'gap', detail: `entry ${expected.seq} is missing` } };
  }
  const parsed = storedEntrySchema.safeParse(item);
  if (!parsed.success || keySeq === null) {
    return {
      broken: { seq: at, reason: 'unreadable', detail: 'the stored entry does not have the entry shape' },
    };
  }
  const entry = parsed.data;
  let recomputed: string;
  try {
    recomputed = contentHashOf(JSON.parse(entry.content));
  } catch {
    return { broken: { seq: at, reason: 'content-hash', detail: 'the stored content is not JSON' } };
  }
  if (recomputed !== entry.contentHash) {
    return { broken: { seq: at, reason: 'content-hash', detail: 'the content does not match its hash' } };
  }
  if (entry.prevHash !== expected.prevHash) {
    return {
      broken: { seq: at, reason: 'prev-link', detail: 'the entry does not name the previous entry’s hash' },
    };
  }
  if (entry.seq !== keySeq || entry.chain !== expected.chain || entryHashOf(entry) !== entry.entryHash) {
    return { broken: { seq: at, reason: 'entry-hash', detail: 'the entry’s fields do not match its hash' } };
  }
  return { entry };
};

type HeadView = { seq: number; entryHash: string };

const headView = (item: Record<string, unknown> | undefined): HeadView | null | 'unreadable' => {
  if (!item) return null;
  const parsed = storedHeadSchema.safeParse(item);
  return parsed.success ? { seq: parsed.data.seq, entryHash: parsed.data.entryHash } : 'unreadable';
};

/**
 * Whether the chain ends where its head says. `before` is the head read before the entries, so the
 * entries must reach it and hold its hash at its seq. Entries past it are appends that landed while
 * we read, if a head read afterwards (`after`) covers them; otherwise they bypassed the head.
 */
const endProblem = async (
  before: HeadView | null,
  read: { last: number; lastHash: string; hashAtHead: string | undefined },
  after: () => Promise<HeadView | null | 'unreadable'>,
): Promise<{ intact: number; broken: Broken } | null> => {
  const { last } = read;
  if (before && before.seq > last) {
    const detail = `the head names entry ${before.seq}; entry ${last + 1} is missing`;
    return { intact: last, broken: { seq: last + 1, reason: 'gap', detail } };
  }
  if (before && read.hashAtHead !== before.entryHash) {
    const detail = 'the head names another hash for this entry';
    return { intact: before.seq - 1, broken: { seq: before.seq, reason: 'head', detail } };
  }
  if (last === (before?.seq ?? 0)) return null;
  const now = await after();
  if (now === null || now === 'unreadable') {
    return {
      intact: last,
      broken: { seq: last, reason: 'head', detail: 'the chain has entries but no head' },
    };
  }
  if (now.seq < last) {
    const detail = `entries after the head’s ${now.seq}`;
    return { intact: now.seq, broken: { seq: now.seq + 1, reason: 'head', detail } };
  }
  if (now.seq === last && now.entryHash !== read.lastHash) {
    const detail = 'the head names another hash for this entry';
    return { intact: last - 1, broken: { seq: last, reason: 'head', detail } };
  }
  return null;
};

/**
 * Recomputes a chain from its stored entries (every content hash, every entry hash, every link, no
 * seq missing) and compares its end with the head, so a truncated chain is caught too. Reports the
 * first broken link. Reads the whole chain: O(entries) Query pages.
 */
export const verifyChain = async (deps: AuditDeps, chain: Chain): Promise<Verification> => {
  const before = headView(await deps.audit.head(chain));
  const head = before === 'unreadable' ? null : before;
  const answer = (entries: number, firstBroken?: Broken): Verification => ({
    chain,
    ok: firstBroken === undefined,
    entries,
    head,
    ...(firstBroken ? { firstBroken } : {}),
    verifiedAt: deps.clock().toISOString(),
  });
  if (before === 'unreadable') {
    return answer(0, { seq: 0, reason: 'head', detail: 'the chain head does not have the head shape' });
  }

  let expected = { chain, seq: 1, prevHash: GENESIS_HASH };
  let hashAtHead: string | undefined;
  let cursor: string | undefined;
  do {
    const page = await deps.audit.entries(chain, VERIFY_PAGE, cursor);
    for (const item of page.items) {
      const checked = checkEntry(item, expected);
      if ('broken' in checked) return answer(expected.seq - 1, checked.broken);
      if (checked.entry.seq === head?.seq) hashAtHead = checked.entry.entryHash;
      expected = { chain, seq: checked.entry.seq + 1, prevHash: checked.entry.entryHash };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);

  const last = expected.seq - 1;
  const atEnd = await endProblem(head, { last, lastHash: expected.prevHash, hashAtHead }, async () =>
    headView(await deps.audit.head(chain)),
  );
  return atEnd ? answer(atEnd.intact, atEnd.broken) : answer(last);
};

const leniently = z.object({
  chain: z.string().catch(''),
  seq: z.number().int().catch(0),
  kind: z.string().catch(''),
  subject: z.record(z.string(), z.string()).catch({}),
  content: z.string().catch('null'),
  contentHash: z.string().catch(''),
  prevHash: z.string().catch(''),
  entryHash: z.string().catch(''),
  recordedAt: z.string().catch(''),
  recordedBy: actorSchema.catch({ role: 'system', sub: '', name: '' }),
});

const parsedContent = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * A page of a chain's entries as stored, read-only. Integrity is verifyChain's judgement: a damaged
 * entry is shown as it is (its content as text if it is no longer JSON), never hidden.
 */
export const listEntries = async (
  deps: AuditDeps,
  chain: Chain,
  limit: number,
  cursor?: string,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> => {
  const page = await deps.audit.entries(chain, limit, cursor);
  return {
    items: page.items.map((item) => {
      const entry = leniently.parse(item);
      return { ...entry, content: parsedContent(entry.content) };
    }),
    nextCursor: page.nextCursor,
  };
};
