// One MDF claim. Everyone in scope sees the amounts, the decisions and answers, the invoices,
// the integrity of its evidence and the frozen proof of performance; the auditor decides and
// marks paid (If-Match from the claim's ETag); the partner answers an information request.
import type { ReactNode } from 'react';
import { useApi } from '../auth/auth-context.tsx';
import { Integrity, Invoices, PartnerHistory } from '../components/claim-evidence.tsx';
import { DecisionForm, PaymentForm, ResponseForm } from '../components/claim-review-forms.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import {
  asPopPack,
  type Claim,
  ClaimStatusBadge,
  DECISION_LABELS,
  DownloadButton,
  rejectionLabel,
} from '../components/mdf-claim-shared.tsx';
import { Money } from '../components/mdf-shared.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PopViewer } from '../components/pop-viewer.tsx';
import { formatDate, formatDateTime, plural } from '../format.ts';
import { useMe } from '../me-context.tsx';
import { Link } from '../router.tsx';
import type { PageProps } from '../routes.tsx';
import { latestData, useResource } from '../use-resource.ts';

export function MdfClaimPage({ params }: PageProps) {
  const claimId = params.claimId ?? '';
  const client = useApi();
  const role = useMe().user.role;
  const loaded = useResource(`mdf-claim:${claimId}`, async (signal) => {
    const response = await client.api.mdf.claims[':claimId'].$get(
      { param: { claimId } },
      { init: { signal } },
    );
    const claim = await response.json();
    return { claim, etag: response.headers.get('etag') ?? `"${claim.version}"` };
  });
  const data = latestData(loaded);
  if (loaded.status === 'error') return <ErrorView error={loaded.error} onRetry={loaded.reload} />;
  if (!data) return <SkeletonLines lines={6} label="Loading the claim…" />;
  const { claim, etag } = data;
  const open = claim.status !== 'paid';
  return (
    <section
      data-testid="mdf-claim"
      data-claim-id={claim.id}
      data-status={claim.status}
      data-version={claim.version}
      aria-labelledby="page-title"
    >
      <PageHeader
        title={`Claim: ${claim.activityName}`}
        description={
          <>
            <ClaimStatusBadge status={claim.status} /> Filed {formatDateTime(claim.filedAt)} by{' '}
            {claim.filedBy.name}. <Link to="/mdf/claims">All claims</Link>
          </>
        }
        actions={
          <DownloadButton
            path={`/api/mdf/claims/${claim.id}/pop.zip`}
            fileName={`pop-${claim.id}.zip`}
            label="Download POP archive"
            testId="claim-pop-zip"
          />
        }
      />
      <Summary claim={claim} />
      {role === 'partner' && claim.status === 'info-requested' && (
        <section className="card" aria-labelledby="claim-respond-title" data-testid="claim-info-request">
          <h2 id="claim-respond-title">The auditor asks for more information</h2>
          <blockquote className="claim-quote" data-testid="claim-info-reason">
            {claim.decisions.findLast((d) => d.outcome === 'info-requested')?.reason}
          </blockquote>
          <ResponseForm claim={claim} onDone={loaded.reload} />
        </section>
      )}
      {role === 'auditor' && open && (
        <section className="card" aria-labelledby="claim-decide-title">
          <h2 id="claim-decide-title">Decide</h2>
          {claim.status === 'info-requested' ? (
            <p className="muted">Waiting for the partner’s answer to the information request.</p>
          ) : (
            <DecisionForm key={claim.version} claim={claim} etag={etag} onDone={loaded.reload} />
          )}
        </section>
      )}
      {role === 'auditor' && (claim.status === 'approved' || claim.status === 'partially-approved') && (
        <section className="card" aria-labelledby="claim-pay-title">
          <h2 id="claim-pay-title">Payment</h2>
          <p className="muted small">
            Pays <Money minor={claim.approvedMinor ?? 0} currency={claim.currency} />, the approved amount.
          </p>
          <PaymentForm key={claim.version} claim={claim} etag={etag} onDone={loaded.reload} />
        </section>
      )}
      <History claim={claim} />
      <Invoices claim={claim} />
      <Integrity claimId={claim.id} version={claim.version} />
      {role !== 'partner' && <PartnerHistory claim={claim} />}
      <Pop claimId={claim.id} />
    </section>
  );
}

