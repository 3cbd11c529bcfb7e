import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import type { ContactList } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView, ProblemView } from '../components/error-view.tsx';
import { Field } from '../components/field.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDate, plural } from '../format.ts';
import { Link, navigate, useSearch } from '../router.tsx';
import { latestData, useResource } from '../use-resource.ts';
import { ImportForm } from './contacts-import.tsx';
import {
  type ContactSummary,
  ContactsSections,
  ExportButton,
  PAGE_SIZE,
  Pager,
  personName,
  useCursors,
} from './contacts-shared.tsx';

const SEARCH_DELAY_MS = 300;

/** Contacts found by email prefix, contact lists, CSV imports into them with their consent, and exports. */
export function ContactsPage() {
  const client = useApi();
  const lists = useResource('lists', async (signal) => {
    const response = await client.api.lists.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });
  const items = latestData(lists) ?? [];
  const query = new URLSearchParams(useSearch()).get('q') ?? '';

  return (
    <>
      <PageHeader
        title="Contacts"
        description="Your contact lists: import people who gave consent, then send campaigns to a list."
        actions={<ExportButton label="Export all contacts" />}
      />
      <ContactsSections />
      <ContactSearch query={query} />
      <div className="grid grid-2">
        <section className="card" aria-labelledby="lists-title">
          <h2 id="lists-title">Lists</h2>
          {lists.status === 'error' ? (
            <ErrorView error={lists.error} onRetry={lists.reload} />
          ) : lists.status === 'loading' && items.length === 0 ? (
            <SkeletonLines lines={3} label="Loading your lists…" />
          ) : (
            <ListsTable lists={items} />
          )}
          <CreateListForm onCreated={lists.reload} />
        </section>
        <ImportForm lists={items} onFinished={lists.reload} />
      </div>
    </>
  );
}

/** The search box's text, written to the URL (`?q=`) after a pause in typing; Back and Forward move it. */
function useQueryText(urlText: string): [string, (text: string) => void] {
  const [text, setText] = useState(urlText);
  useEffect(() => setText(urlText), [urlText]);
  useEffect(() => {
    if (text === urlText) return;
    const timer = window.setTimeout(() => {
      const trimmed = text.trim();
      navigate(trimmed === '' ? '/contacts' : `/contacts?${new URLSearchParams({ q: trimmed })}`, {
        replace: true,
      });
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text, urlText]);
  return [text, setText];
}

function ContactSearch({ query }: { query: string }) {
  const id = useId();
  const [text, setText] = useQueryText(query);
  return (
    <section className="card contact-search" aria-labelledby={`${id}-title`} data-testid="contact-search">
      <h2 id={`${id}-title`}>People</h2>
      <div className="field">
        <label htmlFor={`${id}-q`}>Search by email</label>
        <input
          id={`${id}-q`}
          type="search"
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          maxLength={254}
          placeholder="ada@ or ada@contoso.example"
          aria-describedby={`${id}-hint`}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <p className="muted small" id={`${id}-hint`}>
          Matches the start of the address, whatever the case. Open a contact for its consent, lists and
          suppression.
        </p>
      </div>
      {/* A new search starts again at its first page. */}
      <ContactResults key={query} query={query} />
    </section>
  );
}

function ContactResults({ query }: { query: string }) {
  const client = useApi();
  const pages = useCursors();
  const results = useResource(`contacts:${query}:${pages.cursor ?? ''}`, async (signal) => {
    const response = await client.api.contacts.$get(
      { query: { limit: String(PAGE_SIZE), prefix: query || undefined, cursor: pages.cursor } },
      { init: { signal } },
    );
    return response.json();
  });
  const data = latestData(results);

  if (results.status === 'error') return <ErrorView error={results.error} onRetry={results.reload} />;
  if (data === undefined) return <SkeletonLines lines={3} label="Searching your contacts…" />;
  if (data.items.length === 0) {
    return (
      <p className="muted" data-testid="contacts-empty" aria-live="polite">
        {query === ''
          ? 'No contacts yet. Import a CSV into a list below.'
          : `No contact’s email starts with “${query}”.`}
      </p>
    );
  }
  return (
    <div aria-busy={results.status === 'loading'}>
      <p className="visually-hidden" aria-live="polite">
        {plural(data.items.length, 'contact')} on this page
      </p>
      <ContactTable contacts={data.items} />
      <Pager
        label="Contact pages"
        pageNumber={pages.pageNumber}
        nextCursor={data.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </div>
  );
}

function ContactTable({ contacts }: { contacts: ContactSummary[] }) {
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="contacts-table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Company</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((contact) => (
            <tr key={contact.id} data-contact-id={contact.id} data-testid="contact-row">
              <th scope="row">
                <Link to={`/contacts/${contact.id}`}>{contact.email}</Link>
              </th>
              <td>{personName(contact) ?? <span className="muted">—</span>}</td>
              <td>{contact.company ?? <span className="muted">—</span>}</td>
              <td>{formatDate(contact.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ListsTable({ lists }: { lists: ContactList[] }) {
  if (lists.length === 0) {
    return (
      <p className="muted" data-testid="lists-empty">
        No lists yet. Create one, then import contacts into it.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="lists-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Members</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lists.map((list) => (
            <tr key={list.id} data-list-id={list.id}>
              <td>
                <Link to={`/contacts/lists/${list.id}`}>{list.name}</Link>
              </td>
              <td data-testid="member-count">{list.memberCount}</td>
              <td>{formatDate(list.createdAt)}</td>
              <td className="cell-actions">
                <ExportButton listId={list.id} label={`Export ${list.name}`} small />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateListForm({ onCreated }: { onCreated: () => void }) {
  const client = useApi();
  const id = useId();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setOtherError(null);
    try {
      await client.api.lists.$post({ json: { name } });
      setName('');
      onCreated();
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOtherError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-label="New list">
      {problem && problem.errors === undefined && <ProblemView problem={problem} />}
      {otherError !== null && <ErrorView error={otherError} />}
      <Field
        formId={id}
        name="name"
        label="New list name"
        error={problem ? fieldErrors(problem).name : undefined}
      >
        {(control) => (
          <input {...control} type="text" value={name} onChange={(event) => setName(event.target.value)} />
        )}
      </Field>
      <button type="submit" className="button" disabled={busy}>
        Create list
      </button>
    </form>
  );
}
