import type { InferResponseType } from 'hono/client';
import { useState } from 'react';
import type { PopPack } from '../api/app-type.ts';
import type { ApiClient } from '../api/client.ts';
import { ApiError, readProblem } from '../api/problem.ts';
import { useAuth } from '../auth/auth-context.tsx';
import { ErrorView } from './error-view.tsx';

// ---- the API's shapes (functions/mdf/claim-schema.ts, functions/mdf/pop/schema.ts) -------

type ClaimsApi = ApiClient['api']['mdf']['claims'];
export type Claim = InferResponseType<ClaimsApi[':claimId']['$get'], 200>;
export type ClaimStatus = Claim['status'];
export type ClaimDecision = Claim['decisions'][number];
export type ClaimIntegrity = InferResponseType<ClaimsApi[':claimId']['integrity']['$get'], 200>;
export type { PopPack };
export type PopAnomaly = PopPack['anomalies'][number];

/**
 * The POP routes declare the pack with the schema app.ts hands them, which the typed client
 * sees as `unknown`: the pack is the API's own popPackSchema output, so it is typed here, once.
 */
export const asPopPack = (body: unknown): PopPack => body as PopPack;

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  submitted: 'Submitted',
  'info-requested': 'Information requested',
  approved: 'Approved',
  'partially-approved': 'Partially approved',
  rejected: 'Rejected',
  paid: 'Paid',
};

export const DECISION_LABELS: Record<ClaimDecision['outcome'], string> = {
  approved: 'Approved',
  'partially-approved': 'Partially approved',
  rejected: 'Rejected',
  'info-requested': 'Information requested',
};

export const REJECTION_CODES = [
  ['insufficient-proof', 'Insufficient proof'],
  ['ineligible-activity', 'Ineligible activity'],
  ['outside-window', 'Outside the approved window'],
  ['duplicate', 'Duplicate claim'],
  ['not-as-approved', 'Not as approved'],
  ['other', 'Other'],
] as const satisfies readonly (readonly [NonNullable<ClaimDecision['reasonCode']>, string])[];

export const rejectionLabel = (code: string | null) =>
  REJECTION_CODES.find(([value]) => value === code)?.[1] ?? code ?? '';

/** The latest final decision (approve, partial, reject): the one a correction names. */
export const effectiveDecision = (claim: Claim): ClaimDecision | undefined =>
  claim.decisions.findLast((d) => d.outcome !== 'info-requested');

export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  return (
    <span className={`badge mdf-status mdf-claim-${status}`} data-testid="claim-status" data-status={status}>
      {CLAIM_STATUS_LABELS[status]}
    </span>
  );
}

// ---- rates and counts -----------------------------------------------------------------------

/** Basis points as a percentage with one decimal, by integer arithmetic: 1234 is "12.3%". */
export function formatBps(bps: number | null): string {
  if (bps === null) return '—';
  const tenths = Math.round(bps / 10);
  return `${Math.trunc(tenths / 10)}.${tenths % 10}%`;
}

// ---- evidence downloads ---------------------------------------------------------------------

/**
 * Evidence (invoices, the POP archive) is served as an attachment behind the bearer token, so a
 * plain link cannot fetch it: an authed fetch saves the bytes under the server's file name.
 */
export function DownloadButton({
  path,
  fileName,
  label,
  testId,
}: {
  path: string;
  fileName: string;
  label: string;
  testId: string;
}) {
  const { session } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(path, { headers: { authorization: `Bearer ${session?.token ?? ''}` } });
      if (!response.ok) throw new ApiError(await readProblem(response));
      const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = named ?? fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => void download()}
        disabled={busy}
        data-testid={testId}
      >
        {busy ? 'Downloading…' : label}
      </button>
      {error !== null && <ErrorView error={error} />}
    </>
  );
}
