import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView, ProblemView } from '../components/error-view.tsx';
import { Field } from '../components/field.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { latestData, useResource } from '../use-resource.ts';
import {
  ContactsSections,
  PAGE_SIZE,
  Pager,
  SUPPRESSION_REASONS,
  type Suppression,
  type SuppressionStatus,
  useCursors,
} from './contacts-shared.tsx';

/**
 * The addresses no campaign of mine reaches: my suppressions page by page (unsubscribes,
 * erasures, my manual ones), adding and removing manual ones, and a check of any address that
 * also shows the platform's hard bounces and complaints, which a partner cannot lift.
 */
export function SuppressionsPage() {
  const [revision, setRevision] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const changed = (notice: string) => {
    setMessage(notice);
    setRevision((n) => n + 1);
  };
  return (
    <>
      <PageHeader
        title="Suppressions"
        description="Suppressed addresses get no campaign from you, whichever list they are on."
      />
      <ContactsSections />
      <div role="status" className="status-region">
        {message && (
          <p className="callout callout-success" data-testid="suppression-message">
            {message}
          </p>
        )}
      </div>
      <div className="grid grid-2">
        <AddSuppression onAdded={changed} />
        <CheckAddress revision={revision} />
      </div>
      <SuppressionTable revision={revision} onLifted={changed} />
    </>
  );
}

function AddSuppression({ onAdded }: { onAdded: (notice: string) => void }) {
  const client = useApi();
  const id = useId();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setOtherError(null);
    try {
      const response = await client.api.suppressions.$post({ json: { email: email.trim() } });
      const created = response.status === 201;
      const suppression = await response.json();
      onAdded(
        created
          ? `${suppression.email} is suppressed: no campaign of yours reaches it.`
          : `${suppression.email} was already suppressed (${SUPPRESSION_REASONS[suppression.reason].label.toLowerCase()}).`,
      );
      setEmail('');
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOtherError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Suppress an address</h2>
      <p className="muted small">
        For someone who asked you, by phone or in person, not to be emailed. It applies to your campaigns
        only, and you can remove it later.
      </p>
      <form
        className="inline-form"
        onSubmit={onSubmit}
        noValidate
        aria-busy={busy}
        aria-label="Suppress an address"
      >
        {problem && problem.errors === undefined && <ProblemView problem={problem} />}
        {otherError !== null && <ErrorView error={otherError} />}
        <Field
          formId={id}
          name="email"
          label="Email address"
          error={problem ? fieldErrors(problem).email : undefined}
        >
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button" disabled={busy || email.trim() === ''}>
          Suppress
        </button>
      </form>
    </section>
  );
}

