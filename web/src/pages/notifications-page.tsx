import type { ReactNode } from 'react';
import type { Notification } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { Link } from '../router.tsx';
import { useResource } from '../use-resource.ts';

export function DecisionBadge({ outcome }: { outcome: 'approved' | 'rejected' }) {
  return (
    <span
      className={`badge campaign-status campaign-status-${outcome}`}
      data-testid="decision-outcome"
      data-outcome={outcome}
    >
      {outcome === 'approved' ? 'Approved' : 'Rejected'}
    </span>
  );
}

const outcomeOf = (notification: Notification) =>
  notification.kind === 'campaign-approved' ? 'approved' : 'rejected';

const CLAIM_KINDS = {
  'claim-info-requested': 'Claim: information requested',
  'claim-decided': 'Claim decided',
  'claim-paid': 'Claim paid',
} as const;

const claimKind = (kind: Notification['kind']) =>
  kind === 'claim-info-requested' || kind === 'claim-decided' || kind === 'claim-paid' ? kind : null;

/** What happened: an approval decision, a lead that became an EQL through the partner's account list, or news of an MDF claim. */
function KindBadge({ notification }: { notification: Notification }) {
  const claim = claimKind(notification.kind);
  if (claim !== null) {
    return (
      <span className={`badge mdf-claim-${claim}`} data-testid="notification-claim">
        {CLAIM_KINDS[claim]}
      </span>
    );
  }
  if (notification.kind === 'lead-eql') {
    return (
      <span className="badge badge-eql" data-testid="notification-eql">
        New EQL
      </span>
    );
  }
  return <DecisionBadge outcome={outcomeOf(notification)} />;
}

/** The vendor's approval decisions on my campaigns and my new EQLs, newest first. */
export function NotificationsPage() {
  const client = useApi();
  const notifications = useResource('notifications', async (signal) => {
    const response = await client.api.notifications.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });

  let body: ReactNode;
  if (notifications.status === 'loading') body = <SkeletonLines lines={4} label="Loading notifications…" />;
  else if (notifications.status === 'error')
    body = <ErrorView error={notifications.error} onRetry={notifications.reload} />;
  else if (notifications.data.length === 0) {
    body = (
      <section className="card empty-state" data-testid="notifications-empty">
        <p className="muted">
          No notifications yet. When the vendor approves or rejects a campaign you submitted, or a lead from
          your campaigns turns out to be one of your accounts (a new EQL), it shows up here.
        </p>
      </section>
    );
  } else {
    body = (
      <section className="card card-flush">
        <div className="table-scroll">
          <table className="table table-compact" data-testid="notifications-table">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Campaign</th>
                <th scope="col">Comment</th>
                <th scope="col">By</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {notifications.data.map((notification) => (
                <tr
                  key={notification.id}
                  data-testid="notification"
                  data-campaign-id={notification.campaignId}
                  data-kind={notification.kind}
                >
                  <td>
                    <KindBadge notification={notification} />
                  </td>
                  <td>
                    <Link to={`/campaigns/${notification.campaignId}`}>{notification.campaignName}</Link>
                  </td>
                  <td className="cell-wrap decision-comment" data-testid="notification-comment">
                    {notification.comment || <span className="muted">—</span>}
                    {claimKind(notification.kind) !== null && notification.claimId && (
                      <>
                        {' '}
                        <Link
                          to={`/mdf/claims/${encodeURIComponent(notification.claimId)}`}
                          data-testid="notification-claim-link"
                        >
                          Open the claim
                        </Link>
                      </>
                    )}
                    {notification.kind === 'lead-eql' && notification.leadId && (
                      <>
                        {' '}
                        <Link
                          to={`/leads/${encodeURIComponent(notification.leadId)}`}
                          data-testid="notification-lead"
                        >
                          Open the lead
                        </Link>
                      </>
                    )}
                  </td>
                  <td>{notification.by}</td>
                  <td>{formatDateTime(notification.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    );
  }

  return (
    <>
      <PageHeader
        title="Notifications"
        description="Brand approval decisions on the campaigns you submitted, new EQLs from your campaigns, and the auditor's news on your MDF claims, newest first."
        actions={
          <button type="button" className="button button-secondary" onClick={notifications.reload}>
            Refresh
          </button>
        }
      />
      {body}
    </>
  );
}
