import type { HeaderMode } from '#functions/contacts/csv-columns';
import type { BlobStore } from '#platform/blobs';
import { NotFoundError, ValidationError } from '#platform/errors';
import type { AccountKeys } from './account-keys';
import { type AccountListOwner, rawListBlobKey, uploadHashesBlobKey } from './account-list-keys';
import {
  type AccountList,
  type AccountListMessage,
  type OverlapRow,
  type RowError,
  rowProblemMessages,
  type StoredSummary,
} from './account-list-schema';
import {
  type AccountKind,
  accountKinds,
  hashAccountList,
  MAX_REPORTED_ERRORS,
  type ParsedAccountList,
  parseAccountList,
} from './account-lists';
import type { AccountListStore } from './account-store';

/** Leads matched to a partner's lists and EQLs naming it, from the lead store when it counts them. */
export type MatchedLeadCounts = (partnerId: string) => Promise<{ leads: number; eqls: number }>;

/** What the account-list routes need from outside. */
export interface AccountListDeps {
  store: AccountListStore;
  blobs: BlobStore;
  /** Hashes new uploads (the primary key); derived from the platform secret. */
  keys: AccountKeys;
  /** Hands a list's write to the import worker (SQS in AWS, the in-process queue locally). */
  enqueue: (message: AccountListMessage) => Promise<void>;
  clock: () => Date;
  newId: () => string;
  leadCounts?: MatchedLeadCounts | undefined;
}

export interface UploadOptions {
  header: HeaderMode;
  delimiter: string;
}

const partnerIdOf = (owner: AccountListOwner) => (owner === 'vendor' ? null : owner.partnerId);

/** The API's view of a summary: stored row errors get their reason's words. */
export const toAccountList = (summary: StoredSummary, errors?: RowError[]): AccountList => {
  const { rowErrors, ...rest } = summary;
  return {
    ...rest,
    errors:
      errors ?? rowErrors.map(({ line, reason }) => ({ line, reason, message: rowProblemMessages[reason] })),
  };
};

/**
 * An upload names its kind; a file with a kind column may still hold rows of the other kind.
 * Those are reported with their line (upload them to the other list), never silently dropped.
 */
const rowsForKind = (parsed: ParsedAccountList, kind: AccountKind) => {
  const accounts = parsed.accounts.filter((account) => account.kind === kind);
  const otherKind = parsed.accounts.filter((account) => account.kind !== kind);
  const errors: RowError[] = [
    ...parsed.errors,
    ...otherKind.map((account) => ({
      line: account.line,
      reason: 'other-kind' as const,
      message: `this row is ${account.kind === 'customer' ? 'a customer' : 'an opportunity'}: upload it to the ${account.kind} list`,
    })),
  ].sort((a, b) => a.line - b.line);
  return {
    accounts,
    errors: errors.slice(0, MAX_REPORTED_ERRORS),
    rejected: parsed.rejected + otherKind.length,
  };
};

/**
 * Replaces an owner's list of one kind: parses the CSV (rows without a company domain reported
 * by line), hashes every domain under the primary key, leaves the hashes for the import worker,
 * keeps the raw file for its owner only, records the summary and enqueues the write. The
 * answer carries the row report; the list is `queued` until the worker has written it.
 */
export const uploadAccountList = async (
  deps: AccountListDeps,
  owner: AccountListOwner,
  kind: AccountKind,
  bytes: Uint8Array,
  options: UploadOptions,
  uploadedBy: string,
): Promise<AccountList> => {
  const parsed = await parseAccountList(bytes, { ...options, kind });
  const { accounts, errors, rejected } = rowsForKind(parsed, kind);
  if (accounts.length === 0) {
    const message = `no row names a ${kind} company domain or website (delete the list to empty it)`;
    throw new ValidationError(message, [{ path: 'body', message }], { rows: errors });
  }
  const hashes = hashAccountList(deps.keys, accounts);
  const current = await deps.store.summary(owner, kind);
  const now = deps.clock().toISOString();
  const summary: StoredSummary = {
    partnerId: partnerIdOf(owner),
    kind,
    uploadId: deps.newId(),
    status: 'queued',
    accounts: hashes.length,
    rowsRead: parsed.rowsRead,
    rejected,
    duplicates: parsed.duplicates,
    rowErrors: errors.map(({ line, reason }) => ({ line, reason })),
    kid: deps.keys.primary,
    fileBytes: bytes.byteLength,
    uploadedAt: now,
    uploadedBy,
    finishedAt: null,
    failure: null,
    overlap: null,
    version: (current?.version ?? 0) + 1,
  };
  const file = { kid: deps.keys.primary, hashes: hashes.map((h) => h.hash) };
  await deps.blobs.put(
    uploadHashesBlobKey(owner, kind, summary.uploadId),
    new TextEncoder().encode(JSON.stringify(file)),
    'application/json',
  );
  await deps.store.putSummary(summary, current?.version ?? null);
  await deps.blobs.put(rawListBlobKey(owner, kind), bytes, 'text/csv; charset=utf-8');
  await deps.enqueue({
    type: 'account-lists.apply',
    partnerId: summary.partnerId,
    kind,
    uploadId: summary.uploadId,
  });
  return toAccountList(summary, errors);
};

