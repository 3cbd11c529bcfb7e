// The evidence panels of an MDF claim's page: its invoices (downloads), the integrity of its
// frozen files and the partner's audit chain, and the partner's other claims.
import type { ReactNode } from 'react';
import { useApi } from '../auth/auth-context.tsx';
import { formatBytes, formatDate, formatDateTime, plural } from '../format.ts';
import { Link } from '../router.tsx';
import { useResource } from '../use-resource.ts';
import { ErrorView } from './error-view.tsx';
import { SkeletonLines } from './loading.tsx';
import { type Claim, ClaimStatusBadge, DownloadButton } from './mdf-claim-shared.tsx';
import { Money } from './mdf-shared.tsx';

export function Invoices({ claim }: { claim: Claim }) {
  return (
    <section className="card card-flush" aria-labelledby="claim-invoices-title">
      <h2 id="claim-invoices-title" className="card-title-bar">
        Invoices and receipts
      </h2>
      <div className="table-scroll">
        <table className="table table-compact" data-testid="claim-invoices">
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">File</th>
              <th scope="col" className="cell-number">
                Spend
              </th>
              <th scope="col">Added</th>
              <th scope="col">Download</th>
            </tr>
          </thead>
          <tbody>
            {claim.invoices.map((invoice) => (
              <tr key={invoice.sha256} data-testid="claim-invoice" data-sha256={invoice.sha256}>
                <th scope="row">{invoice.name}</th>
                <td>
                  {invoice.contentType} · {plural(invoice.pages, 'page')} · {formatBytes(invoice.bytes)}
                  <span className="cell-sub">
                    SHA-256 <code title={invoice.sha256}>{invoice.sha256.slice(0, 16)}…</code>
                  </span>
                </td>
                <td className="cell-number">
                  <Money minor={invoice.amountMinor} currency={claim.currency} />
                </td>
                <td>{formatDateTime(invoice.addedAt)}</td>
                <td>
                  <DownloadButton
                    path={`/api/mdf/claims/${claim.id}/invoices/${invoice.sha256}`}
                    fileName={invoice.name}
                    label="Download"
                    testId="claim-invoice-download"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Integrity({ claimId, version }: { claimId: string; version: number }) {
  const client = useApi();
  const integrity = useResource(`mdf-claim-integrity:${claimId}:${version}`, async (signal) => {
    const response = await client.api.mdf.claims[':claimId'].integrity.$get(
      { param: { claimId } },
      { init: { signal } },
    );
    return response.json();
  });
  let body: ReactNode;
  if (integrity.status === 'error') body = <ErrorView error={integrity.error} onRetry={integrity.reload} />;
  else if (integrity.status === 'loading') body = <SkeletonLines lines={2} label="Verifying…" />;
  else {
    const { chain, files } = integrity.data;
    body = (
      <>
        <p>
          {chain.ok ? (
            <span className="badge mdf-chain mdf-chain-ok" data-testid="claim-chain" data-ok="true">
              Audit chain intact · {chain.entries} entries
            </span>
          ) : (
            <span
              className="badge mdf-chain mdf-chain-broken"
              data-testid="claim-chain"
              data-ok="false"
              data-seq={chain.firstBroken?.seq}
              title={chain.firstBroken?.detail}
            >
              Audit chain broken at entry {chain.firstBroken?.seq ?? '?'} (
              {chain.firstBroken?.reason ?? 'unknown'})
            </span>
          )}{' '}
          <span className="muted small">checked {formatDateTime(integrity.data.checkedAt)}</span>
        </p>
        <ul className="claim-files">
          {files.map((file) => (
            <li key={file.key} data-testid="claim-file" data-ok={file.ok} data-item={file.item}>
              <span className={`badge mdf-chain ${file.ok ? 'mdf-chain-ok' : 'mdf-chain-broken'}`}>
                {file.ok ? 'OK' : file.storedSha256 === null ? 'Missing' : 'Altered'}
              </span>{' '}
              {file.item}
              {!file.inAuditLog && <span className="cell-sub">not found in the audit log</span>}
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <section
      className="card"
      aria-labelledby="claim-integrity-title"
      data-testid="claim-integrity"
      data-ok={integrity.status === 'success' ? integrity.data.ok : undefined}
    >
      <h2 id="claim-integrity-title">Integrity</h2>
      <p className="muted small">
        The partner’s audit chain recomputed, and every frozen file re-hashed against what was recorded at
        filing.
      </p>
      {body}
    </section>
  );
}

/** The partner's other claims, for the auditor's judgement of this one. */
export function PartnerHistory({ claim }: { claim: Claim }) {
  const client = useApi();
  const others = useResource(`mdf-partner-claims:${claim.partnerId}`, async (signal) => {
    const response = await client.api.mdf.claims.$get(
      { query: { partnerId: claim.partnerId, limit: '50' } },
      { init: { signal } },
    );
    return (await response.json()).items.filter((c) => c.id !== claim.id);
  });
  let body: ReactNode;
  if (others.status === 'error') body = <ErrorView error={others.error} onRetry={others.reload} />;
  else if (others.status === 'loading')
    body = <SkeletonLines lines={2} label="Loading the partner’s claims…" />;
  else if (others.data.length === 0) {
    body = (
      <p className="muted" data-testid="partner-claims-empty">
        This is the partner’s first claim.
      </p>
    );
  } else {
    body = (
      <ul className="claim-history" data-testid="partner-claims">
        {others.data.map((other) => (
          <li key={other.id}>
            <Link to={`/mdf/claims/${other.id}`}>{other.activityName}</Link>{' '}
            <ClaimStatusBadge status={other.status} />{' '}
            <Money minor={other.amountMinor} currency={other.currency} />
            {other.approvedMinor !== null && (
              <>
                {' '}
                (approved <Money minor={other.approvedMinor} currency={other.currency} />)
              </>
            )}
            <span className="cell-sub">filed {formatDate(other.filedAt)}</span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section className="card" aria-labelledby="partner-history-title">
      <h2 id="partner-history-title">The partner’s other claims</h2>
      {body}
    </section>
  );
}
