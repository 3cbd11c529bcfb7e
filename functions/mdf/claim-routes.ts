import * as z from 'zod';
import { principalOf } from '#functions/http/env';
import { etagOf, ifMatchHeaders, versionFromIfMatch } from '#functions/http/etag';
import { problemSchema } from '#functions/http/problem';
import {
  commonProblems,
  conflictProblem,
  createRouter,
  json,
  jsonBody,
  notFoundProblem,
  preconditionProblems,
  secureRoute,
} from '#functions/http/router';
import type { ClaimDeps } from './claim-ports';
import { claimIntegrity, decideClaim, payClaim, respondToClaim } from './claim-review';
import {
  claimDecisionInputSchema,
  claimIdSchema,
  claimIntegritySchema,
  claimPageSchema,
  claimQuerySchema,
  claimResponseInputSchema,
  claimSchema,
  fileClaimSchema,
  INVOICE_LIMITS,
  invoiceUploadSchema,
  paymentInputSchema,
  sha256Schema,
} from './claim-schema';
import { claimFile, fileClaim, getClaim, listClaims, previewClaim, uploadInvoice } from './claims';
import { currencySchema, minorSchema, requestIdSchema } from './schema';

const tags = ['MDF claims'];
const claimParams = z.strictObject({ claimId: claimIdSchema });
const binary = { schema: z.string().meta({ format: 'binary' }) };
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The body limit of an invoice upload (functions/app.ts `bodyLimits`). */
export const INVOICE_UPLOAD_BYTES = INVOICE_LIMITS.bytes;
export const invoiceUploadLimits = { 'POST /api/mdf/invoices': INVOICE_UPLOAD_BYTES };

const previewSchema = z
  .strictObject({
    requestId: requestIdSchema,
    campaignId: fileClaimSchema.shape.campaignId,
    amountMinor: minorSchema.min(1),
    currency: currencySchema,
    /** What the invoices will show was spent (the claim-share anomaly compares with it). */
    invoicedSpendMinor: minorSchema.default(0),
  })
  .meta({ id: 'MdfClaimPreviewInput' });

/** Evidence files are served as attachments that a browser never runs. */
const evidenceHeaders = (contentType: string, name: string) => ({
  'content-type': contentType,
  'content-disposition': `attachment; filename="${name.replace(/[^\w.-]+/g, '_')}"`,
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cache-control': 'private, no-store',
});

/**
 * MDF claims: partners upload invoices, preview and file claims (the POP pack frozen at filing)
 * and answer information requests; auditors decide and mark paid; everyone in scope reads.
 */
