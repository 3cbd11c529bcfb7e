import * as z from 'zod';
import { CONTACT_ID, MAX_EMAIL_LENGTH } from './email';

/** The fields a CSV column can map to (the export writes the same names, so files round-trip). */
export const contactFields = [
  'email',
  'first_name',
  'last_name',
  'company',
  'job_title',
  'phone',
  'country',
  'consent_source',
  'consent_at',
  'consent_text',
] as const;
export type ContactField = (typeof contactFields)[number];

export const contactIdSchema = z.string().regex(CONTACT_ID, 'a contact id (32 hex characters)');
export const ulidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ULID');

/** How ChannelKit learnt of the consent; `source` says where the person gave it. */
export const consentChannels = ['import', 'api'] as const;

/**
 * The GDPR consent record kept with each contact: who (the contact this record belongs to),
 * when (`at`), how (`source`, e.g. "form:webinar-2026", "event:rsa", and the `channel` it
 * reached us by), what they were told (`text`, the consent wording's version when given) and
 * the controller that collected it (`controller`, the partner).
 */
export const consentSchema = z
  .object({
    source: z.string().min(1).max(200),
    at: z.iso.datetime(),
    text: z.string().max(200).nullable(),
    channel: z.enum(consentChannels),
    controller: z.object({ partnerId: z.string() }),
    recordedAt: z.iso.datetime(),
    importId: z.string().nullable(),
  })
  .meta({ id: 'ConsentRecord' });
export type Consent = z.infer<typeof consentSchema>;

export const profileSchema = z.object({
  firstName: z.string().max(100).nullable(),
  lastName: z.string().max(100).nullable(),
  company: z.string().max(200).nullable(),
  jobTitle: z.string().max(200).nullable(),
  phone: z.string().max(50).nullable(),
  country: z.string().max(100).nullable(),
});
export type Profile = z.infer<typeof profileSchema>;

const lineRef = z.object({ importId: z.string(), line: z.number().int() });

export const contactSchema = z
  .object({
    id: contactIdSchema,
    partnerId: z.string(),
    email: z.string().max(MAX_EMAIL_LENGTH),
    ...profileSchema.shape,
    consent: consentSchema,
    /** Earlier consents this one replaced, newest first (at most 20). */
    consentHistory: z.array(consentSchema),
    lists: z.array(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /** The import row that created / last wrote the contact: a resumed import counts exactly once. */
    createdBy: lineRef.nullable(),
    lastWrite: lineRef.nullable(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof contactSchema>;

export const contactSummarySchema = contactSchema
  .pick({ id: true, email: true, firstName: true, lastName: true, company: true, updatedAt: true })
  .meta({ id: 'ContactSummary' });

export const contactPageSchema = z
  .object({ items: z.array(contactSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ContactPage' });

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
});

export const contactQuerySchema = pageQuerySchema.extend({
  prefix: z
    .string()
    .trim()
    .max(MAX_EMAIL_LENGTH)
    .optional()
    .meta({ description: 'Email prefix, case-insensitive' }),
});

// ---- lists

const listNameSchema = z.string().trim().min(1).max(120);

export const listSchema = z
  .object({
    id: ulidSchema,
    name: z.string(),
    memberCount: z.number().int().nonnegative(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'ContactList' });
export type ContactList = z.infer<typeof listSchema>;

export const createListSchema = z.strictObject({ name: listNameSchema }).meta({ id: 'CreateContactList' });
export const renameListSchema = z.strictObject({ name: listNameSchema }).meta({ id: 'RenameContactList' });
export const listPageSchema = z
  .object({ items: z.array(listSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ContactListPage' });

export const memberSchema = z
  .object({
    contactId: contactIdSchema,
    email: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    company: z.string().nullable(),
  })
  .meta({ id: 'ListMember' });
export type Member = z.infer<typeof memberSchema>;

export const memberPageSchema = z
  .object({ items: z.array(memberSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ListMemberPage' });

export const addMembersSchema = z
  .strictObject({ contactIds: z.array(contactIdSchema).min(1).max(100) })
  .meta({ id: 'AddListMembers' });

export const addMembersResultSchema = z
  .object({ added: z.number().int(), alreadyMembers: z.number().int(), notFound: z.array(z.string()) })
  .meta({ id: 'AddListMembersResult' });

// ---- imports

export const importStatuses = ['queued', 'running', 'done', 'failed'] as const;

export const rowErrorReasons = [
  'invalid-email',
  'missing-consent',
  'invalid-consent-at',
  'too-long',
  'erased',
] as const;
export type RowErrorReason = (typeof rowErrorReasons)[number];

export const rowErrorSchema = z.object({
  line: z.number().int().positive().meta({ description: 'The CSV line the row starts on (1-based)' }),
  reason: z.enum(rowErrorReasons),
  message: z.string(),
});
export type RowError = z.infer<typeof rowErrorSchema>;

export const MAX_REPORTED_ERRORS = 500;

/** Column index (0-based) of each mapped field. */
export const columnMapSchema = z.partialRecord(z.enum(contactFields), z.number().int().nonnegative());
export type ColumnMap = z.infer<typeof columnMapSchema>;

export const importConsentSchema = z.object({
  source: z.string().min(1).max(200),
  at: z.iso.datetime(),
  text: z.string().max(200).nullable(),
});
export type ImportConsent = z.infer<typeof importConsentSchema>;

export const importJobSchema = z
  .object({
    id: ulidSchema,
    partnerId: z.string(),
    status: z.enum(importStatuses),
    listId: ulidSchema.nullable(),
    hasHeader: z.boolean(),
    delimiter: z.string(),
    columns: columnMapSchema,
    consent: importConsentSchema.nullable(),
    fileBytes: z.number().int().nonnegative(),
    /** Where the next run starts: a record boundary, and the newlines before it (for line numbers). */
    checkpoint: z.object({ byte: z.number().int().nonnegative(), newlines: z.number().int().nonnegative() }),
    counts: z.object({
      rowsRead: z.number().int().nonnegative(),
      imported: z.number().int().nonnegative(),
      merged: z.number().int().nonnegative(),
      rejected: z.number().int().nonnegative(),
    }),
    errors: z.array(rowErrorSchema).meta({ description: `The first ${MAX_REPORTED_ERRORS} rejected rows` }),
    failure: z.object({ line: z.number().int().nullable(), message: z.string() }).nullable(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'ContactImport' });
export type ImportJob = z.infer<typeof importJobSchema>;

export const importPageSchema = z
  .object({
    items: z.array(importJobSchema.omit({ errors: true, columns: true })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ContactImportPage' });

/** What the import queue carries; the worker parses it with this schema. */
export const importMessageSchema = z.object({
  type: z.literal('contacts.import'),
  partnerId: z.string().min(1),
  importId: ulidSchema,
});
export type ImportMessage = z.infer<typeof importMessageSchema>;

// ---- suppressions

export const suppressionReasons = ['unsubscribe', 'hard-bounce', 'complaint', 'manual', 'erasure'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

export const suppressionSchema = z
  .object({
    email: z.string(),
    scope: z.enum(['global', 'partner']),
    partnerId: z.string().nullable(),
    reason: z.enum(suppressionReasons),
    source: z.string(),
    at: z.iso.datetime(),
    /** When a partner lifted its own manual suppression; kept as a record, no longer in force. */
    liftedAt: z.iso.datetime().nullable(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'Suppression' });
export type Suppression = z.infer<typeof suppressionSchema>;

export const suppressionPageSchema = z
  .object({ items: z.array(suppressionSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'SuppressionPage' });
