import * as z from 'zod';
import type { Principal } from '#functions/auth/principal';
import { callerPartnerId } from '#functions/auth/tenancy';
import { delimiters } from '#functions/contacts/csv-read';
import { principalOf } from '#functions/http/env';
import {
  commonProblems,
  conflictProblem,
  createRouter,
  json,
  notFoundProblem,
  secureRoute,
} from '#functions/http/router';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '#platform/errors';
import type { AccountListOwner } from './account-list-keys';
import {
  accountKindSchema,
  accountListPageSchema,
  accountListSchema,
  overlapPageSchema,
} from './account-list-schema';
import {
  type AccountListDeps,
  deleteAccountList,
  overlapRows,
  rawAccountList,
  toAccountList,
  uploadAccountList,
} from './account-list-uploads';
import { MAX_ACCOUNTS } from './account-lists';

/**
 * Account lists: a partner works on its own two lists (customers, open opportunities), and
 * marketing on the vendor's own two; who the owner is comes from the token, never the request.
 * Only the owner ever gets a list's raw file back; everyone else sees counts.
 */

/** CSV uploads come through API Gateway and Lambda (6 MB payloads), as contact imports do. */
export const ACCOUNT_LIST_BYTES = 5 * 1024 * 1024;

/** The body limits of the two upload paths (functions/app.ts `bodyLimits`). */
export const accountListUploadLimits: Record<string, number> = Object.fromEntries(
  accountKindSchema.options.map((kind) => [`POST /api/account-lists/${kind}`, ACCOUNT_LIST_BYTES]),
);

const tags = ['Account lists'];
const roles = ['partner', 'marketing'] as const;

/** A partner user's lists are its partner's; marketing's are the vendor's. */
const ownerOfCaller = (principal: Principal): AccountListOwner => {
  const partnerId = callerPartnerId(principal);
  return partnerId ? { partnerId } : 'vendor';
};

const kindParams = z.strictObject({ kind: accountKindSchema });

const uploadQuerySchema = z.strictObject({
  header: z
    .enum(['auto', 'present', 'absent'])
    .default('auto')
    .meta({ description: 'auto: the first row is a header when a cell names a domain, name or kind column' }),
  delimiter: z.enum(['comma', 'semicolon', 'tab']).default('comma'),
});

const readCsvBody = async (req: {
  header(name: string): string | undefined;
  arrayBuffer(): Promise<ArrayBuffer>;
}) => {
  const type = (req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'text/csv') throw new UnsupportedMediaTypeError('send the file as text/csv (UTF-8)');
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > ACCOUNT_LIST_BYTES) {
    throw new PayloadTooLargeError(`an account list holds at most ${ACCOUNT_LIST_BYTES} bytes`);
  }
  return bytes;
};

export const accountListRoutes = (deps: AccountListDeps) =>
  createRouter()
    .openapi(
      secureRoute(roles, {
        method: 'get',
        path: '/account-lists',
        tags,
        summary: 'My account lists (a partner’s own; marketing: the vendor’s own): counts and status',
        responses: { 200: json(accountListPageSchema, 'The lists that exist'), ...commonProblems },
      }),
      async (c) => {
        const summaries = await deps.store.summariesOf(ownerOfCaller(principalOf(c)));
        return c.json({ items: summaries.map((summary) => toAccountList(summary)) }, 200);
      },
    )
    .openapi(
      secureRoute(roles, {
        method: 'get',
        path: '/account-lists/overlaps',
        tags,
        summary:
          'Overlap with the vendor’s lists per partner (marketing: every partner; a partner: its own row)',
        description:
          'Counts only: how many accounts each partner list holds and how many of them are vendor customers or open vendor opportunities. Never which accounts.',
        responses: { 200: json(overlapPageSchema, 'One row per partner'), ...commonProblems },
      }),
      async (c) => {
        const items = await overlapRows(deps, callerPartnerId(principalOf(c)));
        return c.json({ items }, 200);
      },
    )
    .openapi(
      secureRoute(roles, {
        method: 'post',
        path: '/account-lists/{kind}',
        tags,
        summary: 'Replace my customer or open-opportunity list with a CSV (written in the background)',
        description: `The body is the CSV (text/csv, UTF-8, BOM allowed, at most ${ACCOUNT_LIST_BYTES / 1024 / 1024} MB, ${MAX_ACCOUNTS.toLocaleString('en')} rows): a domain or website column (a header names it, or the first row holds a domain), optionally a company name and a kind column. Only keyed hashes of the company domains are stored; the file is kept for you alone. Rows without a company domain, or of the other kind, are reported by line.`,
        request: {
          params: kindParams,
          query: uploadQuerySchema,
          body: { required: true, content: { 'text/csv': { schema: z.string() } } },
        },
        responses: {
          202: json(accountListSchema, 'The list, queued, with the rejected rows'),
          ...commonProblems,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const principal = principalOf(c);
        const query = c.req.valid('query');
        const list = await uploadAccountList(
          deps,
          ownerOfCaller(principal),
          c.req.valid('param').kind,
          await readCsvBody(c.req),
          { header: query.header, delimiter: delimiters[query.delimiter] },
          principal.sub,
        );
        return c.json(list, 202);
      },
    )
    .openapi(
      secureRoute(roles, {
        method: 'delete',
        path: '/account-lists/{kind}',
        tags,
        summary: 'Delete my list of this kind (its hashes are removed in the background, the file at once)',
        request: { params: kindParams },
        responses: {
          202: json(accountListSchema, 'The list, being deleted'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const owner = ownerOfCaller(principalOf(c));
        return c.json(await deleteAccountList(deps, owner, c.req.valid('param').kind), 202);
      },
    )
    .openapi(
      secureRoute(roles, {
        method: 'get',
        path: '/account-lists/{kind}/csv',
        tags,
        summary: 'Download my own list as I uploaded it (nobody else’s, ever)',
        request: { params: kindParams },
        responses: {
          200: { description: 'The uploaded CSV', content: { 'text/csv': { schema: z.string() } } },
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const { kind } = c.req.valid('param');
        const bytes = await rawAccountList(deps, ownerOfCaller(principalOf(c)), kind);
        return c.body(new Uint8Array(bytes), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${kind}-accounts.csv"`,
          'cache-control': 'private, no-store',
        });
      },
    );
