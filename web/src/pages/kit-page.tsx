import { useState } from 'react';
import { ApiError } from '../api/problem.ts';
import {
  type KitAsset,
  type KitDetail,
  type KitManifest,
  type KitVersionDetail,
  OBJECTIVE_LABELS,
  REGION_LABELS,
  type Slot,
} from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { KitStatusBadge, TierBadge } from '../components/badges.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { KitCustomiser } from '../components/kit-customiser.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { ValidationReport } from '../components/validation-report.tsx';
import { VersionActions } from '../components/version-actions.tsx';
import {
  formatBytes,
  formatDate,
  formatDateTime,
  formatMoney,
  humanize,
  languageName,
  plural,
} from '../format.ts';
import { useMe } from '../me-context.tsx';
import { Link, navigate, useSearch } from '../router.tsx';
import type { PageProps } from '../routes.tsx';
import { latestData, useResource } from '../use-resource.ts';

/** One kit for vendor marketing: its versions, and the chosen version in full. Auditors read. */
export function KitPage({ params }: PageProps) {
  const client = useApi();
  const kitId = params.kitId ?? '';
  const canManage = useMe().user.role === 'marketing';
  const selected = new URLSearchParams(useSearch()).get('version');
  const [revision, setRevision] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const kit = useResource(`kit:${kitId}:${revision}`, async (signal) => {
    const response = await client.api.kits[':kitId'].$get({ param: { kitId } }, { init: { signal } });
    return response.json();
  });

  function onChanged(detail: KitVersionDetail, action: 'publish' | 'retire') {
    setMessage(action === 'publish' ? `Published ${detail.version}.` : `Retired ${detail.version}.`);
    setRevision((n) => n + 1);
  }

  const data = latestData(kit) ?? null;
  if (kit.status === 'loading' && data === null) {
    return (
      <>
        <BackLink />
        <SkeletonLines lines={6} label="Loading the kit…" />
      </>
    );
  }
  if (kit.status === 'error') {
    return (
      <>
        <BackLink />
        {kit.error instanceof ApiError && kit.error.status === 404 ? (
          <section className="card empty-state" data-testid="kit-not-found">
            <PageHeader title="No such kit" />
            <p className="muted">
              There is no kit <code>{kitId}</code>. It may never have been uploaded.
            </p>
          </section>
        ) : (
          <ErrorView error={kit.error} onRetry={kit.reload} />
        )}
      </>
    );
  }
  const version = selected ?? data?.versions[0]?.version ?? null;

  return (
    <>
      <BackLink />
      <PageHeader title={data?.kit.name ?? kitId} description={<code>{kitId}</code>} />
      <div role="status" className="status-region" data-testid="kit-message">
        {message && <p className="callout callout-success">{message}</p>}
      </div>
      {data !== null && (
        <Versions
          detail={data}
          selected={version}
          canManage={canManage}
          onChanged={onChanged}
          busy={kit.status === 'loading'}
        />
      )}
      {version !== null && (
        <VersionView
          key={`${kitId}@${version}`}
          kitId={kitId}
          version={version}
          revision={revision}
          canManage={canManage}
          publishedVersion={data?.kit.publishedVersion ?? null}
          onChanged={onChanged}
        />
      )}
    </>
  );
}

function BackLink() {
  return (
    <p className="back-link">
      <Link to="/kits">← All kits</Link>
    </p>
  );
}

type VersionsProps = {
  detail: KitDetail;
  selected: string | null;
  canManage: boolean;
  busy: boolean;
  onChanged: (detail: KitVersionDetail, action: 'publish' | 'retire') => void;
};

