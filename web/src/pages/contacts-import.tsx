import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import type { ContactList, ImportJob } from '../api/types.ts';
import { useApi, useUpload } from '../auth/auth-context.tsx';
import { ErrorView, ProblemView } from '../components/error-view.tsx';
import { Field } from '../components/field.tsx';
import { plural } from '../format.ts';

// A CSV import into a list, with its consent, its progress and the rows it rejected (by line).

function importQuery(listId: string, consentSource: string, consentAt: string): URLSearchParams {
  const query = new URLSearchParams({ header: 'auto', delimiter: 'comma' });
  if (listId) query.set('listId', listId);
  if (consentSource.trim() !== '') query.set('consentSource', consentSource.trim());
  if (consentAt !== '') query.set('consentAt', consentAt);
  return query;
}

async function fetchImport(client: ApiClient, importId: string, signal: AbortSignal): Promise<ImportJob> {
  const response = await client.api.contacts.imports[':importId'].$get(
    { param: { importId } },
    { init: { signal } },
  );
  return response.json();
}

/** One poll of an import at a time; nothing is reported once `signal` aborts. */
function importPoller(
  client: ApiClient,
  importId: string,
  signal: AbortSignal,
  onJob: (job: ImportJob) => void,
  onError: (error: unknown) => void,
): () => void {
  let inFlight = false;
  return () => {
    if (inFlight) return;
    inFlight = true;
    fetchImport(client, importId, signal)
      .then(
        (job) => signal.aborted || onJob(job),
        (error: unknown) => signal.aborted || onError(error),
      )
      .finally(() => {
        inFlight = false;
      });
  };
}

const today = () => new Date().toISOString().slice(0, 10);

export function ImportForm({ lists, onFinished }: { lists: ContactList[]; onFinished: () => void }) {
  const upload = useUpload();
  const client = useApi();
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [listId, setListId] = useState('');
  const [consentSource, setConsentSource] = useState('');
  const [consentAt, setConsentAt] = useState(today);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const errors = problem === null ? {} : fieldErrors(problem);
  const targetList = listId || lists[0]?.id || '';
  const running = job !== null && (job.status === 'queued' || job.status === 'running');

  // Poll the import every second while it runs (one request at a time).
  const jobId = job?.id;
  useEffect(() => {
    if (!running || jobId === undefined) return;
    const controller = new AbortController();
    const poll = importPoller(
      client,
      jobId,
      controller.signal,
      (next) => {
        setJob(next);
        if (next.status === 'done' || next.status === 'failed') onFinished();
      },
      setOtherError,
    );
    const timer = setInterval(poll, 1000);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [client, jobId, running, onFinished]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    setOtherError(null);
    if (file === null) {
      setProblem({
        title: 'Choose a CSV file to import',
        status: 400,
        errors: [{ path: 'file', message: 'choose a CSV file' }],
      });
      return;
    }
    setBusy(true);
    setJob(null);
    const query = importQuery(targetList, consentSource, consentAt);
    try {
      const response = await upload(`/api/contacts/imports?${query}`, file, {
        contentType: 'text/csv',
        onProgress: () => {},
      });
      setJob((await response.json()) as ImportJob);
      if (fileRef.current) fileRef.current.value = '';
      setFile(null);
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOtherError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="contact-import">
      <h2 id={`${id}-title`}>Import contacts</h2>
      <p className="muted small">
        A CSV with an email column (and optionally first_name, last_name, company…). Rows without their own
        consent columns take the consent given here.
      </p>
      <form className="form import-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
        {problem && <ProblemView problem={problem} />}
        {otherError !== null && <ErrorView error={otherError} />}
        <Field formId={id} name="file" label="CSV file" error={errors.file}>
          {(control) => (
            <input
              {...control}
              ref={fileRef}
              type="file"
              accept=".csv,text/csv"
              data-testid="import-file"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        <Field formId={id} name="listId" label="Add to list" error={errors.listId}>
          {(control) => (
            <select {...control} value={targetList} onChange={(event) => setListId(event.target.value)}>
              <option value="">No list</option>
              {lists.map((list) => (
                <option key={list.id} value={list.id}>
                  {list.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={id} name="consentSource" label="Consent source" error={errors.consentSource}>
          {(control) => (
            <input
              {...control}
              type="text"
              placeholder="form:webinar-2026"
              value={consentSource}
              onChange={(event) => setConsentSource(event.target.value)}
            />
          )}
        </Field>
        <Field formId={id} name="consentAt" label="Consent date" error={errors.consentAt}>
          {(control) => (
            <input
              {...control}
              type="date"
              max={today()}
              value={consentAt}
              onChange={(event) => setConsentAt(event.target.value)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="button" disabled={busy || running}>
            {busy ? 'Uploading…' : 'Import'}
          </button>
        </div>
      </form>
      {job !== null && <ImportProgress job={job} />}
    </section>
  );
}

const STATUS_TEXT: Record<ImportJob['status'], string> = {
  queued: 'Queued',
  running: 'Importing',
  done: 'Finished',
  failed: 'Failed',
};

function ImportProgress({ job }: { job: ImportJob }) {
  const { counts } = job;
  const finished = job.status === 'done' || job.status === 'failed';
  const read = job.fileBytes === 0 ? 0 : Math.min(job.checkpoint.byte, job.fileBytes);
  return (
    <div className="import-progress" data-testid="import-progress" data-status={job.status}>
      <div className="upload-progress" role="status">
        <strong>{STATUS_TEXT[job.status]}</strong>
        {finished ? (
          <progress max={1} value={1} aria-label="Import progress" />
        ) : (
          <progress max={job.fileBytes || 1} value={read || undefined} aria-label="Import progress" />
        )}
        <span className="muted small">{plural(counts.rowsRead, 'row')} read</span>
      </div>
      <dl className="facts">
        <div>
          <dt>Imported</dt>
          <dd data-testid="import-imported">{counts.imported}</dd>
        </div>
        <div>
          <dt>Merged</dt>
          <dd data-testid="import-merged">{counts.merged}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd data-testid="import-rejected">{counts.rejected}</dd>
        </div>
      </dl>
      {job.failure && (
        <div className="callout callout-error" role="alert">
          <p className="callout-title">
            The import stopped{job.failure.line ? ` at line ${job.failure.line}` : ''}
          </p>
          <p>{job.failure.message}</p>
        </div>
      )}
      {job.errors.length > 0 && (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="import-errors">
            <caption className="muted small">Rejected rows</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Reason</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {job.errors.map((error) => (
                <tr key={`${error.line}:${error.reason}`} data-testid="import-error" data-line={error.line}>
                  <td>{error.line}</td>
                  <td>
                    <code>{error.reason}</code>
                  </td>
                  <td>{error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
