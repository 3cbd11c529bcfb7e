import type { KitHead } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { KitStatusBadge } from '../components/badges.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDate } from '../format.ts';
import { useMe } from '../me-context.tsx';
import { Link } from '../router.tsx';
import { type Resource, useResource } from '../use-resource.ts';
import { KitUpload } from './kit-upload.tsx';

/** Vendor marketing's kits: upload, validation, and the versions partners see. Auditors read. */
export function KitsPage() {
  const client = useApi();
  const canManage = useMe().user.role === 'marketing';
  const kits = useResource('kits', async (signal) => {
    const response = await client.api.kits.$get(undefined, { init: { signal } });
    return (await response.json()).items;
  });

  return (
    <>
      <PageHeader
        title="Campaign kits"
        description={
          canManage
            ? 'Upload a kit, read its validation report, and publish the versions partners co-brand.'
            : 'The kits in the program and the versions partners can use.'
        }
      />
      {canManage && <KitUpload onChanged={kits.reload} />}
      <section className="card card-flush" aria-labelledby="kits-title" aria-busy={kits.status === 'loading'}>
        <h2 id="kits-title" className="card-title-bar">
          Kits
        </h2>
        <KitList kits={kits} />
      </section>
    </>
  );
}

function KitList({ kits }: { kits: Resource<KitHead[]> }) {
  if (kits.status === 'loading') {
    return (
      <div className="card-body">
        <SkeletonLines lines={4} label="Loading kits…" />
      </div>
    );
  }
  if (kits.status === 'error') {
    return (
      <div className="card-body">
        <ErrorView error={kits.error} onRetry={kits.reload} />
      </div>
    );
  }
  if (kits.data.length === 0) {
    return (
      <div className="card-body empty-inline" data-testid="kits-empty">
        <p>No kits yet. Upload the first one above.</p>
      </div>
    );
  }
  const sorted = kits.data.toSorted((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="table-scroll">
      <table className="table" data-testid="kits-table">
        <thead>
          <tr>
            <th scope="col">Kit</th>
            <th scope="col">Latest version</th>
            <th scope="col">Published version</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((kit) => (
            <tr key={kit.id} data-kit-id={kit.id}>
              <th scope="row" className="cell-wrap">
                <Link to={`/kits/${encodeURIComponent(kit.id)}`} className="kit-link">
                  {kit.name}
                </Link>
                <span className="cell-sub">
                  <code>{kit.id}</code>
                </span>
              </th>
              <td data-testid="latest-version">
                <span className="version-tag">{kit.latestVersion}</span>{' '}
                <KitStatusBadge status={kit.latestStatus} />
              </td>
              <td data-testid="published-version">
                {kit.publishedVersion === null ? (
                  <span className="muted">Not published</span>
                ) : (
                  <span className="version-tag">{kit.publishedVersion}</span>
                )}
              </td>
              <td>{formatDate(kit.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
