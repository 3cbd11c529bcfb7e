import { type ReactNode, useId, useState } from 'react';
import { ApiError, readProblem } from '../api/problem.ts';
import { useApi, useAuth } from '../auth/auth-context.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { AttributionBadge, EqlBadge, LeadStatusBadge } from '../components/lead-badges.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDate, formatMoney, plural } from '../format.ts';
import { useMe } from '../me-context.tsx';
import { Link, navigate, useSearch } from '../router.tsx';
import { latestData, useResource } from '../use-resource.ts';
import { PAGE_SIZE, Pager, useCursors } from './contacts-shared.tsx';
import {
  type CampaignOption,
  LEAD_STATUS_LABELS,
  LEAD_STATUSES,
  type LeadStatus,
  type LeadSummary,
  LeadsSections,
  useCampaignOptions,
} from './leads-shared.tsx';

/** The inbox's filters, as the URL and the API name them. */
type Filters = {
  campaignId?: string;
  status?: LeadStatus;
  attribution?: 'partner-sourced' | 'partner-influenced';
  eql?: 'true' | 'false';
};
type FilterKey = keyof Filters;
const FILTER_KEYS: readonly FilterKey[] = ['campaignId', 'status', 'attribution', 'eql'];

const isStatus = (value: string): value is LeadStatus => Object.hasOwn(LEAD_STATUS_LABELS, value);

/** What the URL says, keeping only values the API accepts (a hand-edited URL never gets a 422). */
function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  const filters: Filters = {};
  const campaignId = params.get('campaignId');
  if (campaignId && /^[0-9A-Z]{26}$/.test(campaignId)) filters.campaignId = campaignId;
  const status = params.get('status');
  if (status && isStatus(status)) filters.status = status;
  const attribution = params.get('attribution');
  if (attribution === 'partner-sourced' || attribution === 'partner-influenced')
    filters.attribution = attribution;
  const eql = params.get('eql');
  if (eql === 'true' || eql === 'false') filters.eql = eql;
  return filters;
}

