import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import type { ContactList } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDate, plural } from '../format.ts';
import { Link } from '../router.tsx';
import type { PageProps } from '../routes.tsx';
import { latestData, useResource } from '../use-resource.ts';
import {
  type AddMembersResult,
  type ContactSummary,
  ExportButton,
  type ListMember,
  PAGE_SIZE,
  Pager,
  personName,
  useCursors,
} from './contacts-shared.tsx';

const SEARCH_DELAY_MS = 300;
const PICK_LIMIT = 10;

/** One contact list: its members page by page, taking people off it, and adding contacts to it. */
export function ListPage({ params }: PageProps) {
  const client = useApi();
  const listId = params.listId ?? '';
  // Every change to the membership bumps the revision: the list (its count) and members reload.
  const [revision, setRevision] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const list = useResource(`list:${listId}:${revision}`, async (signal) => {
    const response = await client.api.lists[':listId'].$get({ param: { listId } }, { init: { signal } });
    return response.json();
  });
  const data = latestData(list);

  function changed(notice: string) {
    setMessage(notice);
    setRevision((n) => n + 1);
  }

  let body: ReactNode;
  if (data !== undefined) {
    body = (
      <>
        <PageHeader
          title={data.name}
          description={
            <span data-testid="list-summary">
              {plural(data.memberCount, 'member')} · created {formatDate(data.createdAt)}
            </span>
          }
          actions={<ExportButton listId={data.id} label={`Export ${data.name}`} />}
        />
        <div role="status" className="status-region">
          {message && (
            <p className="callout callout-success" data-testid="list-message">
              {message}
            </p>
          )}
        </div>
        <div className="grid grid-2">
          <Members list={data} revision={revision} onChanged={changed} />
          <AddMembers list={data} onAdded={changed} />
        </div>
      </>
    );
  } else if (list.status === 'error' && list.error instanceof ApiError && list.error.status === 404) {
    body = (
      <section className="card empty-state" data-testid="list-missing">
        <PageHeader title="No such list" />
        <p className="muted">It may have been another partner’s, or the link is wrong.</p>
      </section>
    );
  } else if (list.status === 'error') body = <ErrorView error={list.error} onRetry={list.reload} />;
  else body = <SkeletonLines lines={5} label="Loading the list…" />;

  return (
    <>
      <p className="back-link">
        <Link to="/contacts">← Contacts</Link>
      </p>
      {body}
    </>
  );
}

type MembersProps = { list: ContactList; revision: number; onChanged: (notice: string) => void };

