import type { ReactNode } from 'react';
import type { Role } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { ClaimStatusBadge } from '../components/mdf-claim-shared.tsx';
import {
  AdjustAction,
  AllocateForm,
  DecisionAction,
  RequestForm,
  WithdrawAction,
} from '../components/mdf-forms.tsx';
import {
  ChainBadge,
  type Fund,
  FundsTable,
  type MdfRequest,
  Money,
  RequestsTable,
  type Verification,
} from '../components/mdf-shared.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useMe } from '../me-context.tsx';
import { Link } from '../router.tsx';
import { latestData, type Resource, useResource } from '../use-resource.ts';

const DESCRIPTIONS: Record<Role, string> = {
  marketing: 'Allocate market development funds per partner and period, and decide pre-approval requests.',
  partner: 'Your funds and what is left of them, and pre-approval requests for your activities.',
  auditor: 'Every fund and request, read-only, with the integrity of each partner’s audit chain.',
};

/** Market development funds: one page, each role its part of it. */
export function MdfPage() {
  const me = useMe();
  const role = me.user.role;
  const client = useApi();
  const funds = useResource('mdf-funds', async (signal) => {
    const response = await client.api.mdf.funds.$get({ query: { limit: '100' } }, { init: { signal } });
    return response.json();
  });
  const requests = useResource('mdf-requests', async (signal) => {
    const response = await client.api.mdf.requests.$get({ query: { limit: '100' } }, { init: { signal } });
    return response.json();
  });
  const reloadAll = () => {
    funds.reload();
    requests.reload();
  };
  return (
    <section data-testid="mdf-page" data-role={role} aria-labelledby="page-title">
      <PageHeader title="Market development funds" description={DESCRIPTIONS[role]} />
      <MdfLinks role={role} />
      {role === 'marketing' && <MarketingMdf funds={funds} requests={requests} onChange={reloadAll} />}
      {role === 'partner' && <PartnerMdf funds={funds} requests={requests} onChange={reloadAll} />}
      {role === 'auditor' && <AuditorMdf funds={funds} requests={requests} />}
    </section>
  );
}

type Page<T> = { items: T[]; nextCursor: string | null };
type Loaded = { funds: Resource<Page<Fund>>; requests: Resource<Page<MdfRequest>> };

/** A resource's body: the error, a skeleton, an empty line or what `render` makes of the items. */
function body<T>(
  resource: Resource<Page<T>>,
  what: string,
  empty: string,
  render: (items: T[]) => ReactNode,
) {
  const data = latestData(resource);
  if (resource.status === 'error') return <ErrorView error={resource.error} onRetry={resource.reload} />;
  if (data === undefined) return <SkeletonLines lines={3} label={`Loading ${what}…`} />;
  if (data.items.length === 0) {
    return (
      <p className="muted card-body" data-testid={`mdf-${what}-empty`}>
        {empty}
      </p>
    );
  }
  return (
    <>
      {render(data.items)}
      {data.nextCursor !== null && <p className="muted small card-body">Showing the first 100.</p>}
    </>
  );
}

