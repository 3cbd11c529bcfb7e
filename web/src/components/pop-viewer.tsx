// The proof-of-performance pack as an auditor (or the partner, before filing) reads it: the
// anomalies first, then the send and engagement figures, the leads, the email and landing page
// exactly as rendered, and the dates of each step. Rendered HTML only ever goes into
// `<iframe sandbox="">`: no scripts, no same origin, no forms, no navigation of the portal.
import type { ReactNode } from 'react';
import { formatDate, formatDateTime, humanize } from '../format.ts';
import { formatBps, type PopPack } from './mdf-claim-shared.tsx';
import { formatShare, Money } from './mdf-shared.tsx';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card pop-section" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

function Fact({
  label,
  value,
  testId,
  className,
}: {
  label: string;
  value: ReactNode;
  testId?: string;
  className?: string;
}) {
  return (
    <div className={className}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** A rate as the campaign page shows it, large. */
const Rate = ({ label, bps, testId }: { label: string; bps: number | null; testId: string }) => (
  <Fact label={label} value={formatBps(bps)} testId={testId} className="rate" />
);

export function PopAnomalies({ pack }: { pack: PopPack }) {
  if (pack.anomalies.length === 0) {
    return (
      <p className="callout callout-success" data-testid="pop-no-anomalies">
        No anomalies: the records match the approved activity.
      </p>
    );
  }
  return (
    <div className="callout pop-anomalies" role="note" aria-label="Anomalies" data-testid="pop-anomalies">
      <p className="callout-title">
        {pack.anomalies.length === 1
          ? '1 anomaly to look at'
          : `${pack.anomalies.length} anomalies to look at`}
      </p>
      <ul>
        {pack.anomalies.map((anomaly) => (
          <li
            key={anomaly.code}
            className={`pop-anomaly pop-anomaly-${anomaly.severity}`}
            data-testid="pop-anomaly"
            data-code={anomaly.code}
            data-severity={anomaly.severity}
          >
            <span className="badge">{anomaly.severity === 'warning' ? 'Warning' : 'Note'}</span>{' '}
            {anomaly.message} <code className="muted small">{anomaly.code}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Metrics({ pack }: { pack: PopPack }) {
  const { sendLog, engagement } = pack;
  const { rates } = engagement;
  const counts: [string, string, number][] = [
    ['Sent', 'sent', sendLog.sent],
    ['Delivered', 'delivered', sendLog.delivered],
    ['Hard bounced', 'hardBounced', sendLog.hardBounced],
    ['Soft bounced', 'softBounced', sendLog.softBounced],
    ['Complained', 'complained', sendLog.complained],
    ['Unsubscribed', 'unsubscribed', sendLog.unsubscribed],
    ['Suppressed', 'suppressed', sendLog.suppressed],
    ['Failed', 'failed', sendLog.failed],
    ['Unique opens', 'uniqueOpens', engagement.uniqueOpens],
    ['Unique clicks', 'uniqueClicks', engagement.uniqueClicks],
    ['Unique human clicks', 'uniqueHumanClicks', engagement.uniqueHumanClicks],
  ];
  return (
    <Section id="pop-metrics" title="Sends and engagement">
      <dl className="facts counters" data-testid="pop-metrics">
        <Fact label="Audience" value={pack.audience.size ?? '—'} testId="pop-metric-audience" />
        {counts.map(([label, key, value]) => (
          <Fact key={key} label={label} value={value} testId={`pop-metric-${key}`} />
        ))}
      </dl>
      <dl className="rate-grid" data-testid="pop-rates">
        <Rate label="Delivered (of sent)" bps={rates.deliveredBps} testId="pop-rate-delivered" />
        <Rate label="Hard bounces (of sent)" bps={rates.hardBounceBps} testId="pop-rate-bounce" />
        <Rate label="Unique opens" bps={rates.uniqueOpenBps} testId="pop-rate-open" />
        <Rate label="Unique clicks" bps={rates.uniqueClickBps} testId="pop-rate-click" />
        <Rate label="Complaints" bps={rates.complaintBps} testId="pop-rate-complaint" />
        <Rate label="Unsubscribes" bps={rates.unsubscribeBps} testId="pop-rate-unsubscribe" />
      </dl>
      <p className="muted small">
        Opens, clicks, complaints and unsubscribes are of delivered; bounces and delivery of sent. Sends
        between {sendLog.firstSendAt ? formatDateTime(sendLog.firstSendAt) : '—'} and{' '}
        {sendLog.lastSendAt ? formatDateTime(sendLog.lastSendAt) : '—'} (hourly counters).
      </p>
    </Section>
  );
}

function MoneyList({ amounts }: { amounts: readonly { currency: string; amountMinor: number }[] }) {
  if (amounts.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {amounts.map((m, i) => (
        <span key={m.currency}>
          {i > 0 && ', '}
          <Money minor={m.amountMinor} currency={m.currency} />
        </span>
      ))}
    </>
  );
}

const ATTRIBUTION_LABELS = {
  'partner-sourced': 'Sourced',
  'partner-influenced': 'Influenced',
  none: 'None',
} as const;

function Leads({ pack }: { pack: PopPack }) {
  const { leads } = pack;
  return (
    <Section id="pop-leads" title="Leads">
      <dl className="facts">
        <Fact label="Leads" value={leads.total} testId="pop-leads-total" />
        <Fact label="EQLs" value={leads.eqls} testId="pop-leads-eqls" />
        <Fact label="EQL rate" value={formatBps(leads.eqlRateBps)} />
        <Fact label="Sourced / influenced" value={`${leads.sourced} / ${leads.influenced}`} />
        <Fact label="Pipeline" value={<MoneyList amounts={leads.pipeline.amounts} />} />
        <Fact label="Won" value={<MoneyList amounts={leads.won.revenue} />} testId="pop-leads-won" />
      </dl>
      {leads.items.length === 0 ? (
        <p className="muted">No leads came from this campaign.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="pop-leads-table">
            <caption className="visually-hidden">Leads from the campaign</caption>
            <thead>
              <tr>
                <th scope="col">Lead</th>
                <th scope="col">Company</th>
                <th scope="col">Attribution</th>
                <th scope="col">EQL</th>
                <th scope="col">Status</th>
                <th scope="col" className="cell-number">
                  Won
                </th>
                <th scope="col">Captured</th>
              </tr>
            </thead>
            <tbody>
              {leads.items.map((lead) => (
                <tr key={lead.leadId} data-testid="pop-lead" data-email={lead.email} data-eql={lead.eql}>
                  <th scope="row">
                    {lead.name || lead.email}
                    <span className="cell-sub">{lead.email}</span>
                  </th>
                  <td>{lead.company}</td>
                  <td data-attribution={lead.attribution}>{ATTRIBUTION_LABELS[lead.attribution]}</td>
                  <td>{lead.eql ? <span className="badge badge-eql">EQL</span> : '—'}</td>
                  <td>{humanize(lead.status)}</td>
                  <td className="cell-number">
                    {lead.won ? <Money minor={lead.won.amountMinor} currency={lead.won.currency} /> : '—'}
                  </td>
                  <td>{lead.capturedAt ? formatDateTime(lead.capturedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {leads.omitted > 0 && (
        <p className="muted small">
          {leads.omitted} more leads are counted but not listed (the pack lists at most {leads.cap}).
        </p>
      )}
    </Section>
  );
}

function Rendered({ pack }: { pack: PopPack }) {
  const { campaign } = pack;
  if (!campaign) {
    return (
      <Section id="pop-rendered" title="Email and landing page">
        <p className="muted">The pack has no campaign, so nothing was rendered.</p>
      </Section>
    );
  }
  return (
    <Section id="pop-rendered" title="Email and landing page, as sent">
      <dl className="facts">
        <Fact label="Campaign" value={campaign.name} />
        <Fact label="Kit" value={`${campaign.kit.name} v${campaign.kit.version}`} />
        <Fact label="Subject" value={campaign.email.subject} testId="pop-subject" />
        <Fact
          label="Brand profile"
          value={
            campaign.brand.source === 'missing'
              ? 'Missing'
              : `Version ${campaign.brand.profileVersion ?? '?'}${campaign.brand.profileUpdatedAt ? `, ${formatDateTime(campaign.brand.profileUpdatedAt)}` : ''}`
          }
        />
      </dl>
      <p className="muted small">{campaign.renderingNote}</p>
      <h4>Email</h4>
      <div className="frame-stage">
        <iframe
          title="The email as sent"
          sandbox=""
          srcDoc={campaign.email.html}
          className="preview-frame pop-frame"
          data-testid="pop-email-frame"
        />
      </div>
      <details className="pop-landing">
        <summary>Landing page</summary>
        <div className="frame-stage">
          <iframe
            title="The landing page as published"
            sandbox=""
            srcDoc={campaign.landingHtml}
            className="preview-frame pop-frame"
            data-testid="pop-landing-frame"
          />
        </div>
      </details>
    </Section>
  );
}

const TIMELINE: [keyof PopPack['timeline'], string][] = [
  ['requestFiledAt', 'Pre-approval requested'],
  ['requestApprovedAt', 'Pre-approval approved'],
  ['campaignCreatedAt', 'Campaign created'],
  ['campaignApprovedAt', 'Campaign approved'],
  ['campaignLaunchedAt', 'Campaign launched'],
  ['firstSendAt', 'First send'],
  ['lastSendAt', 'Last send'],
  ['campaignSentAt', 'Campaign finished'],
  ['firstLeadAt', 'First lead'],
  ['claimFiledAt', 'Claim filed'],
];

function Activity({ pack }: { pack: PopPack }) {
  const { request, claim } = pack;
  return (
    <Section id="pop-activity" title="The approved activity">
      <dl className="facts">
        <Fact label="Activity" value={request.activity.name} />
        <Fact
          label="Dates"
          value={`${formatDate(request.activity.startDate)} – ${formatDate(request.activity.endDate)}`}
        />
        <Fact
          label="Approved spend"
          value={
            request.approvedMinor === null ? (
              '—'
            ) : (
              <Money minor={request.approvedMinor} currency={request.currency} />
            )
          }
        />
        <Fact label="Vendor share" value={formatShare(request.reimbursementShareBps)} />
        <Fact
          label="Committed"
          value={
            request.committedMinor === null ? (
              '—'
            ) : (
              <Money minor={request.committedMinor} currency={request.currency} />
            )
          }
        />
        <Fact
          label="Most reimbursable"
          value={<Money minor={claim.maxReimbursableMinor} currency={claim.currency} />}
          testId="pop-max-reimbursable"
        />
      </dl>
      <h4>Timeline</h4>
      <ol className="pop-timeline" data-testid="pop-timeline">
        {TIMELINE.map(([key, label]) => {
          const at = pack.timeline[key];
          // A campaign launched without a submission or approval never needed one.
          const skipped =
            at === null &&
            pack.timeline.campaignLaunchedAt !== null &&
            (key === 'campaignSubmittedAt' || key === 'campaignApprovedAt');
          return (
            <li key={key} data-step={key} className={at ? undefined : 'muted'}>
              <span>{label}</span>{' '}
              <time dateTime={at ?? undefined}>
                {at ? formatDateTime(at) : skipped ? 'not required' : 'not yet'}
              </time>
            </li>
          );
        })}
      </ol>
    </Section>
  );
}

/** The whole pack: anomalies, metrics, leads, the rendered email and landing page, the activity. */
export function PopViewer({ pack }: { pack: PopPack }) {
  return (
    <div className="pop-viewer" data-testid="pop-viewer" data-claim-id={pack.claim.claimId}>
      <PopAnomalies pack={pack} />
      <Metrics pack={pack} />
      <Leads pack={pack} />
      <Rendered pack={pack} />
      <Activity pack={pack} />
    </div>
  );
}
