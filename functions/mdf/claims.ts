import { canonicalJson, sha256Hex } from '#functions/audit/hashing';
import type { Principal } from '#functions/auth/principal';
import { callerPartnerId, partnerIdInScope } from '#functions/auth/tenancy';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#platform/errors';
import { evidenceKeys } from './claim-keys';
import type { ClaimDeps } from './claim-ports';
import type { Claim, ClaimInvoice, ClaimStatus, FileClaim, InvoiceUpload } from './claim-schema';
import { checkInvoice } from './invoices';
import { formatMoney } from './money';
import { actorOf, auditActorOf } from './ports';
import type { MdfRequest } from './schema';
import type { Paged } from './store';

const invalid = (path: string, message: string) => new ValidationError(message, [{ path, message }]);

const partnerOf = (principal: Principal, what: string): string => {
  const partnerId = callerPartnerId(principal);
  if (partnerId === null) throw new ForbiddenError(`only a partner ${what}`);
  return partnerId;
};

/**
 * A partner uploads an invoice or receipt: judged by its content, stored write-once under its
 * SHA-256 in the partner's own evidence prefix. The same file again answers the same record.
 */
export const uploadInvoice = async (
  deps: ClaimDeps,
  principal: Principal,
  bytes: Uint8Array,
  contentType: string | undefined,
): Promise<InvoiceUpload> => {
  const partnerId = partnerOf(principal, 'uploads invoices');
  const checked = await checkInvoice(bytes, contentType);
  await deps.evidence.putOnce(evidenceKeys.invoice(partnerId, checked.sha256), bytes, checked.contentType);
  return deps.claims.recordInvoice(partnerId, { ...checked, uploadedAt: deps.clock().toISOString() });
};

/** The last day a claim may be filed: the activity's end plus the fund's claim days (UTC). */
export const claimDeadline = (endDate: string, claimDeadlineDays: number): string => {
  const day = new Date(`${endDate}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + claimDeadlineDays);
  return day.toISOString().slice(0, 10);
};

interface ClaimBasis {
  partnerId: string;
  request: MdfRequest;
  campaignId: string;
  deadline: string;
}

/**
 * What any claim for a request must satisfy before anything is assembled: the partner's own
 * approved request, its currency, an amount within the approved reimbursement, a launched
 * campaign of its own, and the deadline not passed.
 */
const claimBasis = async (
  deps: ClaimDeps,
  principal: Principal,
  input: { requestId: string; campaignId?: string | undefined; amountMinor: number; currency: string },
): Promise<ClaimBasis> => {
  const partnerId = partnerOf(principal, 'files claims');
  const request = await deps.mdf.getRequest(input.requestId);
  // Another partner's request reads exactly like a missing one.
  if (!request || request.partnerId !== partnerId) throw invalid('body.requestId', 'no such request');
  if (request.status !== 'approved') {
    throw invalid(
      'body.requestId',
      `the request is ${request.status}; only an approved request can be claimed`,
    );
  }
  if (input.currency !== request.currency) {
    throw invalid('body.currency', `must be the request's currency, ${request.currency}`);
  }
  const approved = request.committedMinor ?? 0;
  if (input.amountMinor > approved) {
    throw invalid(
      'body.amountMinor',
      `must not exceed the approved amount, ${formatMoney(approved, request.currency)} (${request.reimbursementShareBps / 100}% of the approved spend ${formatMoney(request.approvedMinor ?? 0, request.currency)})`,
    );
  }
  if (request.campaignId && input.campaignId && input.campaignId !== request.campaignId) {
    throw invalid('body.campaignId', `the request was approved for campaign ${request.campaignId}`);
  }
  const campaignId = request.campaignId ?? input.campaignId;
  if (!campaignId) throw invalid('body.campaignId', 'name the campaign that carried the planned activity');
  const campaign = await deps.campaigns.getForPartner(partnerId, campaignId);
  if (!campaign) throw invalid('body.campaignId', 'no such campaign');
  if (!campaign.launchedAt) {
    throw invalid('body.campaignId', 'the campaign has not been launched; claim after the activity');
  }
  const fund = await deps.mdf.getFund(request.fundId);
  if (!fund) throw new NotFoundError('the request’s fund no longer exists');
  const deadline = claimDeadline(request.plannedActivity.endDate, fund.claimDeadlineDays);
  const today = deps.clock().toISOString().slice(0, 10);
  if (today > deadline) {
    throw invalid(
      'body.requestId',
      `the claim deadline for this activity was ${deadline} (${fund.claimDeadlineDays} days after it ended on ${request.plannedActivity.endDate}); claims are no longer accepted`,
    );
  }
  return { partnerId, request, campaignId, deadline };
};

