import type { BlobStore } from '#platform/blobs';
import { ConflictError, NotFoundError, PreconditionFailedError } from '#platform/errors';
import type { AccountHash } from './account-keys';
import { type AccountListOwner, hashSk, uploadHashesBlobKey } from './account-list-keys';
import {
  type AccountListMessage,
  accountListMessageSchema,
  type StoredSummary,
  uploadHashesSchema,
} from './account-list-schema';
import type { AccountKind } from './account-lists';
import { type AccountListStore, ownerOf } from './account-store';

/**
 * The import worker's account-list jobs. `apply` makes a list's stored hashes equal to its
 * upload's (or to nothing, for a delete) by diffing against what the table holds: it writes the
 * hashes that are missing and removes those no longer listed, a round at a time, then re-reads
 * until nothing differs. That makes every run idempotent and resumable without a checkpoint: a
 * redelivered, timed-out or crashed run simply diffs again. A newer upload of the same list
 * supersedes a running one (checked every round); its own final re-read sweeps any stray write.
 * `overlap` recounts a partner list against the vendor's lists.
 */
export interface AccountListWorkerDeps {
  store: AccountListStore;
  blobs: BlobStore;
  /** Re-enqueues a job that used up its time budget (the import queue). */
  enqueue: (message: AccountListMessage) => Promise<void>;
  clock: () => Date;
}

export interface ApplyOptions {
  /** Stop after the round that crosses this much wall time and enqueue the rest (Lambda timeouts). */
  budgetMs?: number;
  /** Writes per round: the list's summary is re-read between rounds (superseded uploads stop). */
  roundSize?: number;
}

export type ApplyOutcome = 'done' | 'continued' | 'superseded' | 'skipped' | 'failed';

const DEFAULT_BUDGET_MS = 60_000;
const DEFAULT_ROUND = 2_000;
const OVERLAP_ATTEMPTS = 3;

type ApplyMessage = Extract<AccountListMessage, { type: 'account-lists.apply' }>;

const isCurrent = (summary: StoredSummary | undefined, uploadId: string): summary is StoredSummary =>
  summary !== undefined && summary.uploadId === uploadId;

/** The hashes the list should hold: the upload's file, or none for a delete. */
const targetOf = async (
  deps: AccountListWorkerDeps,
  owner: AccountListOwner,
  summary: StoredSummary,
): Promise<Map<string, AccountHash> | string> => {
  if (summary.status === 'deleting') return new Map();
  const blob = await deps.blobs.get(uploadHashesBlobKey(owner, summary.kind, summary.uploadId));
  if (!blob || blob.bytes.byteLength === 0) return 'the uploaded list is gone';
  const file = uploadHashesSchema.parse(JSON.parse(new TextDecoder().decode(blob.bytes)));
  return new Map(
    file.hashes.map((hash) => {
      const account = { kid: file.kid, hash };
      return [hashSk(account), account] as const;
    }),
  );
};

/** What to write and remove to turn `current` into `target`. */
export const diffHashes = (target: ReadonlyMap<string, AccountHash>, current: ReadonlySet<string>) => ({
  add: [...target].flatMap(([sk, account]) => (current.has(sk) ? [] : [account])),
  remove: [...current].filter((sk) => !target.has(sk)),
});

type Converge = 'converged' | 'continued' | 'superseded';

const converge = async (
  deps: AccountListWorkerDeps,
  message: ApplyMessage,
  target: ReadonlyMap<string, AccountHash>,
  options: { deadline: number; roundSize: number },
): Promise<Converge> => {
  const owner = ownerOf(message.partnerId);
  for (;;) {
    const { add, remove } = diffHashes(target, await deps.store.hashKeys(owner, message.kind));
    if (add.length === 0 && remove.length === 0) return 'converged';
    const work = [...add.map((a) => ({ add: a })), ...remove.map((sk) => ({ remove: sk }))];
    for (let start = 0; start < work.length; start += options.roundSize) {
      if (deps.clock().getTime() >= options.deadline) {
        await deps.enqueue(message);
        return 'continued';
      }
      if (!isCurrent(await deps.store.summary(owner, message.kind), message.uploadId)) return 'superseded';
      const round = work.slice(start, start + options.roundSize);
      await deps.store.writeHashes(
        owner,
        message.kind,
        round.flatMap((w) => ('add' in w ? [w.add] : [])),
        round.flatMap((w) => ('remove' in w ? [w.remove] : [])),
      );
    }
  }
};

/** How many of a partner list's hashes are on the vendor's customer and opportunity lists. */
const countOverlap = async (store: AccountListStore, partnerId: string, kind: AccountKind) => {
  const [mine, customers, opportunities] = await Promise.all([
    store.hashKeys({ partnerId }, kind),
    store.hashKeys('vendor', 'customer'),
    store.hashKeys('vendor', 'opportunity'),
  ]);
  const within = (vendor: ReadonlySet<string>) => [...mine].filter((sk) => vendor.has(sk)).length;
  return { vendorCustomers: within(customers), vendorOpportunities: within(opportunities) };
};

