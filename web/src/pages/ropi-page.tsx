// The program's return on partner investment: per partner, won revenue and pipeline against MDF
// paid, cost per lead and per EQL, partner-sourced against influenced leads; a partner's
// campaigns on drill-down. Money stays in integer minor units per currency (never added across
// currencies); one currency is shown at a time.
import type { InferResponseType } from 'hono/client';
import type { ReactNode } from 'react';
import type { ApiClient } from '../api/client.ts';
import { useApi } from '../auth/auth-context.tsx';
import { BarChart, type BarRow } from '../components/bar-chart.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { Money } from '../components/mdf-shared.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime, formatMoney } from '../format.ts';
import { Link, navigate, useSearch } from '../router.tsx';
import { latestData, useResource } from '../use-resource.ts';

type RopiReport = InferResponseType<ApiClient['api']['reports']['ropi']['$get'], 200>;
type RopiRow = RopiReport['partners'][number];
type RopiMoney = RopiRow['money'][number];

const COLOURS = { paid: '#64748b', won: '#0f766e', pipeline: '#4f46e5', lead: '#b45309', eql: '#be185d' };

const moneyIn = (row: RopiRow, currency: string): RopiMoney | undefined =>
  row.money.find((m) => m.currency === currency);

/** The currencies any row has money in, the most used first. */
function currenciesOf(rows: readonly RopiRow[]): string[] {
  const count = new Map<string, number>();
  for (const row of rows) for (const m of row.money) count.set(m.currency, (count.get(m.currency) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
}

function paramsOf(search: string) {
  const params = new URLSearchParams(search);
  return { currency: params.get('currency') ?? undefined, partner: params.get('partner') ?? undefined };
}

function go(next: { currency?: string | undefined; partner?: string | undefined }) {
  const query = new URLSearchParams();
  if (next.currency) query.set('currency', next.currency);
  if (next.partner) query.set('partner', next.partner);
  const text = query.toString();
  navigate(`/mdf/ropi${text ? `?${text}` : ''}`, { replace: true });
}

export function RopiPage() {
  const client = useApi();
  const search = paramsOf(useSearch());
  const report = useResource('ropi', async (signal) => {
    const response = await client.api.reports.ropi.$get({ query: {} }, { init: { signal } });
    return response.json();
  });
  const data = latestData(report);
  let body: ReactNode;
  if (report.status === 'error') body = <ErrorView error={report.error} onRetry={report.reload} />;
  else if (data === undefined) body = <SkeletonLines lines={6} label="Loading the report…" />;
  else {
    const rows = data.program ? [data.program, ...data.partners] : data.partners;
    const currencies = currenciesOf(rows);
    const currency = currencies.find((c) => c === search.currency) ?? currencies[0] ?? 'USD';
    body = (
      <>
        <div className="ropi-toolbar">
          {currencies.length > 1 && (
            <label className="inline-label">
              Currency{' '}
              <select
                value={currency}
                onChange={(e) => go({ ...search, currency: e.target.value })}
                data-testid="ropi-currency"
              >
                {currencies.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          )}
          <span className="muted small">Generated {formatDateTime(data.generatedAt)}</span>
        </div>
        <RopiTable
          caption="Per partner"
          rows={data.partners}
          total={data.program}
          currency={currency}
          selected={search.partner}
          onSelect={(partner) => go({ ...search, partner })}
          testId="ropi-partners"
        />
        <RopiCharts rows={data.partners} currency={currency} />
        {search.partner && <CampaignDrillDown partnerId={search.partner} currency={currency} />}
      </>
    );
  }
  return (
    <section data-testid="ropi-page" aria-labelledby="page-title">
      <PageHeader
        title="Return on partner investment"
        description={
          <>
            Won revenue and pipeline against MDF paid, cost per lead and EQL, and partner-sourced against
            influenced leads. <Link to="/mdf">Back to funds</Link>
          </>
        }
        actions={
          <button type="button" className="button button-secondary" onClick={report.reload}>
            Refresh
          </button>
        }
      />
      {body}
    </section>
  );
}

function MoneyCell({
  minor,
  currency,
  testId,
}: {
  minor: number | null | undefined;
  currency: string;
  testId?: string;
}) {
  return (
    <td className="cell-number" data-testid={testId}>
      {minor === null || minor === undefined ? (
        <span className="muted">—</span>
      ) : (
        <Money minor={minor} currency={currency} />
      )}
    </td>
  );
}

const ratio = (value: string | null | undefined) => (value ? `${value}×` : '—');

function RopiTable({
  caption,
  rows,
  total,
  currency,
  selected,
  onSelect,
  testId,
}: {
  caption: string;
  rows: readonly RopiRow[];
  total: RopiRow | null;
  currency: string;
  selected?: string | undefined;
  onSelect?: (key: string) => void;
  testId: string;
}) {
  const line = (row: RopiRow, head: ReactNode) => {
    const m = moneyIn(row, currency);
    return (
      <>
        <th scope="row">{head}</th>
        <td className="cell-number">{row.sends}</td>
        <td className="cell-number">{row.leads}</td>
        <td className="cell-number">{row.eqls}</td>
        <td className="cell-number">
          {row.sourced} / {row.influenced}
        </td>
        <MoneyCell minor={m?.paidMinor ?? 0} currency={currency} testId="ropi-paid" />
        <MoneyCell minor={m?.wonMinor ?? 0} currency={currency} testId="ropi-won-revenue" />
        <MoneyCell minor={m?.pipelineMinor ?? 0} currency={currency} />
        <td className="cell-number" data-testid="ropi-won">
          {ratio(m?.wonRopi)}
        </td>
        <td className="cell-number">{ratio(m?.pipelineRopi)}</td>
        <MoneyCell minor={m?.costPerLeadMinor} currency={currency} />
        <MoneyCell minor={m?.costPerEqlMinor} currency={currency} />
      </>
    );
  };
  return (
    <section className="card card-flush" aria-label={caption}>
      <div className="table-scroll">
        <table className="table table-compact" data-testid={testId}>
          <caption className="card-title-bar ropi-caption">
            {caption} ({currency})
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="cell-number">
                Sends
              </th>
              <th scope="col" className="cell-number">
                Leads
              </th>
              <th scope="col" className="cell-number">
                EQLs
              </th>
              <th scope="col" className="cell-number">
                Sourced / influenced
              </th>
              <th scope="col" className="cell-number">
                MDF paid
              </th>
              <th scope="col" className="cell-number">
                Won
              </th>
              <th scope="col" className="cell-number">
                Pipeline
              </th>
              <th scope="col" className="cell-number">
                ROPI (won)
              </th>
              <th scope="col" className="cell-number">
                ROPI (pipeline)
              </th>
              <th scope="col" className="cell-number">
                Cost per lead
              </th>
              <th scope="col" className="cell-number">
                Cost per EQL
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.key}
                data-testid="ropi-row"
                data-key={row.key}
                aria-current={selected === row.key ? 'true' : undefined}
              >
                {line(
                  row,
                  onSelect ? (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => onSelect(row.key)}
                      aria-pressed={selected === row.key}
                      data-testid="ropi-drill"
                    >
                      {row.label}
                    </button>
                  ) : (
                    row.label
                  ),
                )}
              </tr>
            ))}
          </tbody>
          {total && (
            <tfoot>
              <tr data-testid="ropi-program">{line(total, 'Program')}</tr>
            </tfoot>
          )}
        </table>
      </div>
      {rows.length === 0 && <p className="muted card-body">Nothing to report yet.</p>}
    </section>
  );
}

