import { type ReactNode, useState } from 'react';
import { ApiError, readProblem } from '../api/problem.ts';
import { useApi, useAuth } from '../auth/auth-context.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import type { PageProps } from '../routes.tsx';
import { latestData, useResource } from '../use-resource.ts';
import { type Consent, type ContactDetail, personName, SUPPRESSION_REASONS } from './contacts-shared.tsx';

/** One contact: profile, the consent record (and what it replaced), lists, suppression, erasure. */
export function ContactPage({ params }: PageProps) {
  const client = useApi();
  const contactId = params.contactId ?? '';
  const contact = useResource(`contact:${contactId}`, async (signal) => {
    const response = await client.api.contacts[':contactId'].$get(
      { param: { contactId } },
      { init: { signal } },
    );
    return response.json();
  });
  const data = latestData(contact);

  let body: ReactNode;
  if (data !== undefined) body = <ContactView contact={data} />;
  else if (contact.status === 'error' && contact.error instanceof ApiError && contact.error.status === 404) {
    body = (
      <section className="card empty-state" data-testid="contact-missing">
        <PageHeader title="No such contact" />
        <p className="muted">It may have been erased, or the link is wrong.</p>
      </section>
    );
  } else if (contact.status === 'error') body = <ErrorView error={contact.error} onRetry={contact.reload} />;
  else body = <SkeletonLines lines={6} label="Loading the contact…" />;

  return (
    <>
      <p className="back-link">
        <Link to="/contacts">← Contacts</Link>
      </p>
      {body}
    </>
  );
}

function ContactView({ contact }: { contact: ContactDetail }) {
  const name = personName(contact);
  const profile: [string, string | null][] = [
    ['Name', name],
    ['Company', contact.company],
    ['Job title', contact.jobTitle],
    ['Phone', contact.phone],
    ['Country', contact.country],
    ['Added', formatDateTime(contact.createdAt)],
  ];
  return (
    <div data-testid="contact" data-contact-id={contact.id}>
      <PageHeader
        title={contact.email}
        description={name ?? undefined}
        actions={<EraseButton contact={contact} />}
      />
      <div className="grid grid-2">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <dl className="facts facts-list">
            {profile.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value ?? <span className="muted">—</span>}</dd>
              </div>
            ))}
          </dl>
        </section>
        <SuppressionCard email={contact.email} />
        <section className="card" aria-labelledby="consent-title" data-testid="contact-consent">
          <h2 id="consent-title">Consent</h2>
          <ConsentFacts consent={contact.consent} />
          {contact.consentHistory.length > 0 && (
            <details className="consent-history">
              <summary>Earlier consents ({contact.consentHistory.length})</summary>
              {contact.consentHistory.map((earlier) => (
                <ConsentFacts key={`${earlier.recordedAt}:${earlier.source}`} consent={earlier} />
              ))}
            </details>
          )}
        </section>
        <ContactLists ids={contact.lists} />
      </div>
    </div>
  );
}

function ConsentFacts({ consent }: { consent: Consent }) {
  return (
    <dl className="facts facts-list">
      <div>
        <dt>Source</dt>
        <dd data-testid="consent-source">{consent.source}</dd>
      </div>
      <div>
        <dt>Given</dt>
        <dd data-testid="consent-at">{formatDateTime(consent.at)}</dd>
      </div>
      <div>
        <dt>Recorded</dt>
        <dd>
          {formatDateTime(consent.recordedAt)} · {consent.channel === 'import' ? 'CSV import' : 'API'}
        </dd>
      </div>
      <div>
        <dt>Wording version</dt>
        <dd>{consent.text ?? <span className="muted">—</span>}</dd>
      </div>
    </dl>
  );
}