function Versions({ detail, selected, canManage, busy, onChanged }: VersionsProps) {
  const kitId = detail.kit.id;
  return (
    <section className="card card-flush" aria-labelledby="versions-title" aria-busy={busy}>
      <h2 id="versions-title" className="card-title-bar">
        Versions
      </h2>
      <div className="table-scroll">
        <table className="table" data-testid="versions-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Report</th>
              <th scope="col">Uploaded</th>
              <th scope="col">Published</th>
              {canManage && (
                <th scope="col" className="cell-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {detail.versions.map((version) => {
              const current = version.version === selected;
              return (
                <tr
                  key={version.version}
                  data-version={version.version}
                  className={current ? 'row-selected' : undefined}
                  aria-current={current ? 'true' : undefined}
                >
                  <th scope="row">
                    <Link
                      to={`/kits/${encodeURIComponent(kitId)}?version=${encodeURIComponent(version.version)}`}
                      className="version-tag version-link"
                      aria-label={`Version ${version.version}`}
                    >
                      {version.version}
                    </Link>
                  </th>
                  <td>
                    <KitStatusBadge status={version.status} />
                  </td>
                  <td data-testid="version-counts">
                    <span className={version.errors > 0 ? 'count count-error' : 'count'}>
                      {plural(version.errors, 'error')}
                    </span>
                    {', '}
                    <span className={version.warnings > 0 ? 'count count-warning' : 'count'}>
                      {plural(version.warnings, 'warning')}
                    </span>
                  </td>
                  <td>
                    {formatDate(version.uploadedAt)}
                    <span className="cell-sub">{version.uploadedBy}</span>
                  </td>
                  <td>
                    {version.retiredAt !== null ? (
                      <>
                        <span className="muted">Retired {formatDate(version.retiredAt)}</span>
                        {version.publishedAt !== null && (
                          <span className="cell-sub">Published {formatDate(version.publishedAt)}</span>
                        )}
                      </>
                    ) : version.publishedAt !== null ? (
                      formatDate(version.publishedAt)
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  {canManage && (
                    <td className="cell-actions">
                      <div className="row-actions">
                        <VersionActions
                          kitId={kitId}
                          version={version.version}
                          status={version.status}
                          errors={version.errors}
                          publishedVersion={detail.kit.publishedVersion}
                          onChanged={onChanged}
                          small
                        />
                      </div>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

type VersionViewProps = {
  kitId: string;
  version: string;
  revision: number;
  canManage: boolean;
  publishedVersion: string | null;
  onChanged: (detail: KitVersionDetail, action: 'publish' | 'retire') => void;
};

function VersionView({ kitId, version, revision, canManage, publishedVersion, onChanged }: VersionViewProps) {
  const client = useApi();
  const detail = useResource(`kit-version:${kitId}@${version}:${revision}`, async (signal) => {
    const response = await client.api.kits[':kitId'].versions[':version'].$get(
      { param: { kitId, version } },
      { init: { signal } },
    );
    return response.json();
  });

  const data = latestData(detail);
  if (data === undefined && detail.status !== 'error') {
    return (
      <section className="card version-view">
        <SkeletonLines lines={5} label={`Loading version ${version}…`} />
      </section>
    );
  }
  if (detail.status === 'error' || data === undefined) {
    const error = detail.status === 'error' ? detail.error : null;
    if (error instanceof ApiError && error.status === 404) {
      return (
        <section className="card version-view">
          <p>
            There is no version <code>{version}</code> of this kit.{' '}
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => navigate(`/kits/${encodeURIComponent(kitId)}`, { replace: true })}
            >
              Show the latest
            </button>
          </p>
        </section>
      );
    }
    return (
      <section className="card version-view">
        <ErrorView error={error} onRetry={detail.reload} />
      </section>
    );
  }

  return (
    <section
      className="version-view"
      aria-labelledby="version-title"
      data-testid="version-view"
      data-version={version}
    >
      <div className="section-header">
        <h2 id="version-title">
          Version <span className="version-tag">{data.version}</span> <KitStatusBadge status={data.status} />
        </h2>
        {canManage && (
          <div className="actions">
            <VersionActions
              kitId={kitId}
              version={data.version}
              status={data.status}
              errors={data.report.errors.length}
              publishedVersion={publishedVersion}
              onChanged={onChanged}
            />
          </div>
        )}
      </div>
      <div className="grid grid-2">
        <section className="card">
          <ValidationReport report={data.report} status={data.status} />
        </section>
        <ManifestSummary manifest={data.manifest} detail={data} />
      </div>
      <SlotsTable slots={data.manifest.slots} />
      <Assets assets={data.assets} />
      {canManage && data.report.ok ? (
        <KitCustomiser
          kitKey={`${kitId}@${data.version}`}
          slots={data.manifest.slots}
          sender="Sample partner"
          title="Try the slots"
          intro={
            <p className="muted small">
              Rendered with a sample partner brand, as partners will see it with their own.
            </p>
          }
          load={async (slots, signal) => {
            const response = await client.api.kits[':kitId'].versions[':version'].preview.$post(
              { param: { kitId, version: data.version }, json: { slots } },
              { init: { signal } },
            );
            return response.json();
          }}
        />
      ) : (
        <section className="card">
          <h2>Preview</h2>
          <p className="muted">
            {data.report.ok
              ? 'Previews are rendered for vendor marketing: ask them for one.'
              : 'A version with validation errors cannot be previewed. Fix the errors and upload it again.'}
          </p>
        </section>
      )}
    </section>
  );
}

function ManifestSummary({ manifest, detail }: { manifest: KitManifest; detail: KitVersionDetail }) {
  const budget = manifest.mdf.suggestedBudget;
  return (
    <section className="card" aria-labelledby="manifest-title" data-testid="manifest-summary">
      <h2 id="manifest-title">Manifest</h2>
      <p className="manifest-name">{manifest.name}</p>
      <p className="muted">{manifest.summary}</p>
      <dl className="facts facts-list">
        <div>
          <dt>Objective</dt>
          <dd>{OBJECTIVE_LABELS[manifest.objective]}</dd>
        </div>
        <div>
          <dt>Language</dt>
          <dd>
            {languageName(manifest.tags.language)} <code>{manifest.tags.language}</code>
          </dd>
        </div>
        <div>
          <dt>Tiers</dt>
          <dd className="badge-row">
            {manifest.eligibility.tiers.map((tier) => (
              <TierBadge key={tier} tier={tier} />
            ))}
          </dd>
        </div>
        <div>
          <dt>Regions</dt>
          <dd>
            {manifest.tags.regions.map((region) => (
              <abbr key={region} title={REGION_LABELS[region]} className="region">
                {region}
              </abbr>
            ))}
          </dd>
        </div>
        <div>
          <dt>MDF</dt>
          <dd data-testid="mdf-budget">
            {manifest.mdf.eligible
              ? budget
                ? `Eligible · ${formatMoney(budget)} suggested`
                : 'Eligible'
              : 'Not eligible'}
          </dd>
        </div>
        <div>
          <dt>Partner approval</dt>
          <dd>{manifest.approvalRequired ? 'Marketing approves each campaign' : 'Not required'}</dd>
        </div>
        {manifest.tags.products.length > 0 && (
          <div className="fact-wide">
            <dt>Products</dt>
            <dd className="tag-list">
              {manifest.tags.products.map((product) => (
                <span key={product} className="tag">
                  {humanize(product)}
                </span>
              ))}
            </dd>
          </div>
        )}
        {manifest.tags.verticals.length > 0 && (
          <div className="fact-wide">
            <dt>Verticals</dt>
            <dd className="tag-list">
              {manifest.tags.verticals.map((vertical) => (
                <span key={vertical} className="tag">
                  {humanize(vertical)}
                </span>
              ))}
            </dd>
          </div>
        )}
        <div>
          <dt>Landing form</dt>
          <dd>
            {plural(manifest.landing.form.fields.length, 'field')} · “{manifest.landing.form.submitLabel}”
          </dd>
        </div>
        <div>
          <dt>Uploaded</dt>
          <dd>{formatDateTime(detail.uploadedAt)}</dd>
        </div>
      </dl>
    </section>
  );
}

function slotLimits(slot: Slot): string {
  switch (slot.type) {
    case 'text':
    case 'multiline':
      return slot.minLength > 0
        ? `${slot.minLength}–${slot.maxLength} characters`
        : `≤ ${slot.maxLength} characters`;
    case 'select':
      return plural(slot.options.length, 'option');
    case 'date':
      if (slot.min && slot.max) return `${slot.min} to ${slot.max}`;
      if (slot.min) return `from ${slot.min}`;
      return slot.max ? `until ${slot.max}` : '';
    case 'url':
    case 'image':
      return 'https:// URL';
    case 'colour':
      return '#rrggbb';
  }
}

function SlotsTable({ slots }: { slots: readonly Slot[] }) {
  return (
    <section className="card card-flush" aria-labelledby="slots-title">
      <h2 id="slots-title" className="card-title-bar">
        Slots <span className="muted">· what partners may set</span>
      </h2>
      {slots.length === 0 ? (
        <p className="card-body muted">This kit has no slots: partners send it as it is.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="slots-table">
            <thead>
              <tr>
                <th scope="col">Slot</th>
                <th scope="col">Type</th>
                <th scope="col">Limits</th>
                <th scope="col">Rules</th>
                <th scope="col">Default</th>
              </tr>
            </thead>
            <tbody>
              {slots.map((slot) => (
                <tr key={slot.key}>
                  <th scope="row">
                    {slot.label}
                    <span className="cell-sub">
                      <code>{slot.key}</code>
                    </span>
                  </th>
                  <td>{slot.type}</td>
                  <td>{slotLimits(slot)}</td>
                  <td>
                    {slot.locked ? (
                      <span className="badge badge-locked">Locked</span>
                    ) : slot.required ? (
                      'Required'
                    ) : (
                      <span className="muted">Optional</span>
                    )}
                  </td>
                  <td className="cell-wrap cell-default">
                    {slot.default === undefined || slot.default === '' ? (
                      <span className="muted">—</span>
                    ) : slot.type === 'colour' ? (
                      <span className="colour-chip">
                        <span className="swatch" style={{ background: slot.default }} aria-hidden="true" />
                        <code>{slot.default}</code>
                      </span>
                    ) : (
                      <span title={slot.default}>{slot.default}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Assets({ assets }: { assets: readonly KitAsset[] }) {
  return (
    <section className="card" aria-labelledby="assets-title">
      <h2 id="assets-title">Assets</h2>
      {assets.length === 0 ? (
        <p className="muted">No images are stored with this version.</p>
      ) : (
        <ul className="asset-grid" data-testid="assets">
          {assets.map((asset) => (
            <li key={asset.name} className="asset">
              <a href={asset.url} target="_blank" rel="noreferrer" className="asset-thumb">
                {asset.contentType.startsWith('image/') ? (
                  <img src={asset.url} alt={`${asset.name} (opens in a new tab)`} loading="lazy" />
                ) : (
                  <span>{asset.name}</span>
                )}
              </a>
              <span className="asset-name">
                <code>{asset.name}</code>
              </span>
              <span className="muted small">
                {asset.contentType} · {formatBytes(asset.bytes)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