function Members({ list, revision, onChanged }: MembersProps) {
  const client = useApi();
  const pages = useCursors();
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const members = useResource(`members:${list.id}:${pages.cursor ?? ''}:${revision}`, async (signal) => {
    const response = await client.api.lists[':listId'].members.$get(
      { param: { listId: list.id }, query: { limit: String(PAGE_SIZE), cursor: pages.cursor } },
      { init: { signal } },
    );
    return response.json();
  });
  const data = latestData(members);

  async function remove(member: ListMember) {
    setRemoving(member.contactId);
    setError(null);
    try {
      await client.api.lists[':listId'].members[':contactId'].$delete({
        param: { listId: list.id, contactId: member.contactId },
      });
      onChanged(`Removed ${member.email} from ${list.name}. The contact itself is kept.`);
    } catch (failure) {
      setError(failure);
    } finally {
      setRemoving(null);
    }
  }

  let body: ReactNode;
  if (members.status === 'error') body = <ErrorView error={members.error} onRetry={members.reload} />;
  else if (data === undefined) body = <SkeletonLines lines={4} label="Loading the members…" />;
  else if (data.items.length === 0) {
    body = (
      <p className="muted" data-testid="members-empty">
        {pages.pageNumber === 1
          ? 'Nobody is on this list yet. Add contacts, or import a CSV into it from Contacts.'
          : 'No more members on this page.'}
      </p>
    );
  } else {
    body = (
      <div className="table-scroll">
        <table className="table table-compact" data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((member) => (
              <tr key={member.contactId} data-testid="member-row" data-contact-id={member.contactId}>
                <th scope="row">
                  <Link to={`/contacts/${member.contactId}`}>{member.email}</Link>
                </th>
                <td>
                  {personName(member) ?? <span className="muted">—</span>}
                  {member.company && <span className="muted small"> · {member.company}</span>}
                </td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    disabled={removing !== null}
                    onClick={() => void remove(member)}
                  >
                    {removing === member.contactId ? 'Removing…' : 'Remove'}
                    <span className="visually-hidden"> {member.email}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section className="card" aria-labelledby="members-title" aria-busy={members.status === 'loading'}>
      <h2 id="members-title">Members</h2>
      {error !== null && <ErrorView error={error} />}
      {body}
      <Pager
        label="Member pages"
        pageNumber={pages.pageNumber}
        nextCursor={data?.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </section>
  );
}

function addedNotice(result: AddMembersResult, listName: string): string {
  const parts = [`Added ${plural(result.added, 'contact')} to ${listName}.`];
  if (result.alreadyMembers > 0) parts.push(`${plural(result.alreadyMembers, 'was', 'were')} already on it.`);
  if (result.notFound.length > 0) parts.push(`${plural(result.notFound.length, 'contact')} no longer exist.`);
  return parts.join(' ');
}

/** Finds the partner's contacts by email prefix; the ones ticked join the list in one request. */
function AddMembers({ list, onAdded }: { list: ContactList; onAdded: (notice: string) => void }) {
  const client = useApi();
  const id = useId();
  const [text, setText] = useState('');
  const [prefix, setPrefix] = useState('');
  const [picked, setPicked] = useState<ReadonlyMap<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const timer = window.setTimeout(() => setPrefix(text.trim()), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  const found = useResource(`pick:${prefix}`, async (signal) => {
    if (prefix === '') return [];
    const response = await client.api.contacts.$get(
      { query: { prefix, limit: String(PICK_LIMIT) } },
      { init: { signal } },
    );
    return (await response.json()).items;
  });
  const candidates = latestData(found) ?? [];

  function toggle(contact: ContactSummary, on: boolean) {
    setPicked((current) => {
      const next = new Map(current);
      if (on) next.set(contact.id, contact.email);
      else next.delete(contact.id);
      return next;
    });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (picked.size === 0) return;
    setBusy(true);
    setError(null);
    try {
      const response = await client.api.lists[':listId'].members.$post({
        param: { listId: list.id },
        json: { contactIds: [...picked.keys()] },
      });
      onAdded(addedNotice(await response.json(), list.name));
      setPicked(new Map());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="add-members">
      <h2 id={`${id}-title`}>Add contacts</h2>
      <form className="form" onSubmit={onSubmit} aria-busy={busy}>
        <div className="field">
          <label htmlFor={`${id}-q`}>Find contacts by email</label>
          <input
            id={`${id}-q`}
            type="search"
            autoComplete="off"
            spellCheck={false}
            maxLength={254}
            placeholder="Start of an email address"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        {found.status === 'error' && <ErrorView error={found.error} onRetry={found.reload} />}
        {prefix !== '' && found.status === 'success' && candidates.length === 0 && (
          <p className="muted small">No contact’s email starts with “{prefix}”.</p>
        )}
        {candidates.length > 0 && (
          <fieldset className="pick-list">
            <legend className="visually-hidden">Contacts to add</legend>
            {candidates.map((contact) => (
              <label
                key={contact.id}
                className="pick"
                data-testid="pick-contact"
                data-contact-id={contact.id}
              >
                <input
                  type="checkbox"
                  checked={picked.has(contact.id)}
                  onChange={(event) => toggle(contact, event.target.checked)}
                />
                <span>{contact.email}</span>
                {personName(contact) && <span className="muted small">{personName(contact)}</span>}
              </label>
            ))}
          </fieldset>
        )}
        {error !== null && <ErrorView error={error} />}
        <div className="actions">
          <button type="submit" className="button" disabled={busy || picked.size === 0}>
            {busy
              ? 'Adding…'
              : picked.size === 0
                ? 'Add to list'
                : `Add ${plural(picked.size, 'contact')} to list`}
          </button>
        </div>
      </form>
    </section>
  );
}