/**
 * Empties an owner's list: the summary says `deleting` until the worker has removed every
 * hash (then it is gone), and the raw file is overwritten at once. In the versioned bucket the
 * old content becomes a noncurrent version that the lifecycle rule expires, as a DeleteObject's
 * would, so the API needs no delete permission.
 */
export const deleteAccountList = async (
  deps: AccountListDeps,
  owner: AccountListOwner,
  kind: AccountKind,
): Promise<AccountList> => {
  const current = await deps.store.summary(owner, kind);
  if (!current) throw new NotFoundError('no such account list');
  if (current.status === 'deleting') return toAccountList(current);
  const summary: StoredSummary = {
    ...current,
    uploadId: deps.newId(),
    status: 'deleting',
    finishedAt: null,
    failure: null,
    version: current.version + 1,
  };
  await deps.store.putSummary(summary, current.version);
  await deps.blobs.put(rawListBlobKey(owner, kind), new Uint8Array(), 'text/csv; charset=utf-8');
  await deps.enqueue({
    type: 'account-lists.apply',
    partnerId: summary.partnerId,
    kind,
    uploadId: summary.uploadId,
  });
  return toAccountList(summary);
};

/** The owner's own raw upload, as it was sent; nobody else's (the routes pass the caller as owner). */
export const rawAccountList = async (
  deps: AccountListDeps,
  owner: AccountListOwner,
  kind: AccountKind,
): Promise<Uint8Array> => {
  const summary = await deps.store.summary(owner, kind);
  if (!summary || summary.status === 'deleting') throw new NotFoundError('no such account list');
  const blob = await deps.blobs.get(rawListBlobKey(owner, kind));
  if (!blob || blob.bytes.byteLength === 0) throw new NotFoundError('no such account list');
  return blob.bytes;
};

const countsOf = (summary: StoredSummary | undefined) =>
  summary
    ? {
        status: summary.status,
        accounts: summary.accounts,
        uploadedAt: summary.uploadedAt,
        vendorCustomers: summary.overlap?.vendorCustomers ?? null,
        vendorOpportunities: summary.overlap?.vendorOpportunities ?? null,
      }
    : null;

/**
 * Overlap rows, one per partner: its lists' sizes and how many of their accounts the vendor
 * already has as customers or open opportunities (counts only, never which), with matched
 * leads and EQLs when the lead store counts them. `partnerId` limits it to that partner's row
 * (a partner caller); otherwise every partner with a list (marketing).
 */
export const overlapRows = async (deps: AccountListDeps, partnerId: string | null): Promise<OverlapRow[]> => {
  const summaries = partnerId
    ? await deps.store.summariesOf({ partnerId })
    : (await deps.store.allSummaries()).filter((s) => s.partnerId !== null);
  const byPartner = new Map<string, StoredSummary[]>(partnerId ? [[partnerId, []]] : []);
  for (const summary of summaries) {
    if (summary.partnerId === null) continue;
    byPartner.set(summary.partnerId, [...(byPartner.get(summary.partnerId) ?? []), summary]);
  }
  return Promise.all(
    [...byPartner].map(async ([id, lists]) => {
      const [customer, opportunity] = accountKinds.map((kind) => lists.find((s) => s.kind === kind));
      const leads = deps.leadCounts ? await deps.leadCounts(id) : null;
      return {
        partnerId: id,
        customer: countsOf(customer),
        opportunity: countsOf(opportunity),
        leads: leads?.leads ?? null,
        eqls: leads?.eqls ?? null,
      };
    }),
  );
};