/** The named uploads of this partner, as a claim records them. */
const claimInvoices = async (
  deps: ClaimDeps,
  partnerId: string,
  named: FileClaim['invoices'],
  at: string,
  path: string,
): Promise<ClaimInvoice[]> =>
  Promise.all(
    named.map(async (invoice, i) => {
      const upload = await deps.claims.getInvoice(partnerId, invoice.sha256);
      if (!upload) throw invalid(`${path}.${i}.sha256`, 'no such upload: upload the file first');
      return {
        ...invoice,
        contentType: upload.contentType,
        bytes: upload.bytes,
        pages: upload.pages,
        addedAt: at,
      };
    }),
  );

const sum = (invoices: readonly { amountMinor: number }[]) =>
  invoices.reduce((total, invoice) => total + invoice.amountMinor, 0);

/** The POP pack the claim would freeze if filed now (nothing stored, nothing recorded). */
export const previewClaim = async (
  deps: ClaimDeps,
  principal: Principal,
  input: {
    requestId: string;
    campaignId?: string | undefined;
    amountMinor: number;
    currency: string;
    invoicedSpendMinor: number;
  },
): Promise<unknown> => {
  const basis = await claimBasis(deps, principal, input);
  return deps.pop.assemble({
    claimId: 'PREVIEW',
    partnerId: basis.partnerId,
    request: basis.request,
    campaignId: basis.campaignId,
    amountMinor: input.amountMinor,
    invoicedSpendMinor: input.invoicedSpendMinor,
    currency: input.currency,
    filedAt: deps.clock().toISOString(),
  });
};

/**
 * A partner files a claim. The POP pack is assembled from the platform's records at this moment
 * and frozen: its canonical JSON and its archive are stored write-once, their hashes go on the
 * claim and, with every evidence item, into the partner's audit chain. One claim per request.
 */
export const fileClaim = async (deps: ClaimDeps, principal: Principal, input: FileClaim): Promise<Claim> => {
  const basis = await claimBasis(deps, principal, input);
  const { partnerId, request } = basis;
  const filedAt = deps.clock().toISOString();
  const invoices = await claimInvoices(deps, partnerId, input.invoices, filedAt, 'body.invoices');
  const claimId = deps.newId();
  const invoicedSpendMinor = sum(invoices);
  const pack = await deps.pop.assemble({
    claimId,
    partnerId,
    request,
    campaignId: basis.campaignId,
    amountMinor: input.amountMinor,
    invoicedSpendMinor,
    currency: request.currency,
    filedAt,
  });
  const packBytes = new TextEncoder().encode(canonicalJson(pack));
  const archive = deps.pop.archive(pack);
  const pop = {
    key: evidenceKeys.pop(partnerId, claimId),
    archiveKey: evidenceKeys.popArchive(partnerId, claimId),
    sha256: sha256Hex(packBytes),
    archiveSha256: sha256Hex(archive),
    assembledAt: filedAt,
    anomalies: deps.pop.anomalies(pack),
  };
  await deps.evidence.putOnce(pop.key, packBytes, 'application/json');
  await deps.evidence.putOnce(pop.archiveKey, archive, 'application/zip');
  const claim: Claim = {
    id: claimId,
    partnerId,
    fundId: request.fundId,
    requestId: request.id,
    campaignId: basis.campaignId,
    activityName: request.plannedActivity.name,
    currency: request.currency,
    amountMinor: input.amountMinor,
    invoicedSpendMinor,
    notes: input.notes,
    invoices,
    pop,
    deadline: basis.deadline,
    status: 'submitted',
    approvedMinor: null,
    decisions: [],
    responses: [],
    payment: null,
    filedAt,
    filedBy: actorOf(principal),
    updatedAt: filedAt,
    version: 1,
  };
  const outcome = await deps.claims.file(claim);
  if (outcome === 'duplicate') throw new ConflictError('this request already has a claim; open it instead');
  if (outcome === 'request-moved')
    throw new ConflictError('the request changed while the claim was filed; read it again');
  await recordFiling(deps, principal, claim, pack);
  return claim;
};