export const claimRoutes = <Pop extends z.ZodType>(deps: ClaimDeps, popSchema: Pop) =>
  createRouter()
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/mdf/invoices',
        tags,
        summary: 'Upload an invoice or receipt (PDF, PNG, JPEG or WebP) to name on a claim',
        description: `The body is the file itself, its Content-Type application/pdf, image/png, image/jpeg or image/webp, at most ${INVOICE_LIMITS.bytes / 1024 / 1024} MiB. It is judged by its content: the magic bytes must agree with the declared type, the file must be complete, a PDF must carry no script, launch action, embedded file or encryption. It is stored write-once (encrypted) under its SHA-256, which a claim then names; the same file again answers the same record.`,
        request: {
          body: {
            required: true,
            content: {
              'application/pdf': binary,
              'image/png': binary,
              'image/jpeg': binary,
              'image/webp': binary,
            },
          },
        },
        responses: {
          201: json(invoiceUploadSchema, 'The stored upload'),
          ...commonProblems,
          413: problem(`Larger than ${INVOICE_LIMITS.bytes / 1024 / 1024} MiB`),
          415: problem('Declared type is not application/pdf, image/png, image/jpeg or image/webp'),
          422: problem('Not a usable invoice by its content; `errors` names the problem'),
        },
      }),
      async (c) => {
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const upload = await uploadInvoice(deps, principalOf(c), bytes, c.req.header('content-type'));
        return c.json(upload, 201);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/mdf/claims/preview',
        tags,
        summary: 'The proof-of-performance pack a claim would freeze if filed now (nothing stored)',
        request: { body: jsonBody(previewSchema) },
        responses: { 200: json(popSchema, 'The POP pack as it stands'), ...commonProblems },
      }),
      async (c) => c.json((await previewClaim(deps, principalOf(c), c.req.valid('json'))) as never, 200),
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/mdf/claims',
        tags,
        summary: 'File a claim for an approved request: amount (≤ approved), uploaded invoices, notes',
        description:
          'The proof of performance is assembled from the platform’s records at filing and frozen: stored write-once, hashed into the claim and the partner’s audit chain. One claim per request; refused after the fund’s claim deadline.',
        request: { body: jsonBody(fileClaimSchema) },
        responses: { 201: json(claimSchema, 'The claim, submitted'), ...commonProblems, ...conflictProblem },
      }),
      async (c) => {
        const claim = await fileClaim(deps, principalOf(c), c.req.valid('json'));
        c.header('etag', etagOf(claim.version));
        c.header('location', `/api/mdf/claims/${claim.id}`);
        return c.json(claim, 201);
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/claims',
        tags,
        summary: 'Claims: open first, by age (oldest first) or amount (largest first); partners: their own',
        request: { query: claimQuerySchema },
        responses: { 200: json(claimPageSchema, 'A page of claims'), ...commonProblems },
      }),
      async (c) => c.json(await listClaims(deps, principalOf(c), c.req.valid('query')), 200),
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/claims/{claimId}',
        tags,
        summary: 'A claim with its decisions (partners: only their own)',
        request: { params: claimParams },
        responses: { 200: json(claimSchema, 'The claim'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const claim = await getClaim(deps, principalOf(c), c.req.valid('param').claimId);
        c.header('etag', etagOf(claim.version));
        return c.json(claim, 200);
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/claims/{claimId}/pop',
        tags,
        summary: 'The frozen POP pack as stored at filing (the archive holds it byte for byte)',
        request: { params: claimParams },
        responses: { 200: json(popSchema, 'The POP pack'), ...commonProblems, ...notFoundProblem },
      }),
      async (c) => {
        const file = await claimFile(deps, principalOf(c), c.req.valid('param').claimId, { kind: 'pop' });
        c.header('cache-control', 'private, no-store');
        return c.json(JSON.parse(new TextDecoder().decode(file.bytes)) as never, 200);
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/claims/{claimId}/pop.zip',
        tags,
        summary:
          'The POP pack as one archive: pop.json, leads.csv, report.html, email and landing page, SHA256SUMS',
        request: { params: claimParams },
        responses: {
          200: { description: 'A zip archive', content: { 'application/zip': binary } },
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const file = await claimFile(deps, principalOf(c), c.req.valid('param').claimId, { kind: 'archive' });
        return c.body(Buffer.from(file.bytes), 200, evidenceHeaders('application/zip', file.name));
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/claims/{claimId}/invoices/{sha256}',
        tags,
        summary: 'An invoice of the claim, as uploaded (an attachment, never run in the page)',
        request: { params: z.strictObject({ claimId: claimIdSchema, sha256: sha256Schema }) },
        responses: {
          200: {
            description: 'The file',
            content: {
              'application/pdf': binary,
              'image/png': binary,
              'image/jpeg': binary,
              'image/webp': binary,
            },
          },
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => {
        const { claimId, sha256 } = c.req.valid('param');
        const file = await claimFile(deps, principalOf(c), claimId, { kind: 'invoice', sha256 });
        return c.body(Buffer.from(file.bytes), 200, evidenceHeaders(file.contentType, file.name));
      },
    )
    .openapi(
      secureRoute(['marketing', 'auditor', 'partner'], {
        method: 'get',
        path: '/mdf/claims/{claimId}/integrity',
        tags,
        summary: 'Integrity: the partner’s audit chain recomputed and every frozen file re-hashed',
        request: { params: claimParams },
        responses: {
          200: json(claimIntegritySchema, 'The integrity status'),
          ...commonProblems,
          ...notFoundProblem,
        },
      }),
      async (c) => c.json(await claimIntegrity(deps, principalOf(c), c.req.valid('param').claimId), 200),
    )
    .openapi(
      secureRoute(['auditor'], {
        method: 'post',
        path: '/mdf/claims/{claimId}/decisions',
        tags,
        summary: 'Approve, approve partially (amount, reason), reject (code, reason) or request information',
        description:
          'Each decision is final once recorded. To correct one, record a new decision with `corrects` naming the latest final decision; the fund’s approved balance moves by the difference. A paid claim takes no more decisions.',
        request: { params: claimParams, headers: ifMatchHeaders, body: jsonBody(claimDecisionInputSchema) },
        responses: {
          200: json(claimSchema, 'The claim with the decision'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const claim = await decideClaim(
          deps,
          principalOf(c),
          c.req.valid('param').claimId,
          expected,
          c.req.valid('json'),
        );
        c.header('etag', etagOf(claim.version));
        return c.json(claim, 200);
      },
    )
    .openapi(
      secureRoute(['partner'], {
        method: 'post',
        path: '/mdf/claims/{claimId}/responses',
        tags,
        summary: 'Answer an auditor’s information request, optionally with more uploaded invoices',
        request: { params: claimParams, body: jsonBody(claimResponseInputSchema) },
        responses: {
          200: json(claimSchema, 'The claim, back in the queue'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
        },
      }),
      async (c) => {
        const claim = await respondToClaim(
          deps,
          principalOf(c),
          c.req.valid('param').claimId,
          c.req.valid('json'),
        );
        c.header('etag', etagOf(claim.version));
        return c.json(claim, 200);
      },
    )
    .openapi(
      secureRoute(['auditor'], {
        method: 'post',
        path: '/mdf/claims/{claimId}/payment',
        tags,
        summary: 'Mark an approved claim paid with the payment reference',
        request: { params: claimParams, headers: ifMatchHeaders, body: jsonBody(paymentInputSchema) },
        responses: {
          200: json(claimSchema, 'The claim, paid'),
          ...commonProblems,
          ...notFoundProblem,
          ...conflictProblem,
          ...preconditionProblems,
        },
      }),
      async (c) => {
        const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
        const claim = await payClaim(
          deps,
          principalOf(c),
          c.req.valid('param').claimId,
          expected,
          c.req.valid('json'),
        );
        c.header('etag', etagOf(claim.version));
        return c.json(claim, 200);
      },
    );
