import { type ReactNode, useEffect, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import type { CampaignCounters, CampaignDetail, Decision } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { CampaignStatusBadge } from '../components/badges.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { HourlyChart } from '../components/hourly-chart.tsx';
import { localFormat, utcFormat, zoneLabel } from '../components/launch-schedule.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { Link } from '../router.tsx';
import type { PageProps } from '../routes.tsx';
import { latestData, useResource } from '../use-resource.ts';

const POLL_MS = 2000;
/** Delivery, opens and clicks keep arriving for a while after the last send. */
const SETTLE_MS = 60_000;

function isLive(campaign: CampaignDetail): boolean {
  if (campaign.status === 'sending' || campaign.status === 'scheduled') return true;
  return (
    campaign.status === 'sent' &&
    campaign.sentAt !== null &&
    Date.now() - Date.parse(campaign.sentAt) < SETTLE_MS
  );
}

/** A share as a percentage, or a dash while there is nothing to divide by. */
function rate(part: number, whole: number): string {
  if (whole <= 0) return '—';
  return `${((part / whole) * 100).toFixed(1)}%`;
}

export function campaignRates(counters: CampaignCounters) {
  const { sent, delivered, uniqueOpened, uniqueClicked, unsubscribed } = counters;
  return {
    delivery: rate(delivered, sent),
    uniqueOpen: rate(uniqueOpened, delivered),
    uniqueClick: rate(uniqueClicked, delivered),
    unsubscribe: rate(unsubscribed, delivered),
  };
}

/** One campaign: status, live counters while it sends, rates, and pause/resume/cancel. */
export function CampaignPage({ params }: PageProps) {
  const client = useApi();
  const campaignId = params.campaignId ?? '';
  const [tick, setTick] = useState(0);
  const campaign = useResource(`campaign:${campaignId}:${tick}`, async (signal) => {
    const response = await client.api.campaigns[':campaignId'].$get(
      { param: { campaignId } },
      { init: { signal } },
    );
    return response.json();
  });
  const data = latestData(campaign);
  const live = data !== undefined && isLive(data);

  useEffect(() => {
    if (!live || campaign.status !== 'success') return;
    const timer = setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [live, campaign.status]);

  let body: ReactNode;
  if (data !== undefined)
    body = <CampaignView campaign={data} live={live} onChanged={() => setTick((n) => n + 1)} />;
  else if (campaign.status === 'error') body = <ErrorView error={campaign.error} onRetry={campaign.reload} />;
  else body = <SkeletonLines lines={6} label="Loading the campaign…" />;

  return (
    <>
      <p className="back-link">
        <Link to="/campaigns">← Campaigns</Link>
      </p>
      {campaign.status === 'error' && data !== undefined && (
        <ErrorView error={campaign.error} onRetry={campaign.reload} />
      )}
      {body}
      {data !== undefined && <HourlyChart campaignId={campaignId} refreshKey={tick} />}
    </>
  );
}

type Action = 'submit' | 'launch' | 'pause' | 'resume' | 'cancel';

/** The status changes are typed by a path template, so the client sees them as optional keys. */
export async function campaignAction(client: ApiClient, campaignId: string, action: Action) {
  const endpoint = client.api.campaigns[':campaignId'][action];
  if (endpoint === undefined) throw new Error(`the API client has no ${action} action`);
  const response = await endpoint.$post({ param: { campaignId } });
  return response.json();
}

/** A status change, or scheduling for the time planned in the wizard once the campaign is approved. */
async function changeCampaign(client: ApiClient, campaignId: string, action: Action | 'schedule') {
  if (action !== 'schedule') return campaignAction(client, campaignId, action);
  const response = await client.api.campaigns[':campaignId'].schedule.$post({
    param: { campaignId },
    json: {},
  });
  return response.json();
}

function CampaignView({
  campaign,
  live,
  onChanged,
}: {
  campaign: CampaignDetail;
  live: boolean;
  onChanged: () => void;
}) {
  const client = useApi();
  const [busy, setBusy] = useState<Action | 'schedule' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const { counters, status } = campaign;
  const rates = campaignRates(counters);
  // Decisions are recorded in order: the last one is the one that counts.
  const latest = campaign.decisions.at(-1);

  async function run(action: Action | 'schedule') {
    setBusy(action);
    setError(null);
    try {
      await changeCampaign(client, campaign.id, action);
      onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
      setConfirmCancel(false);
    }
  }

  const canCancel = !['sent', 'cancelled'].includes(status);
  const actions = (
    <>
      {(status === 'draft' || status === 'rejected') && (
        <button type="button" className="button" disabled={busy !== null} onClick={() => void run('submit')}>
          Submit
        </button>
      )}
      {status === 'approved' && (
        <ApprovedActions
          scheduledAt={campaign.scheduledAt}
          disabled={busy !== null}
          onRun={(action) => void run(action)}
        />
      )}
      {status === 'sending' && (
        <button
          type="button"
          className="button button-secondary"
          disabled={busy !== null}
          onClick={() => void run('pause')}
        >
          Pause
        </button>
      )}
      {status === 'paused' && (
        <button type="button" className="button" disabled={busy !== null} onClick={() => void run('resume')}>
          Resume
        </button>
      )}
      {canCancel && (
        <button
          type="button"
          className="button button-danger"
          disabled={busy !== null}
          onClick={() => setConfirmCancel(true)}
        >
          Cancel campaign
        </button>
      )}
    </>
  );

  const stats: [string, keyof CampaignCounters][] = [
    ['Queued', 'queued'],
    ['Sent', 'sent'],
    ['Delivered', 'delivered'],
    ['Bounced', 'bounced'],
    ['Complained', 'complained'],
    ['Suppressed', 'suppressed'],
    ['Failed', 'failed'],
    ['Unique opens', 'uniqueOpened'],
    ['Unique clicks', 'uniqueClicked'],
    ['Unsubscribed', 'unsubscribed'],
  ];

  return (
    <div data-testid="campaign" data-campaign-id={campaign.id} data-status={status}>
      <PageHeader
        title={campaign.name}
        description={
          <>
            {campaign.kitName} <span className="muted">v{campaign.kitVersion}</span> ·{' '}
            <CampaignStatusBadge status={status} />
            {live && (
              <span className="live-dot" data-testid="campaign-live">
                {' '}
                Live
              </span>
            )}
          </>
        }
        actions={actions}
      />
      {error !== null && <ErrorView error={error} />}
      {status === 'pending-approval' && (
        <p className="callout callout-info">
          This kit needs vendor approval: you will be notified of the decision.
        </p>
      )}
      <ScheduledCallout campaign={campaign} />
      {status === 'paused' && campaign.pauseReason && (
        <p className="callout callout-info">Paused by ChannelKit: {campaign.pauseReason}</p>
      )}
      {latest !== undefined && <DecisionCallout decision={latest} status={status} />}
      <section className="card" aria-labelledby="rates-title">
        <h2 id="rates-title">Performance</h2>
        <dl className="rate-grid" data-testid="campaign-rates">
          <Rate label="Delivery rate" value={rates.delivery} testId="rate-delivery" />
          <Rate label="Unique open rate" value={rates.uniqueOpen} testId="rate-open" />
          <Rate label="Unique click rate" value={rates.uniqueClick} testId="rate-click" />
          <Rate label="Unsubscribe rate" value={rates.unsubscribe} testId="rate-unsubscribe" />
        </dl>
        <p className="muted small">
          Delivery is delivered ÷ sent; opens, clicks and unsubscribes are unique people ÷ delivered.
        </p>
      </section>
      <section className="card" aria-labelledby="counters-title">
        <h2 id="counters-title">Counters</h2>
        <dl className="facts counters" data-testid="campaign-counters">
          <div>
            <dt>Audience</dt>
            <dd data-testid="counter-audience">{campaign.audienceSize ?? '—'}</dd>
          </div>
          {stats.map(([label, key]) => (
            <div key={key}>
              <dt>{label}</dt>
              <dd data-testid={`counter-${key}`}>{counters[key]}</dd>
            </div>
          ))}
        </dl>
        <dl className="facts">
          <div>
            <dt>Created</dt>
            <dd>{formatDateTime(campaign.createdAt)}</dd>
          </div>
          <div>
            <dt>Launched</dt>
            <dd>{campaign.launchedAt ? formatDateTime(campaign.launchedAt) : '—'}</dd>
          </div>
          <div>
            <dt>Finished</dt>
            <dd>{campaign.sentAt ? formatDateTime(campaign.sentAt) : '—'}</dd>
          </div>
        </dl>
      </section>
      <ConfirmDialog
        open={confirmCancel}
        title="Cancel this campaign?"
        confirmLabel="Cancel campaign"
        tone="danger"
        busy={busy === 'cancel'}
        onConfirm={() => void run('cancel')}
        onCancel={() => setConfirmCancel(false)}
      >
        <p>
          {status === 'scheduled'
            ? 'The scheduled send is called off: nobody gets this campaign. This cannot be undone.'
            : 'No further emails go out. Emails already sent stay sent. This cannot be undone.'}
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** An approved campaign launches now or, when the wizard planned a time still ahead, then. */
function ApprovedActions({
  scheduledAt,
  disabled,
  onRun,
}: {
  scheduledAt: string | null;
  disabled: boolean;
  onRun: (action: 'launch' | 'schedule') => void;
}) {
  const planned = scheduledAt !== null && Date.parse(scheduledAt) > Date.now() ? scheduledAt : null;
  return (
    <>
      {planned !== null && (
        <button type="button" className="button" disabled={disabled} onClick={() => onRun('schedule')}>
          Schedule for {formatDateTime(planned)}
        </button>
      )}
      <button
        type="button"
        className={planned === null ? 'button' : 'button button-secondary'}
        disabled={disabled}
        onClick={() => onRun('launch')}
      >
        Launch now
      </button>
    </>
  );
}

/** When a scheduled campaign goes out, in the partner's time zone (named) and in UTC. */
function ScheduledCallout({ campaign }: { campaign: CampaignDetail }) {
  const at = campaign.scheduledAt;
  if (campaign.status !== 'scheduled' || at === null) return null;
  const date = new Date(at);
  return (
    <p className="callout callout-info" data-testid="campaign-scheduled" data-at={at}>
      Scheduled for <strong>{localFormat.format(date)}</strong>, {zoneLabel(date)} ({utcFormat.format(date)}{' '}
      UTC). It launches then, unless you cancel it.
    </p>
  );
}

function Rate({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="rate">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** The vendor's latest approval decision, with the comment the partner has to act on. */
function DecisionCallout({ decision, status }: { decision: Decision; status: CampaignDetail['status'] }) {
  return (
    <div
      className={`callout ${decision.outcome === 'rejected' ? 'callout-error' : 'callout-success'}`}
      data-testid="campaign-decision"
      data-outcome={decision.outcome}
    >
      <p className="callout-title">
        {decision.outcome === 'rejected' ? 'Rejected' : 'Approved'} by {decision.by.name} ·{' '}
        <span className="muted small">{formatDateTime(decision.at)}</span>
      </p>
      {decision.comment && (
        <p className="decision-comment" data-testid="campaign-decision-comment">
          {decision.comment}
        </p>
      )}
      {decision.outcome === 'rejected' && status === 'rejected' && (
        <p className="small">Make the changes the comment asks for, then submit it again.</p>
      )}
    </div>
  );
}
