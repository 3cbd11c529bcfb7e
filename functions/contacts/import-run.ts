import { ConflictError, PreconditionFailedError } from '#platform/errors';
import type { ContactWrite } from './contact-store';
import { CsvFormatError, type CsvRecord, readCsv } from './csv-read';
import { contactIdOf } from './email';
import type { ImportDeps } from './imports';
import { importBlobKey } from './keys';
import { type MergeContext, mergeRow, type StoredContact } from './merge';
import { type ContactRow, isBlank, isRejection, type RowRejection, toContactRow } from './rows';
import { type ContactList, type ImportJob, MAX_REPORTED_ERRORS } from './schema';

export interface RunOptions {
  /** Stop after the chunk that crosses this much wall time, and enqueue the rest (Lambda timeouts). */
  budgetMs?: number;
  /** Rows per chunk: one progress write per chunk. */
  chunkRows?: number;
}

export type RunResult = { outcome: 'done' | 'failed' | 'continued' | 'skipped'; job: ImportJob | undefined };

const DEFAULT_BUDGET_MS = 60_000;
const DEFAULT_CHUNK_ROWS = 100;
const WRITE_ATTEMPTS = 5;

interface ChunkTally {
  imported: number;
  merged: number;
  rejected: RowRejection[];
}

/**
 * Merges a chunk's rows in file order over what was read: a contact that appears twice is
 * written once, in its final state, conditional on the version read.
 */
const mergeChunk = (
  stored: ReadonlyMap<string, StoredContact>,
  rows: readonly ContactRow[],
  ctx: MergeContext,
): { tally: ChunkTally; writes: ContactWrite[] } => {
  const state = new Map<string, StoredContact>(stored);
  const changed = new Map<string, ContactWrite>();
  const tally: ChunkTally = { imported: 0, merged: 0, rejected: [] };
  for (const row of rows) {
    const id = contactIdOf(row.email);
    const outcome = mergeRow(state.get(id), row, ctx);
    if (outcome.kind === 'rejected') {
      tally.rejected.push(outcome.rejection);
      continue;
    }
    tally[outcome.kind] += 1;
    state.set(id, outcome.contact);
    if (!outcome.write) continue;
    const before = stored.get(id);
    const previous = before === 'erased' ? undefined : before;
    changed.set(id, { contact: { ...outcome.contact, version: (previous?.version ?? 0) + 1 }, previous });
  }
  return { tally, writes: [...changed.values()] };
};

/** Reads, merges and writes one chunk; re-reads and retries it when a concurrent change conflicts. */
const writeChunk = async (
  deps: ImportDeps,
  job: ImportJob,
  rows: readonly ContactRow[],
  initialList: ContactList | null,
  now: string,
): Promise<{ tally: ChunkTally; list: ContactList | null }> => {
  const ctx: MergeContext = {
    partnerId: job.partnerId,
    importId: job.id,
    listId: job.listId,
    importConsent: job.consent,
    now,
  };
  let list = initialList;
  for (let attempt = 1; ; attempt += 1) {
    const ids = rows.map((r) => contactIdOf(r.email));
    const { tally, writes } = mergeChunk(await deps.contacts.getMany(job.partnerId, ids), rows, ctx);
    try {
      return { tally, list: await deps.contacts.write(job.partnerId, writes, list) };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= WRITE_ATTEMPTS) throw error;
      if (list) list = (await deps.lists.get(job.partnerId, list.id)) ?? null;
    }
  }
};

const recordProgress = (
  deps: ImportDeps,
  job: ImportJob,
  tally: ChunkTally,
  rowsRead: number,
  last: CsvRecord,
): Promise<ImportJob> => {
  const room = Math.max(0, MAX_REPORTED_ERRORS - job.errors.length);
  return deps.imports.update(job, job.version, {
    counts: {
      rowsRead: job.counts.rowsRead + rowsRead,
      imported: job.counts.imported + tally.imported,
      merged: job.counts.merged + tally.merged,
      rejected: job.counts.rejected + tally.rejected.length,
    },
    errors: [...job.errors, ...tally.rejected.slice(0, room)],
    checkpoint: { byte: last.endByte, newlines: last.newlines },
    updatedAt: deps.clock().toISOString(),
  });
};