function Summary({ claim }: { claim: Claim }) {
  return (
    <section className="card" aria-labelledby="claim-summary-title">
      <h2 id="claim-summary-title" className="visually-hidden">
        Summary
      </h2>
      <dl className="facts" data-testid="claim-summary">
        <div>
          <dt>Claimed</dt>
          <dd>
            <Money minor={claim.amountMinor} currency={claim.currency} testId="claim-amount" />
          </dd>
        </div>
        <div>
          <dt>Invoiced spend</dt>
          <dd>
            <Money minor={claim.invoicedSpendMinor} currency={claim.currency} testId="claim-invoiced" />
          </dd>
        </div>
        <div>
          <dt>Approved</dt>
          <dd>
            {claim.approvedMinor === null ? (
              '—'
            ) : (
              <Money minor={claim.approvedMinor} currency={claim.currency} testId="claim-approved" />
            )}
          </dd>
        </div>
        <div>
          <dt>Paid</dt>
          <dd data-testid="claim-payment">
            {claim.payment ? (
              <>
                <Money minor={claim.payment.paidMinor} currency={claim.currency} /> on{' '}
                {formatDate(claim.payment.paidOn)}
                <span className="cell-sub">
                  Reference <code data-testid="claim-payment-reference">{claim.payment.reference}</code>
                </span>
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Claim deadline</dt>
          <dd>{formatDate(claim.deadline)}</dd>
        </div>
      </dl>
      {claim.notes && (
        <p className="claim-notes">
          <strong>Notes:</strong> {claim.notes}
        </p>
      )}
    </section>
  );
}

/** Decisions and the partner's answers, oldest first: nothing here is ever edited. */
function History({ claim }: { claim: Claim }) {
  const entries: { at: string; key: string; node: ReactNode }[] = [
    ...claim.decisions.map((d) => ({
      at: d.at,
      key: d.id,
      node: (
        <li key={d.id} data-testid="claim-decision" data-outcome={d.outcome} data-decision-id={d.id}>
          <strong>{DECISION_LABELS[d.outcome]}</strong>
          {d.amountMinor !== null && (
            <>
              {' '}
              <Money minor={d.amountMinor} currency={claim.currency} />
            </>
          )}
          {d.reasonCode && <> · {rejectionLabel(d.reasonCode)}</>}
          {d.corrects && <span className="badge">correction</span>}
          {d.reason && <span className="cell-sub">{d.reason}</span>}
          <span className="cell-sub">
            {d.by.name}, {formatDateTime(d.at)}
          </span>
        </li>
      ),
    })),
    ...claim.responses.map((r) => ({
      at: r.at,
      key: `response-${r.at}`,
      node: (
        <li key={`response-${r.at}`} data-testid="claim-response">
          <strong>Partner’s answer</strong>
          {r.invoices.length > 0 && <> · {plural(r.invoices.length, 'invoice')} added</>}
          <span className="cell-sub">{r.message}</span>
          <span className="cell-sub">
            {r.by.name}, {formatDateTime(r.at)}
          </span>
        </li>
      ),
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section className="card" aria-labelledby="claim-history-title">
      <h2 id="claim-history-title">Decisions</h2>
      {entries.length === 0 ? (
        <p className="muted" data-testid="claim-no-decisions">
          No decision yet: the claim waits in the auditor’s queue.
        </p>
      ) : (
        <ol className="claim-history">{entries.map((e) => e.node)}</ol>
      )}
    </section>
  );
}

function Pop({ claimId }: { claimId: string }) {
  const client = useApi();
  const pop = useResource(`mdf-claim-pop:${claimId}`, async (signal) => {
    const response = await client.api.mdf.claims[':claimId'].pop.$get(
      { param: { claimId } },
      { init: { signal } },
    );
    return asPopPack(await response.json());
  });
  return (
    <section aria-labelledby="claim-pop-title" className="claim-pop">
      <h2 id="claim-pop-title">Proof of performance</h2>
      <p className="muted small">
        Assembled from the platform’s records when the claim was filed, and frozen.
      </p>
      {pop.status === 'error' ? (
        <ErrorView error={pop.error} onRetry={pop.reload} />
      ) : pop.status === 'loading' ? (
        <SkeletonLines lines={6} label="Loading the proof of performance…" />
      ) : (
        <PopViewer pack={pop.data} />
      )}
    </section>
  );
}