const recordFiling = async (deps: ClaimDeps, principal: Principal, claim: Claim, pack: unknown) => {
  const subject = { partnerId: claim.partnerId, claimId: claim.id, requestId: claim.requestId };
  const actor = auditActorOf(principal);
  await deps.recordAudit({
    partnerId: claim.partnerId,
    kind: 'claim-filed',
    subject,
    content: {
      campaignId: claim.campaignId,
      amountMinor: claim.amountMinor,
      currency: claim.currency,
      invoicedSpendMinor: claim.invoicedSpendMinor,
      invoices: claim.invoices.map(({ addedAt: _, ...invoice }) => invoice),
      notes: claim.notes,
      deadline: claim.deadline,
      pop: {
        key: claim.pop.key,
        sha256: claim.pop.sha256,
        archiveKey: claim.pop.archiveKey,
        archiveSha256: claim.pop.archiveSha256,
      },
      anomalies: claim.pop.anomalies,
    },
    actor,
  });
  for (const { item, content } of deps.pop.evidenceItems(pack)) {
    await deps.recordAudit({
      partnerId: claim.partnerId,
      kind: 'pop-evidence',
      subject: { ...subject, item },
      content,
      actor,
    });
  }
};

/** A claim as the caller may see it: a partner only its own (another's is 404, as if absent). */
export const getClaim = async (deps: ClaimDeps, principal: Principal, claimId: string): Promise<Claim> => {
  const claim = await deps.claims.get(claimId);
  if (!claim) throw new NotFoundError('not found');
  partnerIdInScope(principal, claim.partnerId);
  return claim;
};

/** The open queue is read whole (at most this many) when sorted by amount. */
const AMOUNT_SORT_WINDOW = 1000;

export const listClaims = async (
  deps: ClaimDeps,
  principal: Principal,
  query: {
    partnerId?: string | undefined;
    status?: ClaimStatus | undefined;
    sort: 'age' | 'amount';
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Paged<Claim>> => {
  const own = callerPartnerId(principal);
  if (own !== null && query.partnerId !== undefined && query.partnerId !== own) {
    return { items: [], nextCursor: null };
  }
  const partnerId = own ?? query.partnerId;
  const filter = { ...(partnerId ? { partnerId } : {}), ...(query.status ? { status: query.status } : {}) };
  if (query.sort === 'age') return deps.claims.list(filter, query.limit, query.cursor);
  // By amount, largest first: read the filtered set (bounded), sort, then page by offset.
  const all: Claim[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.claims.list(filter, 100, cursor);
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && all.length < AMOUNT_SORT_WINDOW);
  all.sort((a, b) => b.amountMinor - a.amountMinor || a.filedAt.localeCompare(b.filedAt));
  const offset = Number(query.cursor ?? 0) || 0;
  const items = all.slice(offset, offset + query.limit);
  return { items, nextCursor: offset + query.limit < all.length ? String(offset + query.limit) : null };
};

/** A frozen evidence file of a claim the caller may see: an invoice, the pack or its archive. */
export const claimFile = async (
  deps: ClaimDeps,
  principal: Principal,
  claimId: string,
  file: { kind: 'invoice'; sha256: string } | { kind: 'pop' } | { kind: 'archive' },
): Promise<{ bytes: Uint8Array; contentType: string; name: string }> => {
  const claim = await getClaim(deps, principal, claimId);
  let key: string;
  let name: string;
  if (file.kind === 'invoice') {
    const invoice = claim.invoices.find((i) => i.sha256 === file.sha256);
    if (!invoice) throw new NotFoundError('no such invoice on this claim');
    key = evidenceKeys.invoice(claim.partnerId, invoice.sha256);
    name = invoice.name;
  } else {
    key = file.kind === 'pop' ? claim.pop.key : claim.pop.archiveKey;
    name = `pop-${claim.id}.${file.kind === 'pop' ? 'json' : 'zip'}`;
  }
  const stored = await deps.evidence.get(key);
  if (!stored) throw new NotFoundError('the evidence file is missing from the evidence store');
  return { ...stored, name };
};
