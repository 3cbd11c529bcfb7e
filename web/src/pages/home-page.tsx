import type { ReactNode } from 'react';
import type { ApiClient } from '../api/client.ts';
import { type Partner, REGION_LABELS, TIERS, type Tier } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { TierBadge } from '../components/badges.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useMe } from '../me-context.tsx';
import { Link } from '../router.tsx';
import { useResource } from '../use-resource.ts';

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

export function HomePage() {
  const me = useMe();
  const role = me.user.role;
  return (
    <section data-testid="persona-home" data-role={role} aria-labelledby="page-title">
      <PageHeader title="Home" description={`Welcome back, ${firstName(me.user.name)}.`} />
      {role === 'marketing' && <MarketingHome />}
      {role === 'partner' && <PartnerHome partner={me.partner} />}
      {role === 'auditor' && <AuditorHome />}
    </section>
  );
}

type Upcoming = { title: string; body: string };

function ComingNext({ items }: { items: readonly Upcoming[] }) {
  return (
    <section className="card" aria-labelledby="coming-next">
      <h2 id="coming-next">Coming next</h2>
      <ul className="upcoming">
        {items.map((item) => (
          <li key={item.title}>
            <span className="upcoming-dot" aria-hidden="true" />
            <div>
              <strong>{item.title}</strong>
              <p className="muted">{item.body}</p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

// ---- vendor marketing ----------------------------------------------------------------

const PAGE_SIZE = '50';
const MAX_PAGES = 20;

/** Walks the partner pages to count them by tier; a count costs a few requests at most. */
async function countPartners(client: ApiClient, signal: AbortSignal) {
  const byTier: Record<Tier, number> = { registered: 0, silver: 0, gold: 0, platinum: 0 };
  let total = 0;
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: { limit: string; cursor?: string } =
      cursor === null ? { limit: PAGE_SIZE } : { limit: PAGE_SIZE, cursor };
    const response = await client.api.partners.$get({ query }, { init: { signal } });
    const page = await response.json();
    for (const partner of page.items) byTier[partner.tier] += 1;
    total += page.items.length;
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor !== null && pages < MAX_PAGES);
  return { total, byTier, complete: cursor === null };
}

const MARKETING_UPCOMING: readonly Upcoming[] = [
  {
    title: 'MDF claims',
    body: 'Claims with proof-of-performance packs the platform assembles, for auditors.',
  },
  { title: 'Program results', body: 'Return on partner investment per partner, campaign and program.' },
];

function MarketingHome() {
  const client = useApi();
  const counts = useResource('partner-counts', (signal) => countPartners(client, signal));

  let stats: ReactNode;
  if (counts.status === 'loading') stats = <SkeletonLines lines={2} label="Counting partners…" />;
  else if (counts.status === 'error') stats = <ErrorView error={counts.error} onRetry={counts.reload} />;
  else {
    stats = (
      <>
        <p className="stat" data-testid="partner-count">
          <span className="stat-value">
            {counts.data.total}
            {counts.data.complete ? '' : '+'}
          </span>
          <span className="stat-label">{counts.data.total === 1 ? 'partner' : 'partners'}</span>
        </p>
        <ul className="tier-breakdown" aria-label="Partners by tier">
          {TIERS.map((tier) => (
            <li key={tier}>
              <TierBadge tier={tier} /> <span>{counts.data.byTier[tier]}</span>
            </li>
          ))}
        </ul>
      </>
    );
  }

  return (
    <div className="grid grid-2">
      <section className="card" aria-labelledby="partner-program" aria-busy={counts.status === 'loading'}>
        <h2 id="partner-program">Partner program</h2>
        {stats}
        <div className="actions">
          <Link to="/partners" className="button">
            Manage partners
          </Link>
          <Link to="/kits" className="button button-secondary">
            Campaign kits
          </Link>
          <Link to="/mdf" className="button button-secondary" data-testid="home-mdf">
            Market development funds
          </Link>
        </div>
      </section>
      <ComingNext items={MARKETING_UPCOMING} />
    </div>
  );
}

// ---- partner marketer ----------------------------------------------------------------

const PARTNER_UPCOMING: readonly Upcoming[] = [
  {
    title: 'MDF claims',
    body: 'File claims with proof of performance assembled from your campaign’s records.',
  },
];

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function PartnerHome({ partner }: { partner: Partner | null }) {
  return (
    <div className="grid grid-2">
      {partner === null ? (
        <section className="card" aria-labelledby="partner-profile">
          <h2 id="partner-profile">Partner profile</h2>
          <p className="muted">
            Your account is not linked to a partner yet. Ask your channel manager to add you.
          </p>
        </section>
      ) : (
        <section
          className="card profile-card"
          aria-labelledby="partner-profile"
          data-testid="partner-profile"
        >
          <p className="eyebrow">Your partner profile</p>
          <h2 id="partner-profile">{partner.name}</h2>
          <dl className="facts">
            <div>
              <dt>Tier</dt>
              <dd>
                <TierBadge tier={partner.tier} />
              </dd>
            </div>
            <div>
              <dt>Region</dt>
              <dd>{REGION_LABELS[partner.region]}</dd>
            </div>
            <div>
              <dt>Partner since</dt>
              <dd>{dateFormat.format(new Date(partner.createdAt))}</dd>
            </div>
          </dl>
          <div className="actions">
            <Link to="/library" className="button">
              Browse the campaign library
            </Link>
            <Link to="/mdf" className="button button-secondary" data-testid="home-mdf">
              Market development funds
            </Link>
          </div>
        </section>
      )}
      <ComingNext items={PARTNER_UPCOMING} />
    </div>
  );
}

// ---- MDF auditor ---------------------------------------------------------------------

function AuditorHome() {
  return (
    <section className="card empty-state" aria-labelledby="claims-queue" data-testid="claims-empty">
      <svg className="empty-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
        <rect x="9" y="6" width="30" height="36" rx="4" fill="none" stroke="currentColor" strokeWidth="2.5" />
        <path d="M16 17h16M16 24h16M16 31h9" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
      <h2 id="claims-queue">No claims under review yet</h2>
      <p className="muted">
        When partners file MDF claims, each one lands here with its proof-of-performance pack: what was sent,
        to how many, what happened and what it cost.
      </p>
      <div className="actions">
        <Link to="/mdf" className="button" data-testid="home-mdf">
          Funds, requests and audit chains
        </Link>
        <Link to="/partners" className="button button-secondary">
          Browse partners
        </Link>
      </div>
    </section>
  );
}
