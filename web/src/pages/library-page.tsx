import { useEffect, useId, useState } from 'react';
import {
  type LibraryFacets,
  type LibraryKit,
  OBJECTIVE_LABELS,
  type Objective,
  REGION_LABELS,
} from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ApprovalBadge, MdfBadge } from '../components/badges.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { humanize, languageName, plural } from '../format.ts';
import { useMe } from '../me-context.tsx';
import { Link, navigate, useSearch } from '../router.tsx';
import { latestData, useResource } from '../use-resource.ts';

type Filter = 'language' | 'product' | 'vertical' | 'objective';
type LibraryQuery = {
  q?: string;
  language?: string;
  product?: string;
  vertical?: string;
  objective?: Objective;
};

const FILTERS: readonly { key: Filter; label: string; any: string; facet: keyof LibraryFacets }[] = [
  { key: 'language', label: 'Language', any: 'Any language', facet: 'languages' },
  { key: 'product', label: 'Product', any: 'Any product', facet: 'products' },
  { key: 'vertical', label: 'Vertical', any: 'Any vertical', facet: 'verticals' },
  { key: 'objective', label: 'Objective', any: 'Any objective', facet: 'objectives' },
];

const SEARCH_DELAY_MS = 300;

function isObjective(value: string): value is Objective {
  return Object.hasOwn(OBJECTIVE_LABELS, value);
}

function optionLabel(filter: Filter, value: string): string {
  if (filter === 'language') return languageName(value);
  if (filter === 'objective') return isObjective(value) ? OBJECTIVE_LABELS[value] : humanize(value);
  return humanize(value);
}

/** The query the URL names; what the API would refuse (an unknown objective) is left out. */
function queryOf(params: URLSearchParams): LibraryQuery {
  const query: LibraryQuery = {};
  const q = params.get('q')?.trim();
  if (q) query.q = q.slice(0, 100);
  for (const key of ['language', 'product', 'vertical'] as const) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  const objective = params.get('objective');
  if (objective && isObjective(objective)) query.objective = objective;
  return query;
}

function withParam(search: string, key: string, value: string): string {
  const params = new URLSearchParams(search);
  if (value === '') params.delete(key);
  else params.set(key, value);
  const next = params.toString();
  return next === '' ? '/library' : `/library?${next}`;
}

/** The search box's text, written to the URL after a pause in typing; Back and Forward move it. */
function useSearchText(urlText: string): [string, (text: string) => void] {
  const [text, setText] = useState(urlText);
  useEffect(() => setText(urlText), [urlText]);
  useEffect(() => {
    if (text === urlText) return;
    const timer = window.setTimeout(
      () => navigate(withParam(window.location.search, 'q', text), { replace: true }),
      SEARCH_DELAY_MS,
    );
    return () => window.clearTimeout(timer);
  }, [text, urlText]);
  return [text, setText];
}

/** A partner's library: the kits its tier and region may use, searchable and filtered by tags. */
export function LibraryPage() {
  const client = useApi();
  const me = useMe();
  const search = useSearch();
  const params = new URLSearchParams(search);
  const query = queryOf(params);
  const [text, setText] = useSearchText(params.get('q') ?? '');

  const library = useResource(`library:${JSON.stringify(query)}`, async (signal) => {
    const response = await client.api.library.$get({ query }, { init: { signal } });
    return response.json();
  });
  const data = latestData(library);
  const filtered = Object.keys(query).length > 0;
  const partner = me.partner;

  return (
    <>
      <PageHeader
        title="Library"
        description={
          partner
            ? `Campaign kits for ${partner.tier} partners in ${REGION_LABELS[partner.region]}: pick one, make it yours, preview it with your brand.`
            : 'Campaign kits you can co-brand.'
        }
      />
      <LibraryFilters search={search} facets={data?.facets} text={text} onText={setText} />
      <div className="library-summary">
        <p aria-live="polite" data-testid="library-count">
          {data === undefined
            ? 'Loading kits…'
            : `${plural(data.items.length, 'kit')}${filtered ? ' match' : ''}`}
        </p>
        {filtered && (
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => {
              setText('');
              navigate('/library');
            }}
          >
            Clear search and filters
          </button>
        )}
      </div>
      {library.status === 'error' && <ErrorView error={library.error} onRetry={library.reload} />}
      {data === undefined ? (
        library.status === 'loading' && <CardSkeletons />
      ) : (
        <LibraryResults items={data.items} filtered={filtered} refreshing={library.status === 'loading'} />
      )}
    </>
  );
}

