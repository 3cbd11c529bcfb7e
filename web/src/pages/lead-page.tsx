import { useState } from 'react';
import { ApiError } from '../api/problem.ts';
import type { Role } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { LeadAnswers } from '../components/lead-answers.tsx';
import { AttributionBadge, EqlBadge, LeadStatusBadge } from '../components/lead-badges.tsx';
import { LeadDecisions } from '../components/lead-decision.tsx';
import { ConsentRecords, TouchTimeline } from '../components/lead-timeline.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime, formatMoney, humanize } from '../format.ts';
import { useMe } from '../me-context.tsx';
import { Link } from '../router.tsx';
import type { PageProps } from '../routes.tsx';
import { latestData, useResource } from '../use-resource.ts';
import {
  isFullLead,
  LEAD_STATUS_LABELS,
  type LeadDetail,
  LeadsSections,
  useCampaignOptions,
  usePartnerNames,
} from './leads-shared.tsx';

const NAME_FIELDS = new Set(['first_name', 'last_name']);

/** One lead: its fields, touches, consent, and the three answers; marketing also decides on it. */
export function LeadPage({ params }: PageProps) {
  const leadId = params.leadId ?? '';
  const client = useApi();
  const me = useMe();
  const marketing = me.user.role === 'marketing';
  const campaigns = useCampaignOptions(me.user.role);
  const marketingNames = usePartnerNames(marketing);
  const partnerName = (id: string) =>
    me.partner && id === me.partner.id ? me.partner.name : marketingNames(id);
  const [decided, setDecided] = useState<{ lead: LeadDetail; notice: string } | null>(null);
  const resource = useResource(`lead:${leadId}`, async (signal) => {
    const response = await client.api.leads[':leadId'].$get({ param: { leadId } }, { init: { signal } });
    return response.json();
  });
  const reload = () => {
    setDecided(null);
    resource.reload();
  };

  if (resource.status === 'error') {
    return <LeadError error={resource.error} role={me.user.role} onRetry={resource.reload} />;
  }
  // A decision's answer is the newest lead; it stands until a reload or another lead is opened.
  const lead = (decided?.lead.id === leadId ? decided.lead : undefined) ?? latestData(resource);
  if (lead === undefined) {
    return (
      <>
        <PageHeader title="Lead" />
        <SkeletonLines lines={6} label="Loading the lead…" />
      </>
    );
  }

  const name = [lead.fields.first_name, lead.fields.last_name].filter((part) => part?.trim()).join(' ');
  return (
    <div data-testid="lead" data-lead-id={lead.id} data-status={lead.status} data-eql={lead.eql.eql}>
      <PageHeader
        title={name || lead.email}
        description={[lead.fields.company, lead.email].filter(Boolean).join(' · ')}
        actions={
          <span className="badge-row">
            <LeadStatusBadge status={lead.status} />
            <EqlBadge eql={lead.eql.eql} />
            <AttributionBadge attribution={lead.attribution.kind} />
          </span>
        }
      />
      <LeadsSections role={me.user.role} />
      <div role="status" className="status-region">
        {decided?.lead.id === leadId && (
          <p className="callout callout-success" data-testid="decision-notice">
            {decided.notice}
          </p>
        )}
      </div>
      {isFullLead(lead) && (
        <LeadDecisions
          key={lead.version}
          lead={lead}
          onReload={reload}
          onDecided={(next) =>
            setDecided({
              lead: next,
              notice: `The lead is now ${LEAD_STATUS_LABELS[next.status].toLowerCase()}.`,
            })
          }
        />
      )}
      <LeadAnswers lead={lead} partnerName={partnerName} />
      <div className="grid grid-2">
        <LeadDetails lead={lead} />
        <TouchTimeline
          touches={lead.touches}
          campaignName={campaigns.name}
          partnerName={partnerName}
          showPartner={marketing}
        />
      </div>
      <ConsentRecords consents={lead.consents} campaignName={campaigns.name} />
    </div>
  );
}

/** The submitted fields (latest submission wins per field) and where the lead stands. */
function LeadDetails({ lead }: { lead: LeadDetail }) {
  const otherFields = Object.entries(lead.fields).filter(
    ([field]) => !NAME_FIELDS.has(field) && field !== 'email',
  );
  return (
    <section className="card" aria-labelledby="lead-fields-title" data-testid="lead-fields">
      <h2 id="lead-fields-title">Details</h2>
      <dl className="facts facts-list">
        <div>
          <dt>Email</dt>
          <dd>{lead.email}</dd>
        </div>
        <div>
          <dt>Company domain</dt>
          <dd>{lead.companyDomain ?? <span className="muted">None (not a business address)</span>}</dd>
        </div>
        {otherFields.map(([field, value]) => (
          <div key={field} className={value.length > 60 ? 'fact-wide' : undefined}>
            <dt>{humanize(field)}</dt>
            <dd className="lead-field-value">{value || <span className="muted">—</span>}</dd>
          </div>
        ))}
        <div>
          <dt>Status</dt>
          <dd>
            {LEAD_STATUS_LABELS[lead.status]}
            {lead.statusReason && <span className="cell-sub">{lead.statusReason}</span>}
          </dd>
        </div>
        {lead.won && (
          <div>
            <dt>Won</dt>
            <dd
              data-testid="lead-won"
              data-amount-minor={lead.won.amountMinor}
              data-currency={lead.won.currency}
            >
              {formatMoney({ amount: lead.won.amountMinor, currency: lead.won.currency })}
            </dd>
          </div>
        )}
        <div>
          <dt>Submissions</dt>
          <dd>{lead.submissions}</dd>
        </div>
        <div>
          <dt>Engaged</dt>
          <dd>{lead.engaged ? 'Yes (opened, clicked or visited)' : 'No'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(lead.createdAt)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{formatDateTime(lead.updatedAt)}</dd>
        </div>
      </dl>
    </section>
  );
}

function LeadError({ error, role, onRetry }: { error: unknown; role: Role; onRetry: () => void }) {
  const missing = error instanceof ApiError && [404, 422].includes(error.status);
  return (
    <>
      <PageHeader title={missing ? 'Lead not found' : 'Lead'} />
      <LeadsSections role={role} />
      {missing ? (
        <section className="card empty-state" data-testid="lead-missing">
          <p className="muted">There is no such lead, or it is not one of yours.</p>
          <p>
            <Link to="/leads">Back to the leads</Link>
          </p>
        </section>
      ) : (
        <ErrorView error={error} onRetry={onRetry} />
      )}
    </>
  );
}
