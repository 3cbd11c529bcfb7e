// MDF claims: the auditor's queue (open first, by age or by amount, filtered by status), the
// vendor's read-only view of it, and a partner's own claims with their decisions.
import type { ReactNode } from 'react';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import {
  CLAIM_STATUS_LABELS,
  type ClaimStatus,
  ClaimStatusBadge,
  DECISION_LABELS,
  effectiveDecision,
} from '../components/mdf-claim-shared.tsx';
import { Money } from '../components/mdf-shared.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDate, plural } from '../format.ts';
import { useMe } from '../me-context.tsx';
import { Link, navigate, useSearch } from '../router.tsx';
import { latestData, useResource } from '../use-resource.ts';

type Sort = 'age' | 'amount';
const STATUSES = Object.keys(CLAIM_STATUS_LABELS).filter((s): s is ClaimStatus => s in CLAIM_STATUS_LABELS);

function filtersOf(search: string): { sort: Sort; status: ClaimStatus | undefined } {
  const params = new URLSearchParams(search);
  const status = STATUSES.find((s) => s === params.get('status'));
  return { sort: params.get('sort') === 'amount' ? 'amount' : 'age', status };
}

const DESCRIPTIONS = {
  auditor: 'Claims to review: open ones first, oldest or largest first.',
  marketing: 'Every partner’s claims and where they stand (auditors decide them).',
  partner: 'Your claims for approved activities, and the auditor’s decisions on them.',
} as const;

export function MdfClaimsPage() {
  const client = useApi();
  const role = useMe().user.role;
  const { sort, status } = filtersOf(useSearch());
  const claims = useResource(`mdf-claims:${sort}:${status ?? ''}`, async (signal) => {
    const response = await client.api.mdf.claims.$get(
      { query: { sort, limit: '100', ...(status ? { status } : {}) } },
      { init: { signal } },
    );
    return response.json();
  });
  const partners = useResource(`mdf-claims-partners:${role}`, async (signal) => {
    if (role === 'partner') return [];
    const response = await client.api.partners.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });
  const names = new Map((latestData(partners) ?? []).map((p) => [p.id, p.name]));
  const setFilter = (next: { sort?: Sort; status?: ClaimStatus | undefined }) => {
    const merged = { sort, status, ...next };
    const query = new URLSearchParams();
    if (merged.sort !== 'age') query.set('sort', merged.sort);
    if (merged.status) query.set('status', merged.status);
    const text = query.toString();
    navigate(`/mdf/claims${text ? `?${text}` : ''}`, { replace: true });
  };

  const data = latestData(claims);
  let body: ReactNode;
  if (claims.status === 'error') body = <ErrorView error={claims.error} onRetry={claims.reload} />;
  else if (data === undefined) body = <SkeletonLines lines={4} label="Loading claims…" />;
  else if (data.items.length === 0) {
    body = (
      <p className="muted card-body" data-testid="claims-empty">
        {status ? `No ${CLAIM_STATUS_LABELS[status].toLowerCase()} claims.` : 'No claims yet.'}
      </p>
    );
  } else {
    body = (
      <div className="table-scroll">
        <table className="table table-compact" data-testid="claims-table" data-sort={sort}>
          <thead>
            <tr>
              <th scope="col">Activity</th>
              {role !== 'partner' && <th scope="col">Partner</th>}
              <th scope="col">Filed</th>
              <th scope="col" className="cell-number">
                Claimed
              </th>
              <th scope="col" className="cell-number">
                Approved
              </th>
              <th scope="col">Status</th>
              <th scope="col">Anomalies</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((claim) => {
              const decision = effectiveDecision(claim);
              return (
                <tr
                  key={claim.id}
                  data-testid="claim-row"
                  data-claim-id={claim.id}
                  data-status={claim.status}
                  data-amount-minor={claim.amountMinor}
                >
                  <th scope="row" className="cell-wrap">
                    <Link to={`/mdf/claims/${claim.id}`} data-testid="claim-link">
                      {claim.activityName}
                    </Link>
                    {decision?.reason && <span className="cell-sub">{decision.reason}</span>}
                  </th>
                  {role !== 'partner' && <td>{names.get(claim.partnerId) ?? claim.partnerId}</td>}
                  <td className="mdf-nowrap">{formatDate(claim.filedAt)}</td>
                  <td className="cell-number">
                    <Money minor={claim.amountMinor} currency={claim.currency} />
                  </td>
                  <td className="cell-number">
                    {claim.approvedMinor === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <Money minor={claim.approvedMinor} currency={claim.currency} />
                    )}
                  </td>
                  <td>
                    <ClaimStatusBadge status={claim.status} />
                    {decision && claim.status !== 'paid' && (
                      <span className="cell-sub">{DECISION_LABELS[decision.outcome]}</span>
                    )}
                  </td>
                  <td data-anomalies={claim.pop.anomalies.length}>
                    {claim.pop.anomalies.length === 0 ? (
                      <span className="muted">None</span>
                    ) : (
                      <span className="badge pop-anomaly-count" title={claim.pop.anomalies.join(', ')}>
                        {plural(claim.pop.anomalies.length, 'anomaly', 'anomalies')}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {data.nextCursor !== null && <p className="muted small card-body">Showing the first 100.</p>}
      </div>
    );
  }

  return (
    <section data-testid="mdf-claims" aria-labelledby="page-title">
      <PageHeader
        title={role === 'auditor' ? 'Claims queue' : 'MDF claims'}
        description={
          <>
            {DESCRIPTIONS[role]} <Link to="/mdf">Back to funds</Link>
          </>
        }
      />
      <div className="claims-toolbar">
        <fieldset className="segmented">
          <legend className="visually-hidden">Sort by</legend>
          {(
            [
              ['age', 'Oldest first'],
              ['amount', 'Largest first'],
            ] as const
          ).map(([value, label]) => (
            <button
              key={value}
              type="button"
              className="segment"
              aria-pressed={sort === value}
              onClick={() => setFilter({ sort: value })}
              data-testid={`claims-sort-${value}`}
            >
              {label}
            </button>
          ))}
        </fieldset>
        <label className="inline-label">
          Status{' '}
          <select
            value={status ?? ''}
            onChange={(e) => setFilter({ status: STATUSES.find((s) => s === e.target.value) })}
            data-testid="claims-status"
          >
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {CLAIM_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <section
        className="card card-flush"
        aria-labelledby="claims-title"
        aria-busy={claims.status === 'loading'}
      >
        <h2 id="claims-title" className="card-title-bar">
          {status ? CLAIM_STATUS_LABELS[status] : 'All claims'}
        </h2>
        {body}
      </section>
    </section>
  );
}