/** Any address's status for my sends, the platform-wide entries included. */
function CheckAddress({ revision }: { revision: number }) {
  const client = useApi();
  const id = useId();
  const [email, setEmail] = useState('');
  const [checked, setChecked] = useState<string | null>(null);
  const result = useResource(
    `why:${checked ?? ''}:${revision}`,
    async (signal): Promise<SuppressionStatus | null> => {
      if (checked === null) return null;
      const response = await client.api.suppressions[':email'].$get(
        { param: { email: encodeURIComponent(checked) } },
        { init: { signal } },
      );
      return response.json();
    },
  );
  const data = latestData(result);
  const problem = result.status === 'error' && result.error instanceof ApiError ? result.error.problem : null;

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="check-address">
      <h2 id={`${id}-title`}>Check an address</h2>
      <p className="muted small">
        Also shows hard bounces and spam complaints, which ChannelKit blocks for everyone.
      </p>
      <form
        className="inline-form"
        noValidate
        aria-label="Check an address"
        onSubmit={(event) => {
          event.preventDefault();
          setChecked(email.trim());
        }}
      >
        <Field
          formId={id}
          name="email"
          label="Email address"
          error={problem ? fieldErrors(problem).email : undefined}
        >
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-secondary" disabled={email.trim() === ''}>
          Check
        </button>
      </form>
      {result.status === 'error' && problem === null && (
        <ErrorView error={result.error} onRetry={result.reload} />
      )}
      {data && (
        <div
          className="check-result"
          data-testid="check-result"
          data-suppressed={data.suppressed}
          aria-live="polite"
        >
          {data.suppressed ? (
            <ul className="plain-list">
              {data.entries.map((entry) => (
                <li key={`${entry.scope}:${entry.reason}`} data-reason={entry.reason}>
                  <strong>{data.email}</strong>: {SUPPRESSION_REASONS[entry.reason].label.toLowerCase()} since{' '}
                  {formatDateTime(entry.at)}
                  {entry.scope === 'global' ? ', for every partner. ' : '. '}
                  <span className="muted small">{SUPPRESSION_REASONS[entry.reason].why}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p>
              <strong>{data.email}</strong> is not suppressed: your campaigns reach it.
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function SuppressionTable({ revision, onLifted }: { revision: number; onLifted: (notice: string) => void }) {
  const client = useApi();
  const pages = useCursors();
  const [lifting, setLifting] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = useResource(`suppressions:${pages.cursor ?? ''}:${revision}`, async (signal) => {
    const response = await client.api.suppressions.$get(
      { query: { limit: String(PAGE_SIZE), cursor: pages.cursor } },
      { init: { signal } },
    );
    return response.json();
  });
  const data = latestData(list);

  async function lift(entry: Suppression) {
    setLifting(entry.email);
    setError(null);
    try {
      await client.api.suppressions[':email'].$delete({ param: { email: encodeURIComponent(entry.email) } });
      onLifted(`${entry.email} is no longer suppressed by you.`);
    } catch (failure) {
      setError(failure);
    } finally {
      setLifting(null);
    }
  }

  let body: ReactNode;
  if (list.status === 'error') body = <ErrorView error={list.error} onRetry={list.reload} />;
  else if (data === undefined) body = <SkeletonLines lines={4} label="Loading your suppressions…" />;
  else if (data.items.length === 0) {
    body = (
      <p className="muted card-body" data-testid="suppressions-empty">
        {pages.pageNumber === 1
          ? 'No suppressed addresses: nobody has unsubscribed or been suppressed yet.'
          : 'No more suppressions on this page.'}
      </p>
    );
  } else {
    body = (
      <div className="table-scroll">
        <table className="table table-compact" data-testid="suppressions-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Reason</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((entry) => (
              <tr
                key={entry.email}
                data-testid="suppression-row"
                data-email={entry.email}
                data-reason={entry.reason}
              >
                <th scope="row">{entry.email}</th>
                <td>
                  <span className={`badge suppression-reason suppression-${entry.reason}`}>
                    {SUPPRESSION_REASONS[entry.reason].label}
                  </span>
                  {entry.reason !== 'manual' && (
                    <span className="muted small cell-note" data-testid="cannot-remove">
                      {SUPPRESSION_REASONS[entry.reason].why}
                    </span>
                  )}
                </td>
                <td>{formatDateTime(entry.at)}</td>
                <td className="cell-actions">
                  {entry.reason === 'manual' && (
                    <button
                      type="button"
                      className="button button-quiet button-small"
                      disabled={lifting !== null}
                      onClick={() => void lift(entry)}
                    >
                      {lifting === entry.email ? 'Removing…' : 'Remove'}
                      <span className="visually-hidden"> {entry.email}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section
      className="card card-flush suppression-list"
      aria-labelledby="suppressions-title"
      aria-busy={list.status === 'loading'}
    >
      <h2 id="suppressions-title" className="card-title-bar">
        Your suppressed addresses
      </h2>
      {error !== null && <ErrorView error={error} />}
      {body}
      <Pager
        label="Suppression pages"
        pageNumber={pages.pageNumber}
        nextCursor={data?.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </section>
  );
}