function ContactLists({ ids }: { ids: readonly string[] }) {
  const client = useApi();
  // A partner keeps at most 40 lists, so one page names them all.
  const lists = useResource('lists', async (signal) => {
    const response = await client.api.lists.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });
  const names = new Map((latestData(lists) ?? []).map((list) => [list.id, list.name]));
  return (
    <section className="card" aria-labelledby="contact-lists-title">
      <h2 id="contact-lists-title">Lists</h2>
      {lists.status === 'error' && <ErrorView error={lists.error} onRetry={lists.reload} />}
      {ids.length === 0 ? (
        <p className="muted">On no list.</p>
      ) : (
        <ul className="plain-list" data-testid="contact-lists">
          {ids.map((id) => (
            <li key={id}>
              <Link to={`/contacts/lists/${id}`}>{names.get(id) ?? 'List'}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Whether the address can be mailed, and a one-click manual suppression or its removal. */
function SuppressionCard({ email }: { email: string }) {
  const client = useApi();
  const [revision, setRevision] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const status = useResource(`suppression:${email}:${revision}`, async (signal) => {
    const response = await client.api.suppressions[':email'].$get(
      { param: { email: encodeURIComponent(email) } },
      { init: { signal } },
    );
    return response.json();
  });
  const data = latestData(status);
  const manual = data?.entries.find((entry) => entry.scope === 'partner' && entry.reason === 'manual');

  async function change(action: 'suppress' | 'lift') {
    setBusy(true);
    setError(null);
    try {
      if (action === 'suppress') await client.api.suppressions.$post({ json: { email } });
      else await client.api.suppressions[':email'].$delete({ param: { email: encodeURIComponent(email) } });
      setRevision((n) => n + 1);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="suppression-title" data-testid="contact-suppression">
      <h2 id="suppression-title">Sending</h2>
      {status.status === 'error' && <ErrorView error={status.error} onRetry={status.reload} />}
      {data === undefined ? (
        status.status === 'loading' && <SkeletonLines lines={2} label="Checking suppressions…" />
      ) : data.suppressed ? (
        <>
          <p className="callout callout-error" data-testid="suppression-state" data-suppressed="true">
            Suppressed: no campaign is sent to this address.
          </p>
          <ul className="plain-list">
            {data.entries.map((entry) => (
              <li key={`${entry.scope}:${entry.reason}`}>
                <strong>{SUPPRESSION_REASONS[entry.reason].label}</strong> since {formatDateTime(entry.at)}
                {entry.scope === 'global' && ' (for every partner)'}.{' '}
                <span className="muted small">{SUPPRESSION_REASONS[entry.reason].why}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="callout callout-success" data-testid="suppression-state" data-suppressed="false">
          Not suppressed: campaigns to a list with this contact reach them.
        </p>
      )}
      {error !== null && <ErrorView error={error} />}
      {data !== undefined && (
        <div className="actions">
          {manual ? (
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => void change('lift')}
            >
              Remove my suppression
            </button>
          ) : (
            !data.suppressed && (
              <button
                type="button"
                className="button button-secondary"
                disabled={busy}
                onClick={() => void change('suppress')}
              >
                Suppress this address
              </button>
            )
          )}
        </div>
      )}
    </section>
  );
}

/** GDPR erasure: the contact and its memberships go; the address stays suppressed. */
function EraseButton({ contact }: { contact: ContactDetail }) {
  const { session } = useAuth();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function erase() {
    setBusy(true);
    setError(null);
    try {
      // A 204 answer, which the typed client (success bodies only) does not describe.
      const response = await fetch(`/api/contacts/${encodeURIComponent(contact.id)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session?.token ?? ''}` },
      });
      if (!response.ok) throw new ApiError(await readProblem(response));
      navigate('/contacts', { replace: true });
    } catch (failure) {
      setError(failure);
      setBusy(false);
      setOpen(false);
    }
  }

  return (
    <>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        Erase contact
      </button>
      {error !== null && <ErrorView error={error} />}
      <ConfirmDialog
        open={open}
        title={`Erase ${contact.email}?`}
        confirmLabel="Erase contact"
        tone="danger"
        busy={busy}
        onConfirm={() => void erase()}
        onCancel={() => setOpen(false)}
      >
        <p>
          For a request to be forgotten (GDPR). The contact, its consent record and its list memberships are
          deleted. The address stays suppressed so it is never mailed or imported again. This cannot be
          undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