function RopiCharts({ rows, currency }: { rows: readonly RopiRow[]; currency: string }) {
  if (rows.length === 0) return null;
  const money = (value: number) => formatMoney({ amount: value, currency });
  const count = (value: number) => String(value);
  const barRows = (pick: (row: RopiRow) => Record<string, number | null>): BarRow[] =>
    rows.map((row) => ({ key: row.key, label: row.label, values: pick(row) }));
  return (
    <div className="ropi-charts" data-testid="ropi-charts">
      <BarChart
        title="Won revenue vs MDF paid"
        testId="ropi-chart-won"
        format={money}
        series={[
          { key: 'won', label: 'Won revenue', colour: COLOURS.won },
          { key: 'paid', label: 'MDF paid', colour: COLOURS.paid },
        ]}
        rows={barRows((row) => ({
          won: moneyIn(row, currency)?.wonMinor ?? 0,
          paid: moneyIn(row, currency)?.paidMinor ?? 0,
        }))}
      />
      <BarChart
        title="Pipeline vs MDF paid"
        testId="ropi-chart-pipeline"
        format={money}
        series={[
          { key: 'pipeline', label: 'Pipeline', colour: COLOURS.pipeline },
          { key: 'paid', label: 'MDF paid', colour: COLOURS.paid },
        ]}
        rows={barRows((row) => ({
          pipeline: moneyIn(row, currency)?.pipelineMinor ?? 0,
          paid: moneyIn(row, currency)?.paidMinor ?? 0,
        }))}
      />
      <BarChart
        title="Cost per lead and per EQL"
        testId="ropi-chart-cost"
        format={money}
        series={[
          { key: 'lead', label: 'Cost per lead', colour: COLOURS.lead },
          { key: 'eql', label: 'Cost per EQL', colour: COLOURS.eql },
        ]}
        rows={barRows((row) => ({
          lead: moneyIn(row, currency)?.costPerLeadMinor ?? null,
          eql: moneyIn(row, currency)?.costPerEqlMinor ?? null,
        }))}
      />
      <BarChart
        title="Partner-sourced vs influenced leads"
        testId="ropi-chart-attribution"
        format={count}
        series={[
          { key: 'sourced', label: 'Sourced', colour: COLOURS.won },
          { key: 'influenced', label: 'Influenced', colour: COLOURS.pipeline },
        ]}
        rows={barRows((row) => ({ sourced: row.sourced, influenced: row.influenced }))}
      />
    </div>
  );
}

function CampaignDrillDown({ partnerId, currency }: { partnerId: string; currency: string }) {
  const client = useApi();
  const report = useResource(`ropi-campaigns:${partnerId}`, async (signal) => {
    const response = await client.api.reports.ropi.campaigns.$get(
      { query: { partnerId } },
      { init: { signal } },
    );
    return response.json();
  });
  return (
    <section aria-labelledby="ropi-campaigns-title" data-testid="ropi-drilldown" data-partner-id={partnerId}>
      <h2 id="ropi-campaigns-title">Campaigns of the partner</h2>
      {report.status === 'error' ? (
        <ErrorView error={report.error} onRetry={report.reload} />
      ) : report.status === 'loading' ? (
        <SkeletonLines lines={3} label="Loading the partner’s campaigns…" />
      ) : (
        <>
          <RopiTable
            caption="Per campaign"
            rows={report.data.campaigns}
            total={null}
            currency={currency}
            testId="ropi-campaigns"
          />
          <RopiCharts rows={report.data.campaigns} currency={currency} />
        </>
      )}
    </section>
  );
}
