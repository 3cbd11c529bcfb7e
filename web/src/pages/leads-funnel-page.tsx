import type { ReactNode } from 'react';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime, formatMoney } from '../format.ts';
import { useMe } from '../me-context.tsx';
import { Link, navigate, useSearch } from '../router.tsx';
import { latestData, useResource } from '../use-resource.ts';
import { type Funnel, type FunnelGrouping, type FunnelReport, LeadsSections } from './leads-shared.tsx';

const GROUPINGS: readonly { by: FunnelGrouping; label: string; column: string }[] = [
  { by: 'partner', label: 'By partner', column: 'Partner' },
  { by: 'campaign', label: 'By campaign', column: 'Campaign' },
  { by: 'program', label: 'By program', column: 'Program tier' },
];

const groupingOf = (search: string): FunnelGrouping => {
  const by = new URLSearchParams(search).get('by');
  return by === 'campaign' || by === 'program' ? by : 'partner';
};

/** Revenue per currency, each formatted from its minor units; currencies are never added up. */
function Revenue({ funnel }: { funnel: Funnel }) {
  if (funnel.revenueFromEqls.length === 0) return <span className="muted">—</span>;
  return (
    <span className="funnel-revenue">
      {funnel.revenueFromEqls.map((r) => (
        <span key={r.currency} data-currency={r.currency} data-amount-minor={r.amountMinor}>
          {formatMoney({ amount: r.amountMinor, currency: r.currency })}
        </span>
      ))}
    </span>
  );
}

function Cells({ funnel }: { funnel: Funnel }) {
  return (
    <>
      <td className="cell-number" data-metric="leads">
        {funnel.leads}
      </td>
      <td className="cell-number" data-metric="eqls">
        {funnel.eqls}
      </td>
      <td className="cell-number" data-metric="engagedEqls">
        {funnel.engagedEqls}
      </td>
      <td className="cell-number" data-metric="opportunityEqls">
        {funnel.opportunityEqls}
      </td>
      <td className="cell-number" data-metric="wonEqls">
        {funnel.wonEqls}
        {funnel.wonEqlsWithoutAmount > 0 && (
          <span className="cell-sub">{funnel.wonEqlsWithoutAmount} without an amount</span>
        )}
      </td>
      <td className="cell-number" data-metric="revenue">
        <Revenue funnel={funnel} />
      </td>
    </>
  );
}

function FunnelTable({ report }: { report: FunnelReport }) {
  const column = GROUPINGS.find((g) => g.by === report.by)?.column ?? 'Group';
  return (
    <div className="table-scroll">
      <table className="table table-compact funnel-table" data-testid="funnel-table" data-by={report.by}>
        <thead>
          <tr>
            <th scope="col">{column}</th>
            <th scope="col" className="cell-number">
              Leads
            </th>
            <th scope="col" className="cell-number">
              EQLs
            </th>
            <th scope="col" className="cell-number">
              Engaged EQLs
            </th>
            <th scope="col" className="cell-number">
              Opportunities
            </th>
            <th scope="col" className="cell-number">
              Won
            </th>
            <th scope="col" className="cell-number">
              Revenue from EQLs
            </th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <tr key={row.key} data-testid="funnel-row" data-key={row.key}>
              <th scope="row">
                {report.by === 'campaign' ? (
                  <Link to={`/leads?${new URLSearchParams({ campaignId: row.key })}`}>{row.label}</Link>
                ) : (
                  row.label
                )}
                {row.partnerName && <span className="cell-sub">{row.partnerName}</span>}
              </th>
              <Cells funnel={row.funnel} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="funnel-total">
            <th scope="row">
              All leads
              <span className="cell-sub">each lead once</span>
            </th>
            <Cells funnel={report.total} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The EQL funnel per partner, campaign or program tier; a partner sees its own groups only. */
export function LeadsFunnelPage() {
  const client = useApi();
  const me = useMe();
  const by = groupingOf(useSearch());
  const report = useResource(`eql-funnel:${by}`, async (signal) => {
    const response = await client.api.reports['eql-funnel'].$get({ query: { by } }, { init: { signal } });
    return response.json();
  });
  const data = latestData(report);

  let body: ReactNode;
  if (report.status === 'error') body = <ErrorView error={report.error} onRetry={report.reload} />;
  else if (data === undefined || data.by !== by)
    body = <SkeletonLines lines={4} label="Counting the funnel…" />;
  else if (data.rows.length === 0) {
    body = (
      <p className="muted card-body" data-testid="funnel-empty">
        No leads yet, so nothing to count.
      </p>
    );
  } else body = <FunnelTable report={data} />;

  return (
    <>
      <PageHeader
        title="EQL funnel"
        description={
          me.user.role === 'partner'
            ? 'Your ecosystem-qualified leads: how many engaged, became opportunities and closed, with the revenue won.'
            : 'Ecosystem-qualified leads per partner, campaign and program: engagement, opportunities, wins and revenue.'
        }
      />
      <LeadsSections role={me.user.role} />
      <section
        className="card card-flush"
        aria-labelledby="funnel-title"
        aria-busy={report.status === 'loading'}
      >
        <div className="card-title-bar funnel-head">
          <h2 id="funnel-title">Funnel</h2>
          <fieldset className="segmented">
            <legend className="visually-hidden">Group the funnel</legend>
            {GROUPINGS.map((g) => (
              <button
                key={g.by}
                type="button"
                className="segment"
                aria-pressed={by === g.by}
                onClick={() =>
                  navigate(g.by === 'partner' ? '/leads/funnel' : `/leads/funnel?by=${g.by}`, {
                    replace: true,
                  })
                }
              >
                {g.label}
              </button>
            ))}
          </fieldset>
        </div>
        {body}
        {data && !data.complete && (
          <p className="callout callout-info" data-testid="funnel-incomplete">
            Counted from the first {data.leadsRead.toLocaleString()} leads only.
          </p>
        )}
        {data && (
          <p className="muted small card-body">
            Counted {formatDateTime(data.generatedAt)}. An opportunity counts once it became one, won and lost
            included.
          </p>
        )}
      </section>
    </>
  );
}