function Card({
  title,
  id,
  children,
  busy,
}: {
  title: string;
  id: string;
  children: ReactNode;
  busy?: boolean;
}) {
  return (
    <section className="card card-flush mdf-card" aria-labelledby={id} aria-busy={busy}>
      <h2 id={id} className="card-title-bar">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Partner names for the vendor's views. */
function usePartners(enabled: boolean) {
  const client = useApi();
  return useResource(`mdf-partners:${enabled}`, async (signal) => {
    if (!enabled) return [];
    const response = await client.api.partners.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });
}

function nameOf(partners: readonly { id: string; name: string }[] | undefined) {
  const names = new Map((partners ?? []).map((p) => [p.id, p.name]));
  return (id: string) => names.get(id) ?? id;
}

/** Claims and the ROPI dashboard are views of this page (the header navigation stays one line). */
function MdfLinks({ role }: { role: Role }) {
  const claims = { marketing: 'Claims', partner: 'Your claims', auditor: 'Claims queue' }[role];
  return (
    <nav className="mdf-links" aria-label="Market development funds">
      <Link to="/mdf/claims" data-testid="mdf-claims-link">
        {claims}
      </Link>
      {role !== 'partner' && (
        <Link to="/mdf/ropi" data-testid="mdf-ropi-link">
          ROPI dashboard
        </Link>
      )}
    </nav>
  );
}

// ---- marketing -----------------------------------------------------------------------------

function MarketingMdf({ funds, requests, onChange }: Loaded & { onChange: () => void }) {
  const partners = usePartners(true);
  const partnerName = nameOf(latestData(partners));
  return (
    <>
      <section className="card" aria-labelledby="mdf-allocate">
        <h2 id="mdf-allocate">Allocate a fund</h2>
        {partners.status === 'error' ? (
          <ErrorView error={partners.error} onRetry={partners.reload} />
        ) : partners.status === 'loading' ? (
          <SkeletonLines lines={2} label="Loading partners…" />
        ) : (
          <AllocateForm partners={partners.data} onDone={onChange} />
        )}
      </section>
      <Card title="Funds" id="mdf-funds" busy={funds.status === 'loading'}>
        {body(funds, 'funds', 'No funds allocated yet.', (items) => (
          <FundsTable
            funds={items}
            partnerName={partnerName}
            actions={(fund) => <AdjustAction key={fund.version} fund={fund} onDone={onChange} />}
          />
        ))}
      </Card>
      <Card title="Pre-approval requests" id="mdf-requests" busy={requests.status === 'loading'}>
        {body(requests, 'requests', 'No requests yet.', (items) => (
          <RequestsTable
            requests={items}
            partnerName={partnerName}
            actions={(request) =>
              request.status === 'submitted' ? (
                <DecisionAction key={request.version} request={request} onDone={onChange} />
              ) : null
            }
          />
        ))}
      </Card>
    </>
  );
}

// ---- partner -------------------------------------------------------------------------------

function PartnerMdf({ funds, requests, onChange }: Loaded & { onChange: () => void }) {
  const client = useApi();
  const me = useMe();
  const campaigns = useResource('mdf-campaigns', async (signal) => {
    const response = await client.api.campaigns.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });
  const ownName = () => me.partner?.name ?? 'Your company';
  const campaignNames = new Map((latestData(campaigns) ?? []).map((c) => [c.id, c.name]));
  const fundItems = latestData(funds)?.items ?? [];
  return (
    <>
      <Card title="Your funds" id="mdf-funds" busy={funds.status === 'loading'}>
        {body(
          funds,
          'funds',
          'No funds allocated to you yet. Your channel manager allocates them.',
          (items) => (
            <FundsTable funds={items} partnerName={ownName} />
          ),
        )}
      </Card>
      {fundItems.length > 0 && (
        <section className="card" aria-labelledby="mdf-request">
          <h2 id="mdf-request">Request pre-approval</h2>
          {campaigns.status === 'error' ? (
            <ErrorView error={campaigns.error} onRetry={campaigns.reload} />
          ) : campaigns.status === 'loading' ? (
            <SkeletonLines lines={2} label="Loading your campaigns…" />
          ) : (
            <RequestForm funds={fundItems} campaigns={campaigns.data} onDone={onChange} />
          )}
        </section>
      )}
      <Card title="Your requests" id="mdf-requests" busy={requests.status === 'loading'}>
        {body(requests, 'requests', 'No requests yet.', (items) => (
          <RequestsTable
            requests={items}
            campaignName={(id) => campaignNames.get(id) ?? id}
            actions={(request) =>
              request.status === 'submitted' ? <WithdrawAction request={request} onDone={onChange} /> : null
            }
          />
        ))}
      </Card>
      <ClaimableRequests requests={latestData(requests)?.items ?? []} />
    </>
  );
}

/** The partner's approved requests: file a claim for each, or open the one filed. */
function ClaimableRequests({ requests }: { requests: readonly MdfRequest[] }) {
  const client = useApi();
  const claims = useResource('mdf-own-claims', async (signal) => {
    const response = await client.api.mdf.claims.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });
  const approved = requests.filter((r) => r.status === 'approved');
  if (approved.length === 0) return null;
  const byRequest = new Map((latestData(claims) ?? []).map((c) => [c.requestId, c]));
  return (
    <Card title="Claims" id="mdf-claims">
      {claims.status === 'error' && <ErrorView error={claims.error} onRetry={claims.reload} />}
      <ul className="mdf-claimables card-body">
        {approved.map((request) => {
          const claim = byRequest.get(request.id);
          return (
            <li key={request.id} data-testid="mdf-claimable" data-request-id={request.id}>
              <strong>{request.plannedActivity.name}</strong>{' '}
              <span className="muted small">
                approved reimbursement{' '}
                <Money minor={request.committedMinor ?? 0} currency={request.currency} />
              </span>{' '}
              {claim ? (
                <>
                  <ClaimStatusBadge status={claim.status} />{' '}
                  <Link to={`/mdf/claims/${claim.id}`} data-testid="mdf-open-claim">
                    Open the claim
                  </Link>
                </>
              ) : claims.status === 'loading' ? null : (
                <Link
                  to={`/mdf/requests/${request.id}/claim`}
                  className="button button-small"
                  data-testid="mdf-file-claim"
                >
                  File a claim
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

// ---- auditor -------------------------------------------------------------------------------

function AuditorMdf({ funds, requests }: Loaded) {
  const partners = usePartners(true);
  const partnerName = nameOf(latestData(partners));
  const ids = [...new Set((latestData(funds)?.items ?? []).map((f) => f.partnerId))].sort();
  return (
    <>
      <Card title="Audit chain integrity" id="mdf-integrity">
        {ids.length === 0 ? (
          <p className="muted card-body">No partner has a fund yet, so there is no chain to verify.</p>
        ) : (
          <ul className="mdf-chains card-body">
            {ids.map((id) => (
              <ChainRow key={id} partnerId={id} name={partnerName(id)} />
            ))}
          </ul>
        )}
      </Card>
      <Card title="Funds" id="mdf-funds" busy={funds.status === 'loading'}>
        {body(funds, 'funds', 'No funds allocated yet.', (items) => (
          <FundsTable funds={items} partnerName={partnerName} />
        ))}
      </Card>
      <Card title="Pre-approval requests" id="mdf-requests" busy={requests.status === 'loading'}>
        {body(requests, 'requests', 'No requests yet.', (items) => (
          <RequestsTable requests={items} partnerName={partnerName} />
        ))}
      </Card>
    </>
  );
}

function ChainRow({ partnerId, name }: { partnerId: string; name: string }) {
  const client = useApi();
  const verification = useResource(`mdf-chain:${partnerId}`, async (signal): Promise<Verification> => {
    const response = await client.api.audit.verify.$get(
      { query: { chain: `partner:${partnerId}` } },
      { init: { signal } },
    );
    return response.json();
  });
  return (
    <li data-testid="mdf-chain" data-partner-id={partnerId}>
      <strong>{name}</strong>{' '}
      {verification.status === 'error' ? (
        <ErrorView error={verification.error} onRetry={verification.reload} />
      ) : verification.status === 'loading' ? (
        <span className="muted">Verifying…</span>
      ) : (
        <ChainBadge verification={verification.data} />
      )}
    </li>
  );
}
