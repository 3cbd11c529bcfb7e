import type { BlobStore } from '#platform/blobs';
import { NotFoundError, ValidationError } from '#platform/errors';
import type { ContactStore } from './contact-store';
import { type ColumnRequest, type HeaderMode, resolveColumns } from './csv-columns';
import { CsvFormatError, type CsvRecord, readCsv } from './csv-read';
import type { ImportStore } from './import-store';
import { importBlobKey } from './keys';
import type { ListStore } from './list-store';
import type { ImportConsent, ImportJob, ImportMessage } from './schema';

/** What imports need from outside; the worker and the API build the same. */
export interface ImportDeps {
  contacts: ContactStore;
  lists: ListStore;
  imports: ImportStore;
  blobs: BlobStore;
  /** Hands a job to the import worker (SQS in AWS, the in-process queue locally). */
  enqueue: (message: ImportMessage) => Promise<void>;
  clock: () => Date;
  newId: () => string;
}

export interface ImportOptions {
  listId: string | null;
  header: HeaderMode;
  delimiter: string;
  columns: ColumnRequest;
  consent: ImportConsent | null;
}

const invalidFile = (message: string) => new ValidationError(message, [{ path: 'body', message }]);

const firstRecord = async (bytes: Uint8Array, delimiter: string): Promise<CsvRecord | undefined> => {
  try {
    for await (const record of readCsv(bytes, { byte: 0, newlines: 0 }, delimiter)) return record;
    return undefined;
  } catch (error) {
    if (error instanceof CsvFormatError) throw invalidFile(`line ${error.line}: ${error.message}`);
    throw error;
  }
};

/**
 * Accepts an upload: checks it is UTF-8 with a usable first row (header or mapped columns),
 * keeps the file in the blob store, records the job as queued and hands it to the worker.
 * Everything past the first row happens in runImport, a chunk at a time.
 */
export const startImport = async (
  deps: ImportDeps,
  partnerId: string,
  createdBy: string,
  bytes: Uint8Array,
  options: ImportOptions,
): Promise<ImportJob> => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidFile('the file is not UTF-8 text');
  }
  if (options.listId && !(await deps.lists.get(partnerId, options.listId))) {
    throw new NotFoundError('no such list');
  }
  const first = await firstRecord(bytes, options.delimiter);
  if (!first) throw invalidFile('the file has no rows');
  const { hasHeader, columns } = resolveColumns(first.cells, options.header, options.columns);
  const now = deps.clock().toISOString();
  const job: ImportJob = {
    id: deps.newId(),
    partnerId,
    status: 'queued',
    listId: options.listId,
    hasHeader,
    delimiter: options.delimiter,
    columns,
    consent: options.consent,
    fileBytes: bytes.byteLength,
    checkpoint: hasHeader ? { byte: first.endByte, newlines: first.newlines } : { byte: 0, newlines: 0 },
    counts: { rowsRead: 0, imported: 0, merged: 0, rejected: 0 },
    errors: [],
    failure: null,
    createdBy,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    version: 1,
  };
  await deps.blobs.put(importBlobKey(partnerId, job.id), bytes, 'text/csv; charset=utf-8');
  await deps.imports.create(job);
  await deps.enqueue({ type: 'contacts.import', partnerId, importId: job.id });
  return job;
};
