import type { ReactNode } from 'react';
import { ApiError } from '../api/problem.ts';
import { type LibraryKitDetail, OBJECTIVE_LABELS, REGION_LABELS } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ApprovalBadge, MdfBadge } from '../components/badges.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { KitCustomiser } from '../components/kit-customiser.tsx';
import { LaunchWizard } from '../components/launch-wizard.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { humanize, languageName } from '../format.ts';
import { useMe } from '../me-context.tsx';
import { Link } from '../router.tsx';
import type { PageProps } from '../routes.tsx';
import { useResource } from '../use-resource.ts';

/** One kit from the library: the slot form and the live preview with the partner's own brand. */
export function LibraryKitPage({ params }: PageProps) {
  const client = useApi();
  const kitId = params.kitId ?? '';
  const kit = useResource(`library-kit:${kitId}`, async (signal) => {
    const response = await client.api.library[':kitId'].$get({ param: { kitId } }, { init: { signal } });
    return response.json();
  });

  let body: ReactNode;
  if (kit.status === 'loading') body = <SkeletonLines lines={6} label="Loading the kit…" />;
  else if (kit.status === 'error') {
    body =
      kit.error instanceof ApiError && kit.error.status === 404 ? (
        <section className="card empty-state" data-testid="library-kit-missing">
          <PageHeader title="This kit is not in your library" />
          <p className="muted">
            It may have been retired, or it is for other partner tiers or regions. Your library shows every
            kit you can use.
          </p>
          <div className="actions">
            <Link to="/library" className="button">
              Browse the library
            </Link>
          </div>
        </section>
      ) : (
        <ErrorView error={kit.error} onRetry={kit.reload} />
      );
  } else body = <KitDetail kit={kit.data} />;

  return (
    <>
      <p className="back-link">
        <Link to="/library">← Library</Link>
      </p>
      {body}
    </>
  );
}

function KitDetail({ kit }: { kit: LibraryKitDetail }) {
  const client = useApi();
  const me = useMe();
  const sender = me.partner?.name ?? 'Your company';
  return (
    <>
      <div className="kit-hero" data-testid="library-kit" data-kit-id={kit.id} data-version={kit.version}>
        {kit.heroUrl && <img src={kit.heroUrl} alt="" className="kit-hero-image" />}
        <div className="kit-hero-text">
          <p className="eyebrow">{OBJECTIVE_LABELS[kit.objective]}</p>
          <PageHeader title={kit.name} description={kit.summary} />
          <div className="badge-row">
            {kit.mdfEligible && <MdfBadge budget={kit.suggestedBudget} />}
            {kit.approvalRequired && <ApprovalBadge />}
            <span className="badge">{languageName(kit.language)}</span>
            <span className="badge">Version {kit.version}</span>
          </div>
          <ul className="tag-list" aria-label="Tags">
            {[...kit.products, ...kit.verticals].map((tag) => (
              <li key={tag} className="tag">
                {humanize(tag)}
              </li>
            ))}
            {kit.regions.map((region) => (
              <li key={region} className="tag tag-region" title={REGION_LABELS[region]}>
                {region}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <KitCustomiser
        kitKey={`${kit.id}@${kit.version}`}
        slots={kit.slots}
        sender={sender}
        intro={
          <p className="muted small">
            The preview uses your brand profile and updates as you type. Fields marked{' '}
            <span className="required-mark" aria-hidden="true">
              *
            </span>
            <span className="visually-hidden">with an asterisk</span> are required.
          </p>
        }
        load={async (slots, signal) => {
          const response = await client.api.library[':kitId'].preview.$post(
            { param: { kitId: kit.id }, json: { slots } },
            { init: { signal } },
          );
          return response.json();
        }}
        footer={(slots) => <LaunchWizard kit={kit} slots={slots} />}
      />
    </>
  );
}