/**
 * Recounts one partner list's overlap with the vendor's lists and stores it on its summary, at
 * the version read: if the list moved meanwhile, it counts again (a list being rewritten is
 * counted by its own worker when it is ready).
 */
export const refreshOverlap = async (
  deps: Pick<AccountListWorkerDeps, 'store' | 'clock'>,
  partnerId: string,
  kind: AccountKind,
): Promise<'done' | 'skipped'> => {
  for (let attempt = 1; attempt <= OVERLAP_ATTEMPTS; attempt += 1) {
    const summary = await deps.store.summary({ partnerId }, kind);
    if (summary?.status !== 'ready') return 'skipped';
    const counts = await countOverlap(deps.store, partnerId, kind);
    try {
      await deps.store.updateSummary(summary, {
        overlap: { ...counts, computedAt: deps.clock().toISOString() },
      });
      return 'done';
    } catch (error) {
      if (!(error instanceof PreconditionFailedError || error instanceof NotFoundError)) throw error;
    }
  }
  return 'skipped';
};

/** After a vendor list changed, every ready partner list is recounted (one job each). */
const recountPartners = async (deps: AccountListWorkerDeps) => {
  for (const summary of await deps.store.allSummaries()) {
    if (summary.partnerId === null || summary.status !== 'ready') continue;
    await deps.enqueue({ type: 'account-lists.overlap', partnerId: summary.partnerId, kind: summary.kind });
  }
};

const finish = async (deps: AccountListWorkerDeps, message: ApplyMessage): Promise<ApplyOutcome> => {
  const owner = ownerOf(message.partnerId);
  const summary = await deps.store.summary(owner, message.kind);
  if (!isCurrent(summary, message.uploadId)) return 'superseded';
  try {
    if (summary.status === 'deleting') await deps.store.deleteSummary(summary);
    else {
      await deps.store.updateSummary(summary, { status: 'ready', finishedAt: deps.clock().toISOString() });
      // The hashes are in the table now; the file was only the worker's input.
      const key = uploadHashesBlobKey(owner, message.kind, message.uploadId);
      await deps.blobs.put(key, new Uint8Array(), 'application/json');
    }
  } catch (error) {
    if (error instanceof PreconditionFailedError || error instanceof ConflictError) return 'superseded';
    throw error;
  }
  if (message.partnerId === null) await recountPartners(deps);
  else await refreshOverlap(deps, message.partnerId, message.kind);
  return 'done';
};

const fail = async (
  deps: AccountListWorkerDeps,
  summary: StoredSummary,
  why: string,
): Promise<ApplyOutcome> => {
  try {
    await deps.store.updateSummary(summary, {
      status: 'failed',
      failure: why,
      finishedAt: deps.clock().toISOString(),
    });
    return 'failed';
  } catch (error) {
    if (error instanceof PreconditionFailedError || error instanceof NotFoundError) return 'superseded';
    throw error;
  }
};

/** Runs (or resumes) one upload's or delete's write. */
export const applyAccountList = async (
  deps: AccountListWorkerDeps,
  message: ApplyMessage,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> => {
  const deadline = deps.clock().getTime() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  const owner = ownerOf(message.partnerId);
  let summary = await deps.store.summary(owner, message.kind);
  if (!isCurrent(summary, message.uploadId)) return 'superseded';
  if (summary.status === 'ready' || summary.status === 'failed') return 'skipped';
  if (summary.status === 'queued') {
    try {
      summary = await deps.store.updateSummary(summary, { status: 'running' });
    } catch (error) {
      if (error instanceof PreconditionFailedError || error instanceof NotFoundError) return 'superseded';
      throw error;
    }
  }
  const target = await targetOf(deps, owner, summary);
  if (typeof target === 'string') return fail(deps, summary, target);
  const outcome = await converge(deps, message, target, {
    deadline,
    roundSize: options.roundSize ?? DEFAULT_ROUND,
  });
  return outcome === 'converged' ? finish(deps, message) : outcome;
};

/** The import queue's consumer for account-list messages; a throw lets the queue redeliver. */
export const accountListWorker = (deps: AccountListWorkerDeps, options: ApplyOptions = {}) => {
  return async (message: AccountListMessage): Promise<ApplyOutcome> =>
    message.type === 'account-lists.apply'
      ? applyAccountList(deps, message, options)
      : refreshOverlap(deps, message.partnerId, message.kind);
};

/** Whether a queue body is an account-list job (the import queue also carries contact imports). */
export const parseAccountListMessage = (body: string): AccountListMessage | undefined => {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = accountListMessageSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
};
