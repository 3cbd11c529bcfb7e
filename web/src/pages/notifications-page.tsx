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

/** The vendor's approval decisions on my campaigns, newest first. */
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
          No notifications yet. When the vendor approves or rejects a campaign you submitted, it shows up
          here.
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
                <th scope="col">Decision</th>
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
                    <DecisionBadge outcome={outcomeOf(notification)} />
                  </td>
                  <td>
                    <Link to={`/campaigns/${notification.campaignId}`}>{notification.campaignName}</Link>
                  </td>
                  <td className="cell-wrap decision-comment" data-testid="notification-comment">
                    {notification.comment || <span className="muted">—</span>}
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
        description="Brand approval decisions on the campaigns you submitted, newest first."
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