function queryString(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** A partner's leads inbox, or (marketing) every lead: filters in the URL, pages, CSV export. */
export function LeadsPage() {
  const { user } = useMe();
  const filters = filtersOf(useSearch());
  const campaigns = useCampaignOptions(user.role);
  const partner = user.role === 'partner';
  return (
    <>
      <PageHeader
        title={partner ? 'Leads inbox' : 'All leads'}
        description={
          partner
            ? 'People your campaigns brought in, newest first: whether each is qualified, an EQL, and how your campaign touched it.'
            : 'Every lead from every partner, newest first: accept or reject them, and mark opportunities and wins.'
        }
        actions={<LeadsExport filters={filters} />}
      />
      <LeadsSections role={user.role} />
      <LeadFilters filters={filters} campaigns={campaigns.options} />
      {/* New filters start again at the first page. */}
      <LeadResults key={queryString(filters)} filters={filters} campaignName={campaigns.name} />
    </>
  );
}

function LeadFilters({ filters, campaigns }: { filters: Filters; campaigns: CampaignOption[] }) {
  const id = useId();
  const set = (key: FilterKey, value: string) =>
    navigate(`/leads${queryString({ ...filters, [key]: value || undefined })}`, { replace: true });
  const select = (key: FilterKey, label: string, any: string, options: readonly [string, string][]) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <select
        id={`${id}-${key}`}
        value={filters[key] ?? ''}
        onChange={(event) => set(key, event.target.value)}
      >
        <option value="">{any}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  const campaignOptions: [string, string][] = campaigns.map((c) => [c.id, c.label]);
  // A campaign named in the URL but not (yet) among the options still shows as chosen.
  if (filters.campaignId && !campaigns.some((c) => c.id === filters.campaignId)) {
    campaignOptions.push([filters.campaignId, filters.campaignId]);
  }
  const active = FILTER_KEYS.some((key) => filters[key] !== undefined);
  return (
    <section className="card lead-filters" aria-label="Filter leads" data-testid="lead-filters">
      {select('campaignId', 'Campaign', 'Any campaign', campaignOptions)}
      {select(
        'status',
        'Status',
        'Any status',
        LEAD_STATUSES.map((s) => [s, LEAD_STATUS_LABELS[s]]),
      )}
      {select('attribution', 'Partner attribution', 'Sourced or influenced', [
        ['partner-sourced', 'Partner-sourced'],
        ['partner-influenced', 'Partner-influenced'],
      ])}
      {select('eql', 'EQL', 'EQL or not', [
        ['true', 'EQLs only'],
        ['false', 'Not EQLs'],
      ])}
      <div className="lead-filters-clear">
        {active && (
          <Link to="/leads" className="button button-quiet button-small">
            Clear filters
          </Link>
        )}
      </div>
    </section>
  );
}

function LeadResults({ filters, campaignName }: { filters: Filters; campaignName: (id: string) => string }) {
  const client = useApi();
  const pages = useCursors();
  const results = useResource(`leads:${queryString(filters)}:${pages.cursor ?? ''}`, async (signal) => {
    const response = await client.api.leads.$get(
      { query: { ...filters, limit: String(PAGE_SIZE), cursor: pages.cursor } },
      { init: { signal } },
    );
    return response.json();
  });
  const data = latestData(results);

  let body: ReactNode;
  if (results.status === 'error') body = <ErrorView error={results.error} onRetry={results.reload} />;
  else if (data === undefined) body = <SkeletonLines lines={4} label="Loading leads…" />;
  else if (data.items.length === 0) {
    body = (
      <p className="muted card-body" data-testid="leads-empty" aria-live="polite">
        {queryString(filters) === ''
          ? 'No leads yet. When someone fills in the form on a campaign’s landing page, they show up here.'
          : 'No lead matches these filters.'}
      </p>
    );
  } else {
    body = (
      <>
        <p className="visually-hidden" aria-live="polite">
          {plural(data.items.length, 'lead')} on this page
        </p>
        <LeadTable leads={data.items} campaignName={campaignName} />
      </>
    );
  }
  return (
    <section
      className="card card-flush"
      aria-labelledby="leads-title"
      aria-busy={results.status === 'loading'}
    >
      <h2 id="leads-title" className="card-title-bar">
        Leads
      </h2>
      {body}
      <Pager
        label="Lead pages"
        pageNumber={pages.pageNumber}
        nextCursor={data?.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </section>
  );
}

function LeadTable({ leads, campaignName }: { leads: LeadSummary[]; campaignName: (id: string) => string }) {
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="leads-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Company</th>
            <th scope="col">Status</th>
            <th scope="col">EQL</th>
            <th scope="col">Attribution</th>
            <th scope="col">Campaign</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {leads.map((lead) => (
            <tr
              key={lead.leadId}
              data-testid="lead-row"
              data-lead-id={lead.leadId}
              data-email={lead.email}
              data-eql={lead.eql}
            >
              <th scope="row">
                <Link to={`/leads/${lead.leadId}`}>{lead.name || lead.email}</Link>
                {lead.name && <span className="cell-sub">{lead.email}</span>}
              </th>
              <td>
                {lead.company || <span className="muted">—</span>}
                {lead.companyDomain && <span className="cell-sub">{lead.companyDomain}</span>}
              </td>
              <td>
                <LeadStatusBadge status={lead.status} />
                {lead.won && (
                  <span className="cell-sub">
                    {formatMoney({ amount: lead.won.amountMinor, currency: lead.won.currency })}
                  </span>
                )}
              </td>
              <td>{lead.eql ? <EqlBadge eql /> : <span className="muted">No</span>}</td>
              <td>
                <AttributionBadge attribution={lead.attribution} />
              </td>
              <td className="cell-wrap">
                {lead.campaignIds.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  lead.campaignIds.map((id) => (
                    <span key={id} className="lead-campaign" data-campaign-id={id}>
                      {campaignName(id)}
                    </span>
                  ))
                )}
              </td>
              <td>{formatDate(lead.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The export needs the bearer token, so it is fetched and handed to the browser as a file. */
function LeadsExport({ filters }: { filters: Filters }) {
  const { session } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      // The typed client has no shape for a text/csv answer: an authed fetch of the same path.
      const response = await fetch(`/api/leads/export${queryString(filters)}`, {
        headers: { authorization: `Bearer ${session?.token ?? ''}` },
      });
      if (!response.ok) throw new ApiError(await readProblem(response));
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = 'leads.csv';
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
        className="button button-secondary"
        onClick={() => void download()}
        disabled={busy}
        data-testid="export-leads"
      >
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {error !== null && <ErrorView error={error} />}
    </>
  );
}
