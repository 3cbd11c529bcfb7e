import { useState } from 'react';
import { type Partner, type PartnerPage, REGION_LABELS } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { TierBadge } from '../components/badges.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useMe } from '../me-context.tsx';
import { type Resource, useResource } from '../use-resource.ts';
import { PartnerForm, type Values } from './partner-form.tsx';

const PAGE_SIZE = '20';
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

type Editor =
  | { mode: 'closed' }
  | { mode: 'create' }
  | { mode: 'edit'; partner: Partner; draft?: Partial<Values> };

export function PartnersPage() {
  const client = useApi();
  const canManage = useMe().user.role === 'marketing';
  // One cursor per page visited: the last is the page shown, popping it goes back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [editor, setEditor] = useState<Editor>({ mode: 'closed' });
  const [message, setMessage] = useState<string | null>(null);
  const cursor = cursors.at(-1) ?? null;

  const page = useResource(`partners:${cursor ?? ''}`, async (signal) => {
    const query = cursor === null ? { limit: PAGE_SIZE } : { limit: PAGE_SIZE, cursor };
    const response = await client.api.partners.$get({ query }, { init: { signal } });
    return response.json();
  });

  function openEditor(next: Editor) {
    setMessage(null);
    setEditor(next);
  }

  function onSaved(partner: Partner, created: boolean) {
    setEditor({ mode: 'closed' });
    setMessage(created ? `Partner “${partner.name}” created.` : `Partner “${partner.name}” updated.`);
    if (created) setCursors([null]);
    page.reload();
  }

  return (
    <>
      <PageHeader
        title="Partners"
        description={
          canManage
            ? 'Resellers, integrators and agencies in your program, with their tier and region.'
            : 'Partners in the program, with their tier and region.'
        }
        actions={
          canManage &&
          editor.mode === 'closed' && (
            <button type="button" className="button" onClick={() => openEditor({ mode: 'create' })}>
              Add partner
            </button>
          )
        }
      />

      <div role="status" className="status-region">
        {message && <p className="callout callout-success">{message}</p>}
      </div>

      {editor.mode === 'create' && (
        <PartnerForm
          onSaved={(partner) => onSaved(partner, true)}
          onCancel={() => setEditor({ mode: 'closed' })}
        />
      )}
      {editor.mode === 'edit' && (
        <PartnerForm
          key={`${editor.partner.id}@${editor.partner.version}`}
          partner={editor.partner}
          draft={editor.draft}
          onSaved={(partner) => onSaved(partner, false)}
          onCancel={() => setEditor({ mode: 'closed' })}
          onReloaded={(latest, draft) => {
            setEditor({ mode: 'edit', partner: latest, draft });
            page.reload();
          }}
        />
      )}

      <section
        className="card card-flush"
        aria-labelledby="partners-table-title"
        aria-busy={page.status === 'loading'}
      >
        <h2 id="partners-table-title" className="visually-hidden">
          Partner list
        </h2>
        <PartnerList
          page={page}
          pageNumber={cursors.length}
          onEdit={canManage ? (partner) => openEditor({ mode: 'edit', partner }) : undefined}
        />
        <Pagination
          page={page}
          pageNumber={cursors.length}
          onPrevious={() => setCursors(cursors.slice(0, -1))}
          onNext={(next) => setCursors([...cursors, next])}
        />
      </section>
    </>
  );
}

type PartnerListProps = {
  page: Resource<PartnerPage>;
  pageNumber: number;
  /** Offered only to those who may change partners. */
  onEdit: ((partner: Partner) => void) | undefined;
};

function PartnerList({ page, pageNumber, onEdit }: PartnerListProps) {
  if (page.status === 'loading') {
    return (
      <div className="card-body">
        <SkeletonLines lines={5} label="Loading partners…" />
      </div>
    );
  }
  if (page.status === 'error') {
    return (
      <div className="card-body">
        <ErrorView error={page.error} onRetry={page.reload} />
      </div>
    );
  }
  if (page.data.items.length === 0) {
    return (
      <div className="card-body empty-inline">
        <p>{pageNumber === 1 ? 'No partners yet.' : 'No more partners.'}</p>
      </div>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" data-testid="partners-table">
        <caption className="visually-hidden">Partners, page {pageNumber}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Tier</th>
            <th scope="col">Region</th>
            <th scope="col">Updated</th>
            {onEdit && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {page.data.items.map((partner) => (
            <tr key={partner.id}>
              <th scope="row">{partner.name}</th>
              <td>
                <TierBadge tier={partner.tier} />
              </td>
              <td>
                <abbr title={REGION_LABELS[partner.region]}>{partner.region}</abbr>
              </td>
              <td>
                <time dateTime={partner.updatedAt}>{dateFormat.format(new Date(partner.updatedAt))}</time>
              </td>
              {onEdit && (
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    aria-label={`Edit ${partner.name}`}
                    onClick={() => onEdit(partner)}
                  >
                    Edit
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type PaginationProps = {
  page: Resource<PartnerPage>;
  pageNumber: number;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
};

function Pagination({ page, pageNumber, onPrevious, onNext }: PaginationProps) {
  if (page.status !== 'success' && pageNumber === 1) return null;
  const nextCursor = page.status === 'success' ? page.data.nextCursor : null;
  return (
    <nav className="pagination" aria-label="Pagination">
      <span className="muted" aria-live="polite">
        Page {pageNumber}
      </span>
      <div className="actions">
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={pageNumber === 1}
          onClick={onPrevious}
        >
          Previous
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={nextCursor === null}
          onClick={() => {
            if (nextCursor !== null) onNext(nextCursor);
          }}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
