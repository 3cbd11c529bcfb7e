import * as z from 'zod';
import { principalOf } from '#functions/http/env';
import { commonProblems, createRouter, json, notFoundProblem, secureRoute } from '#functions/http/router';
import {
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#platform/errors';
import { eraseContact, exportContacts, getContact, searchContacts } from './contacts';
import { type ColumnRequest, parseColumnRequest } from './csv-columns';
import { delimiters } from './csv-read';
import type { ContactFeature } from './deps';
import { startImport } from './imports';
import { ownPartner } from './routes-shared';
import { parseConsentAt } from './rows';
import {
  contactIdSchema,
  contactPageSchema,
  contactQuerySchema,
  contactSchema,
  type ImportConsent,
  importJobSchema,
  importPageSchema,
  pageQuerySchema,
  ulidSchema,
} from './schema';

/** CSV uploads come through API Gateway and Lambda (6 MB payloads); larger files need a direct upload. */
export const CONTACT_IMPORT_BYTES = 5 * 1024 * 1024;

const tags = ['Contacts'];

const importQuerySchema = z.strictObject({
  listId: ulidSchema.optional().meta({ description: 'Add every imported contact to this list' }),
  header: z
    .enum(['auto', 'present', 'absent'])
    .default('auto')
    .meta({ description: 'auto: the first row is a header when a cell names an email column' }),
  delimiter: z.enum(['comma', 'semicolon', 'tab']).default('comma'),
  columns: z.string().max(2000).optional().meta({
    description:
      'field:column pairs, column a 0-based index or a header name: `email:0,first_name:1` or `email:E-mail`. Fields: email, first_name, last_name, company, job_title, phone, country, consent_source, consent_at, consent_text',
  }),
  consentSource: z.string().trim().min(1).max(200).optional().meta({
    description: 'Consent for rows without their own: where it was given (e.g. form:webinar-2026)',
  }),
  consentAt: z
    .string()
    .max(40)
    .optional()
    .meta({ description: 'ISO 8601 date or date-time of that consent' }),
  consentText: z
    .string()
    .trim()
    .max(200)
    .optional()
    .meta({ description: 'Version of the consent wording shown' }),
});

const fieldError = (path: string, message: string) => new ValidationError(message, [{ path, message }]);

const importConsentOf = (query: z.infer<typeof importQuerySchema>, now: Date): ImportConsent | null => {
  const { consentSource, consentAt, consentText } = query;
  if (consentSource === undefined && consentAt === undefined) {
    if (consentText !== undefined)
      throw fieldError('query.consentText', 'give consentSource and consentAt with it');
    return null;
  }
  if (consentSource === undefined) throw fieldError('query.consentSource', 'required with consentAt');
  if (consentAt === undefined) throw fieldError('query.consentAt', 'required with consentSource');
  const at = parseConsentAt(consentAt, now);
  if (!at) throw fieldError('query.consentAt', 'an ISO 8601 date or date-time, not in the future');
  return { source: consentSource, at, text: consentText ?? null };
};

const columnsOf = (value: string | undefined): ColumnRequest => {
  if (value === undefined) return {};
  const parsed = parseColumnRequest(value);
  if (typeof parsed === 'string') throw fieldError('query.columns', parsed);
  return parsed;
};

const readCsvBody = async (req: {
  header(name: string): string | undefined;
  arrayBuffer(): Promise<ArrayBuffer>;
}) => {
  const type = (req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'text/csv') throw new UnsupportedMediaTypeError('send the file as text/csv (UTF-8)');
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > CONTACT_IMPORT_BYTES) {
    throw new PayloadTooLargeError(`a CSV upload holds at most ${CONTACT_IMPORT_BYTES} bytes`);
  }
  return bytes;
};

export const contactRoutesOnly = (deps: ContactFeature) =>
  createRouter()
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/contacts',
        tags,
        summary: 'My contacts by email, optionally those starting with a prefix',
        request: { query: contactQuerySchema },
        responses: { 200: json(contactPageSchema, 'A page of contacts'), ...commonProblems },
      }),
      async (c) => {
        const page = await searchContacts(deps, ownPartner(principalOf(c)), c.req.valid('query'));
        return c.json(contactPageSchema.parse(page), 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/contacts/export',
        tags,
        summary: 'Export my contacts (or one list) as CSV; cells that could run as formulas are neutralised',
        request: { query: z.strictObject({ listId: ulidSchema.optional() }) },
        responses: {
          200: { description: 'CSV, UTF-8 with BOM', content: { 'text/csv': { schema: z.string() } } },
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const csv = await exportContacts(deps, ownPartner(principalOf(c)), c.req.valid('query').listId);
        return c.body(csv, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="contacts.csv"',
        });
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/contacts/imports',
        tags,
        summary: 'Import contacts from a CSV file (runs in the background; poll the import)',
        description: `The body is the CSV (text/csv, UTF-8, BOM allowed, at most ${CONTACT_IMPORT_BYTES / 1024 / 1024} MB). Each row needs consent (consent_source and consent_at columns) unless the import gives one for all rows. Duplicates merge by normalised address.`,
        request: {
          query: importQuerySchema,
          body: { required: true, content: { 'text/csv': { schema: z.string() } } },
        },
        responses: {
          202: json(importJobSchema, 'The import, queued'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const principal = principalOf(c);
        const partnerId = ownPartner(principal);
        const query = c.req.valid('query');
        const options = {
          listId: query.listId ?? null,
          header: query.header,
          delimiter: delimiters[query.delimiter],
          columns: columnsOf(query.columns),
          consent: importConsentOf(query, deps.clock()),
        };
        const job = await startImport(deps, partnerId, principal.sub, await readCsvBody(c.req), options);
        c.header('location', `/api/contacts/imports/${job.id}`);
        return c.json(job, 202);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/contacts/imports',
        tags,
        summary: 'My imports, newest first',
        request: { query: pageQuerySchema },
        responses: { 200: json(importPageSchema, 'A page of imports'), ...commonProblems },
      }),
      async (c) => {
        const { limit, cursor } = c.req.valid('query');
        const page = await deps.imports.page(ownPartner(principalOf(c)), limit, cursor);
        return c.json(importPageSchema.parse(page), 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/contacts/imports/{importId}',
        tags,
        summary: 'An import’s progress and its rejected rows (line and reason)',
        request: { params: z.strictObject({ importId: ulidSchema }) },
        responses: { 200: json(importJobSchema, 'The import'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const job = await deps.imports.get(ownPartner(principalOf(c)), c.req.valid('param').importId);
        if (!job) throw new NotFoundError('not found');
        return c.json(job, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'get',
        path: '/contacts/{contactId}',
        tags,
        summary: 'One contact with its consent record and lists',
        request: { params: z.strictObject({ contactId: contactIdSchema }) },
        responses: { 200: json(contactSchema, 'The contact'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const contact = await getContact(deps, ownPartner(principalOf(c)), c.req.valid('param').contactId);
        return c.json(contact, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'delete',
        path: '/contacts/{contactId}',
        tags,
        summary: 'Erase a contact (GDPR): removes it and its memberships; its address stays suppressed',
        request: { params: z.strictObject({ contactId: contactIdSchema }) },
        responses: { 204: { description: 'Erased' }, ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const principal = principalOf(c);
        await eraseContact(deps, ownPartner(principal), c.req.valid('param').contactId, principal.sub);
        return c.body(null, 204);
      },
    );
