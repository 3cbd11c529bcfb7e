import type { BlobStore } from '#platform/blobs';
import type { Table } from '#platform/table';
import { contactStore } from './contact-store';
import type { ContactUseCaseDeps } from './contacts';
import { importStore } from './import-store';
import type { ImportDeps } from './imports';
import { listStore } from './list-store';
import type { ListDeps } from './lists';
import type { ImportMessage } from './schema';
import { suppressionStore } from './suppression';

/** What the contacts feature needs from outside: the API and the import worker build it the same way. */
export interface ContactDeps {
  table: Table;
  blobs: BlobStore;
  /** Hands an import to the worker (SQS in AWS, the in-process queue in `npm start`). */
  enqueue: (message: ImportMessage) => Promise<void>;
  clock: () => Date;
  newId: () => string;
}

export type ContactFeature = ImportDeps & ListDeps & ContactUseCaseDeps;

/** The stores over the shared table, plus the ports: one object every use-case takes. */
export const contactFeature = (deps: ContactDeps): ContactFeature => ({
  contacts: contactStore(deps.table),
  lists: listStore(deps.table),
  imports: importStore(deps.table),
  suppressions: suppressionStore(deps.table),
  blobs: deps.blobs,
  enqueue: deps.enqueue,
  clock: deps.clock,
  newId: deps.newId,
});