/** Validates, merges, writes a chunk of records and moves the checkpoint past them. */
const processChunk = async (
  deps: ImportDeps,
  job: ImportJob,
  records: readonly CsvRecord[],
  list: ContactList | null,
): Promise<{ job: ImportJob; list: ContactList | null }> => {
  const last = records.at(-1);
  if (!last) return { job, list };
  const now = deps.clock();
  const rows: ContactRow[] = [];
  const invalid: RowRejection[] = [];
  for (const record of records) {
    if (isBlank(record.cells)) continue;
    const row = toContactRow(record.cells, record.line, job.columns, job.consent, now);
    if (isRejection(row)) invalid.push(row);
    else rows.push(row);
  }
  const written = await writeChunk(deps, job, rows, list, now.toISOString());
  const tally = {
    ...written.tally,
    rejected: [...invalid, ...written.tally.rejected].sort((a, b) => a.line - b.line),
  };
  const read = rows.length + invalid.length;
  return { job: await recordProgress(deps, job, tally, read, last), list: written.list };
};

const finish = async (
  deps: ImportDeps,
  job: ImportJob,
  failure: ImportJob['failure'],
): Promise<RunResult> => {
  const now = deps.clock().toISOString();
  const status = failure ? 'failed' : 'done';
  const finished = await deps.imports.update(job, job.version, {
    status,
    failure,
    updatedAt: now,
    finishedAt: now,
  });
  return { outcome: status, job: finished };
};

/** Reads the file from the checkpoint a chunk at a time, until the end, a broken record or the deadline. */
const processFile = async (
  deps: ImportDeps,
  started: ImportJob,
  bytes: Uint8Array,
  options: { chunkRows: number; deadline: number },
): Promise<RunResult> => {
  let job = started;
  let list = job.listId ? ((await deps.lists.get(job.partnerId, job.listId)) ?? null) : null;
  let chunk: CsvRecord[] = [];
  try {
    for await (const record of readCsv(bytes, job.checkpoint, job.delimiter)) {
      chunk.push(record);
      if (chunk.length < options.chunkRows) continue;
      ({ job, list } = await processChunk(deps, job, chunk, list));
      chunk = [];
      if (deps.clock().getTime() >= options.deadline) {
        await deps.enqueue({ type: 'contacts.import', partnerId: job.partnerId, importId: job.id });
        return { outcome: 'continued', job };
      }
    }
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    ({ job } = await processChunk(deps, job, chunk, list));
    return finish(deps, job, { line: error.line, message: error.message });
  }
  ({ job } = await processChunk(deps, job, chunk, list));
  return finish(deps, job, null);
};

/**
 * Runs (or resumes) an import from its checkpoint, a chunk at a time: every chunk's contacts
 * are written before the checkpoint moves past them, and re-applying a row is recognised (the
 * contact remembers the import row that last wrote it), so a run that dies anywhere can be
 * repeated from the checkpoint with exact counts. A run that uses up its time budget enqueues
 * the rest. Two runs of one job cannot both move it: progress writes are conditional on the
 * job's version, and the loser stops.
 */
export const runImport = async (
  deps: ImportDeps,
  ref: { partnerId: string; importId: string },
  options: RunOptions = {},
): Promise<RunResult> => {
  const deadline = deps.clock().getTime() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  const found = await deps.imports.get(ref.partnerId, ref.importId);
  if (!found || found.status === 'done' || found.status === 'failed')
    return { outcome: 'skipped', job: found };
  try {
    const job =
      found.status === 'queued'
        ? await deps.imports.update(found, found.version, {
            status: 'running',
            updatedAt: deps.clock().toISOString(),
          })
        : found;
    const file = await deps.blobs.get(importBlobKey(job.partnerId, job.id));
    if (!file) return await finish(deps, job, { line: null, message: 'the uploaded file is gone' });
    const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
    return await processFile(deps, job, file.bytes, { chunkRows, deadline });
  } catch (error) {
    // Another run of the same job moved it first: that run carries on, this one stops.
    if (error instanceof PreconditionFailedError) return { outcome: 'skipped', job: undefined };
    throw error;
  }
};