type LibraryFiltersProps = {
  search: string;
  facets: LibraryFacets | undefined;
  text: string;
  onText: (text: string) => void;
};

function LibraryFilters({ search, facets, text, onText }: LibraryFiltersProps) {
  const id = useId();
  const params = new URLSearchParams(search);
  return (
    <search className="card library-filters" aria-label="Search and filter kits">
      <div className="field library-search">
        <label htmlFor={`${id}-q`}>Search</label>
        <input
          id={`${id}-q`}
          type="search"
          placeholder="Search by name or summary"
          value={text}
          maxLength={100}
          onChange={(event) => onText(event.target.value)}
        />
      </div>
      {FILTERS.map((filter) => {
        const current = params.get(filter.key) ?? '';
        const values = facets?.[filter.facet] ?? [];
        const options = current !== '' && !values.includes(current) ? [current, ...values] : values;
        return (
          <div className="field" key={filter.key}>
            <label htmlFor={`${id}-${filter.key}`}>{filter.label}</label>
            <select
              id={`${id}-${filter.key}`}
              value={current}
              onChange={(event) => navigate(withParam(search, filter.key, event.target.value))}
            >
              <option value="">{filter.any}</option>
              {options.map((value) => (
                <option key={value} value={value}>
                  {optionLabel(filter.key, value)}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </search>
  );
}

function LibraryResults({
  items,
  filtered,
  refreshing,
}: {
  items: readonly LibraryKit[];
  filtered: boolean;
  refreshing: boolean;
}) {
  const id = useId();
  if (items.length === 0) {
    return (
      <section className="card empty-state" data-testid="library-empty" aria-labelledby={`${id}-empty`}>
        <svg className="empty-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
          <circle cx="21" cy="21" r="11" fill="none" stroke="currentColor" strokeWidth="2.5" />
          <path d="m29 29 9 9" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
        </svg>
        <h2 id={`${id}-empty`}>{filtered ? 'No kits match' : 'No kits for you yet'}</h2>
        <p className="muted">
          {filtered
            ? 'Try other words, or fewer filters.'
            : 'When vendor marketing publishes a kit for your tier and region, it appears here.'}
        </p>
      </section>
    );
  }
  return (
    <ul
      className={`kit-grid${refreshing ? ' is-refreshing' : ''}`}
      aria-busy={refreshing}
      aria-label="Kits"
      data-testid="library-grid"
    >
      {items.map((kit) => (
        <li key={kit.id}>
          <KitCard kit={kit} />
        </li>
      ))}
    </ul>
  );
}

const MAX_TAGS = 4;

function KitCard({ kit }: { kit: LibraryKit }) {
  const tags = [...kit.products, ...kit.verticals];
  return (
    <article className="kit-card" data-testid="library-card" data-kit-id={kit.id}>
      <div className="kit-card-hero">
        {kit.heroUrl ? (
          <img src={kit.heroUrl} alt="" loading="lazy" />
        ) : (
          <span className="kit-card-placeholder" />
        )}
      </div>
      <div className="kit-card-body">
        <p className="eyebrow">{OBJECTIVE_LABELS[kit.objective]}</p>
        <h2 className="kit-card-title">
          <Link to={`/library/${encodeURIComponent(kit.id)}`} className="stretched-link">
            {kit.name}
          </Link>
        </h2>
        <p className="kit-card-summary">{kit.summary}</p>
        <ul className="tag-list" aria-label="Tags">
          <li className="tag tag-language">{languageName(kit.language)}</li>
          {tags.slice(0, MAX_TAGS).map((tag) => (
            <li key={tag} className="tag">
              {humanize(tag)}
            </li>
          ))}
          {tags.length > MAX_TAGS && <li className="tag tag-more">+{tags.length - MAX_TAGS} more</li>}
        </ul>
        <div className="badge-row kit-card-badges">
          {kit.mdfEligible && <MdfBadge budget={kit.suggestedBudget} />}
          {kit.approvalRequired && <ApprovalBadge />}
        </div>
      </div>
    </article>
  );
}

function CardSkeletons() {
  return (
    <ul className="kit-grid" aria-busy="true" data-testid="loading">
      {['a', 'b', 'c'].map((key) => (
        <li key={key}>
          <div className="kit-card kit-card-skeleton">
            <div className="kit-card-hero skeleton" />
            <div className="kit-card-body">
              <span className="skeleton" style={{ width: '40%' }} />
              <span className="skeleton" style={{ width: '85%' }} />
              <span className="skeleton" style={{ width: '70%' }} />
            </div>
          </div>
        </li>
      ))}
      <li className="visually-hidden">Loading kits…</li>
    </ul>
  );
}
