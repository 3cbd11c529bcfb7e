// What the contacts pages share: their types, the section links, cursor paging and the export.
import type { InferResponseType } from 'hono/client';
import { useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import { ApiError, readProblem } from '../api/problem.ts';
import { useAuth } from '../auth/auth-context.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { Link, usePathname } from '../router.tsx';

type ContactsApi = ApiClient['api']['contacts'];
type ListsApi = ApiClient['api']['lists'];
type SuppressionsApi = ApiClient['api']['suppressions'];

export type ContactSummary = InferResponseType<ContactsApi['$get'], 200>['items'][number];
export type ContactDetail = InferResponseType<ContactsApi[':contactId']['$get'], 200>;
export type Consent = ContactDetail['consent'];
export type ListMember = InferResponseType<ListsApi[':listId']['members']['$get'], 200>['items'][number];
export type AddMembersResult = InferResponseType<ListsApi[':listId']['members']['$post'], 200>;
export type Suppression = InferResponseType<SuppressionsApi['$get'], 200>['items'][number];
export type SuppressionReason = Suppression['reason'];
export type SuppressionStatus = InferResponseType<SuppressionsApi[':email']['$get'], 200>;

/** The contacts API pages with `limit` (1–100) and the `nextCursor` of the page before. */
export const PAGE_SIZE = 25;

/** Why an address is suppressed, and whether (and why not) the partner can lift it. */
export const SUPPRESSION_REASONS: Record<SuppressionReason, { label: string; why: string }> = {
  manual: { label: 'Added by you', why: 'You can remove it.' },
  unsubscribe: {
    label: 'Unsubscribed',
    why: 'The person unsubscribed; only they can opt in again.',
  },
  erasure: {
    label: 'Erased (GDPR)',
    why: 'The contact was erased at their request; the address stays blocked to honour it.',
  },
  'hard-bounce': {
    label: 'Hard bounce',
    why: 'The mailbox does not exist. ChannelKit blocks it for every partner; it cannot be removed here.',
  },
  complaint: {
    label: 'Spam complaint',
    why: 'The person marked an email as spam. ChannelKit blocks it for every partner; it cannot be removed here.',
  },
};

/** "Ada Lovelace", or null when the contact has no name. */
export function personName(person: { firstName: string | null; lastName: string | null }): string | null {
  const name = [person.firstName, person.lastName].filter((part) => part !== null && part !== '').join(' ');
  return name === '' ? null : name;
}

const SECTIONS = [
  {
    to: '/contacts',
    label: 'Contacts and lists',
    matches: (path: string) => path !== '/contacts/suppressions',
  },
  {
    to: '/contacts/suppressions',
    label: 'Suppressions',
    matches: (path: string) => path === '/contacts/suppressions',
  },
] as const;

/**
 * Contacts and their suppressions are one section of the portal with two views: links here,
 * not an entry each in the main navigation (which has to stay on one line).
 */
export function ContactsSections() {
  const pathname = usePathname();
  return (
    <nav aria-label="Contacts sections" className="subnav">
      <ul>
        {SECTIONS.map((section) => (
          <li key={section.to}>
            <Link to={section.to} aria-current={section.matches(pathname) ? 'page' : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Pages through a cursor-paged listing: the last cursor is the page shown, popping it goes back. */
export function useCursors(): {
  cursor: string | undefined;
  pageNumber: number;
  next: (cursor: string) => void;
  previous: () => void;
  reset: () => void;
} {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors.at(-1),
    pageNumber: cursors.length,
    next: (cursor) => setCursors((current) => [...current, cursor]),
    previous: () => setCursors((current) => (current.length > 1 ? current.slice(0, -1) : current)),
    reset: () => setCursors([undefined]),
  };
}

type PagerProps = {
  pageNumber: number;
  nextCursor: string | null | undefined;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
  label: string;
};

export function Pager({ pageNumber, nextCursor, onPrevious, onNext, label }: PagerProps) {
  if (pageNumber === 1 && (nextCursor === null || nextCursor === undefined)) return null;
  return (
    <nav className="pagination" aria-label={label}>
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
          disabled={nextCursor === null || nextCursor === undefined}
          onClick={() => {
            if (nextCursor) onNext(nextCursor);
          }}
        >
          Next
        </button>
      </div>
    </nav>
  );
}

/** The export needs the bearer token, so it is fetched and handed to the browser as a file. */
export function ExportButton({ listId, label, small }: { listId?: string; label: string; small?: boolean }) {
  const { session } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      // The typed client has no shape for a text/csv answer: an authed fetch of the same path.
      const query = listId ? `?${new URLSearchParams({ listId })}` : '';
      const response = await fetch(`/api/contacts/export${query}`, {
        headers: { authorization: `Bearer ${session?.token ?? ''}` },
      });
      if (!response.ok) throw new ApiError(await readProblem(response));
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = listId ? `contacts-${listId}.csv` : 'contacts.csv';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button
        type="button"
        className={`button button-secondary${small ? ' button-small' : ''}`}
        onClick={() => void download()}
        disabled={busy}
        data-testid="export-contacts"
      >
        {busy ? 'Exporting…' : small ? 'Export CSV' : label}
        {small && <span className="visually-hidden"> {label}</span>}
      </button>
      {error !== null && <ErrorView error={error} />}
    </>
  );
}
