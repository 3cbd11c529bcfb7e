import * as z from 'zod';
import { partnerIdSchema } from '#functions/partners/schema';
import { accountKinds } from './account-lists';

/**
 * Account-list summaries, upload reports and overlap rows: the stored shape and the API's
 * answers in one place. Nothing here holds a domain or a company name: a summary has counts,
 * the key id and rejected rows by line and reason; the raw file is in the blob store.
 */
export const accountKindSchema = z.enum(accountKinds).meta({
  description: 'customer: current customers; opportunity: open opportunities',
});

export const accountListStatuses = ['queued', 'running', 'ready', 'deleting', 'failed'] as const;

export const rowProblems = ['no-domain', 'missing-kind', 'unknown-kind', 'other-kind'] as const;
export type RowProblem = (typeof rowProblems)[number];

/** What a stored rejected row says: the reason's words, never the cell (which may name a company). */
export const rowProblemMessages: Record<RowProblem, string> = {
  'no-domain': 'names no company domain or website',
  'missing-kind': 'no kind: customer or opportunity',
  'unknown-kind': 'the kind is neither customer nor opportunity',
  'other-kind': 'the row is of the other kind: upload it to that list',
};

export const rowErrorSchema = z.object({
  line: z.number().int().positive(),
  reason: z.enum(rowProblems),
  message: z.string(),
});
export type RowError = z.infer<typeof rowErrorSchema>;

export const overlapCountsSchema = z.object({
  /** How many of this list's accounts are vendor customers / open vendor opportunities. */
  vendorCustomers: z.number().int().nonnegative(),
  vendorOpportunities: z.number().int().nonnegative(),
  computedAt: z.iso.datetime(),
});

/** The summary item (minus keys): one per owner and kind. */
export const storedSummarySchema = z.object({
  /** null for the vendor's own lists (marketing). */
  partnerId: partnerIdSchema.nullable(),
  kind: z.enum(accountKinds),
  uploadId: z.string(),
  status: z.enum(accountListStatuses),
  /** Distinct accounts in the upload (what the list holds once ready). */
  accounts: z.number().int().nonnegative(),
  rowsRead: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** The first rejected rows, by line and reason only. */
  rowErrors: z.array(z.object({ line: z.number().int().positive(), reason: z.enum(rowProblems) })),
  /** The key the hashes are under (rotation: a list under a retired key must be re-uploaded). */
  kid: z.string(),
  fileBytes: z.number().int().nonnegative(),
  uploadedAt: z.iso.datetime(),
  uploadedBy: z.string(),
  finishedAt: z.iso.datetime().nullable(),
  failure: z.string().nullable(),
  /** Partner lists only: the overlap with the vendor's lists, recomputed when either changes. */
  overlap: overlapCountsSchema.nullable(),
  version: z.number().int().positive(),
});
export type StoredSummary = z.infer<typeof storedSummarySchema>;

export const accountListSchema = storedSummarySchema
  .omit({ rowErrors: true })
  .extend({ errors: z.array(rowErrorSchema) })
  .meta({ id: 'AccountList' });
export type AccountList = z.infer<typeof accountListSchema>;

export const accountListPageSchema = z
  .object({ items: z.array(accountListSchema) })
  .meta({ id: 'AccountListPage' });

const listCountsSchema = z.object({
  status: z.enum(accountListStatuses),
  accounts: z.number().int().nonnegative(),
  uploadedAt: z.iso.datetime(),
  vendorCustomers: z.number().int().nonnegative().nullable(),
  vendorOpportunities: z.number().int().nonnegative().nullable(),
});

export const overlapRowSchema = z
  .object({
    partnerId: partnerIdSchema,
    customer: listCountsSchema.nullable(),
    opportunity: listCountsSchema.nullable(),
    /** Leads whose account is on this partner's lists, and EQLs naming it; null until leads are counted. */
    leads: z.number().int().nonnegative().nullable(),
    eqls: z.number().int().nonnegative().nullable(),
  })
  .meta({ id: 'AccountOverlapRow' });
export type OverlapRow = z.infer<typeof overlapRowSchema>;

export const overlapPageSchema = z
  .object({ items: z.array(overlapRowSchema) })
  .meta({ id: 'AccountOverlaps' });

/** The import queue's account-list messages (the contacts import shares the queue). */
export const accountListMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('account-lists.apply'),
    partnerId: partnerIdSchema.nullable(),
    kind: z.enum(accountKinds),
    uploadId: z.string().min(1),
  }),
  z.object({
    type: z.literal('account-lists.overlap'),
    partnerId: partnerIdSchema,
    kind: z.enum(accountKinds),
  }),
]);
export type AccountListMessage = z.infer<typeof accountListMessageSchema>;

/** The hash file an upload leaves for the worker: one key id, the hashes (no domains). */
export const uploadHashesSchema = z.object({
  kid: z.string(),
  hashes: z.array(z.string().regex(/^[A-Za-z0-9_-]{22}$/)),
});
