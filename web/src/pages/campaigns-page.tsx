import type { ReactNode } from 'react';
import { useApi } from '../auth/auth-context.tsx';
import { CampaignStatusBadge } from '../components/badges.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { Link } from '../router.tsx';
import { useResource } from '../use-resource.ts';

/** My campaigns, newest first, each with its status. */
export function CampaignsPage() {
  const client = useApi();
  const campaigns = useResource('campaigns', async (signal) => {
    const response = await client.api.campaigns.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });

  let body: ReactNode;
  if (campaigns.status === 'loading') body = <SkeletonLines lines={4} label="Loading your campaigns…" />;
  else if (campaigns.status === 'error')
    body = <ErrorView error={campaigns.error} onRetry={campaigns.reload} />;
  else if (campaigns.data.length === 0) {
    body = (
      <section className="card empty-state" data-testid="campaigns-empty">
        <p className="muted">
          No campaigns yet. Pick a kit in the library, customise it and launch it to a list.
        </p>
        <div className="actions">
          <Link to="/library" className="button">
            Browse the library
          </Link>
        </div>
      </section>
    );
  } else {
    body = (
      <section className="card card-flush">
        <div className="table-scroll">
          <table className="table" data-testid="campaigns-table">
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Kit</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.data.map((campaign) => (
                <tr key={campaign.id} data-campaign-id={campaign.id}>
                  <td>
                    <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link>
                  </td>
                  <td>
                    {campaign.kitName} <span className="muted small">v{campaign.kitVersion}</span>
                  </td>
                  <td>
                    <CampaignStatusBadge status={campaign.status} />
                    {campaign.status === 'scheduled' && campaign.scheduledAt !== null && (
                      <span
                        className="muted small"
                        data-testid="campaign-scheduled-at"
                        data-at={campaign.scheduledAt}
                      >
                        {' '}
                        for {formatDateTime(campaign.scheduledAt)}
                      </span>
                    )}
                  </td>
                  <td>{formatDateTime(campaign.createdAt)}</td>
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
        title="Campaigns"
        description="Everything you have created from the library, and how it went."
      />
      {body}
    </>
  );
}
