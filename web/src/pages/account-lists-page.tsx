import type { InferResponseType } from 'hono/client';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import { ApiError, fieldErrors, type Problem, readProblem } from '../api/problem.ts';
import { useApi, useAuth, useUpload } from '../auth/auth-context.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorView, ProblemView } from '../components/error-view.tsx';
import { Field } from '../components/field.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatBytes, formatDateTime, plural } from '../format.ts';
import { useMe } from '../me-context.tsx';
import { latestData, useResource } from '../use-resource.ts';

// Account lists: a partner's (or, for marketing, the vendor's) customers and open
// opportunities, uploaded as CSV and stored only as keyed hashes; the overlap with the
// vendor's lists per partner, as counts.

type ListsApi = ApiClient['api']['account-lists'];
type AccountList = InferResponseType<ListsApi['$get'], 200>['items'][number];
type OverlapRow = InferResponseType<ListsApi['overlaps']['$get'], 200>['items'][number];
type Kind = AccountList['kind'];
type ListCounts = NonNullable<OverlapRow['customer']>;

const KINDS: readonly { kind: Kind; title: string; what: string }[] = [
  { kind: 'customer', title: 'Customers', what: 'current customers' },
  { kind: 'opportunity', title: 'Open opportunities', what: 'open opportunities' },
];

const STATUS_TEXT: Record<AccountList['status'], string> = {
  queued: 'Queued',
  running: 'Writing',
  ready: 'Ready',
  deleting: 'Deleting',
  failed: 'Failed',
};
const BUSY = new Set<AccountList['status']>(['queued', 'running', 'deleting']);

export function AccountListsPage() {
  const me = useMe();
  const client = useApi();
  const marketing = me.user.role === 'marketing';
  const lists = useResource('account-lists', async (signal) => {
    const response = await client.api['account-lists'].$get({}, { init: { signal } });
    return (await response.json()).items;
  });
  const items = latestData(lists) ?? [];
  const writing = items.some((list) => BUSY.has(list.status));
  const reload = lists.reload;

  // While a list is being written or deleted, follow it.
  useEffect(() => {
    if (!writing) return;
    const timer = window.setInterval(reload, 1500);
    return () => window.clearInterval(timer);
  }, [writing, reload]);

  return (
    <>
      <PageHeader
        title="Account lists"
        description={
          marketing
            ? 'The vendor’s own customers and open opportunities. Partner lists stay private to each partner: you see how much they overlap with yours, never which accounts.'
            : 'Your customers and open opportunities. Only keyed hashes of the company domains are stored; the file you upload is kept for you alone. A lead from an account on your lists that the vendor does not already have is an ecosystem-qualified lead (EQL).'
        }
      />
      <div className="grid">
        {lists.status === 'error' ? (
          <ErrorView error={lists.error} onRetry={reload} />
        ) : lists.status === 'loading' && items.length === 0 ? (
          <SkeletonLines lines={4} label="Loading your account lists…" />
        ) : (
          <div className="grid grid-2">
            {KINDS.map(({ kind, title, what }) => (
              <ListCard
                key={kind}
                kind={kind}
                title={title}
                what={what}
                list={items.find((list) => list.kind === kind)}
                onChanged={reload}
              />
            ))}
          </div>
        )}
        <Overlaps
          marketing={marketing}
          ownName={me.partner?.name}
          refreshKey={items.map((l) => `${l.uploadId}:${l.status}`).join()}
        />
      </div>
    </>
  );
}

function ListCard(props: {
  kind: Kind;
  title: string;
  what: string;
  list: AccountList | undefined;
  onChanged: () => void;
}) {
  const { kind, title, what, list, onChanged } = props;
  const id = useId();
  const [report, setReport] = useState<AccountList | null>(null);
  // The upload's own answer names each rejected cell; once written, the stored summary says why only.
  const shown = report !== null && report.uploadId === list?.uploadId ? report : list;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid={`account-list-${kind}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {shown ? (
        <ListSummary list={shown} onChanged={onChanged} />
      ) : (
        <p className="muted" data-testid="no-list">
          No list of {what} yet.
        </p>
      )}
      <UploadForm
        kind={kind}
        what={what}
        replacing={list !== undefined}
        onUploaded={(uploaded) => {
          setReport(uploaded);
          onChanged();
        }}
      />
    </section>
  );
}

function ListSummary({ list, onChanged }: { list: AccountList; onChanged: () => void }) {
  return (
    <div data-testid="account-list-summary" data-status={list.status}>
      <p>
        <span className="badge" data-testid="account-list-status">
          {STATUS_TEXT[list.status]}
        </span>{' '}
        <span className="muted small">
          uploaded {formatDateTime(list.uploadedAt)} · {formatBytes(list.fileBytes)}
        </span>
      </p>
      <dl className="facts">
        <div>
          <dt>Accounts</dt>
          <dd data-testid="account-list-accounts">{list.accounts}</dd>
        </div>
        <div>
          <dt>Rows read</dt>
          <dd>{list.rowsRead}</dd>
        </div>
        <div>
          <dt>Rejected</dt>
          <dd data-testid="account-list-rejected">{list.rejected}</dd>
        </div>
        <div>
          <dt>Repeats merged</dt>
          <dd>{list.duplicates}</dd>
        </div>
      </dl>
      {list.failure && (
        <div className="callout callout-error" role="alert">
          <p className="callout-title">The list could not be written</p>
          <p>{list.failure}</p>
        </div>
      )}
      {list.errors.length > 0 && <RowErrors list={list} />}
      {list.status !== 'deleting' && (
        <div className="actions">
          <DownloadButton kind={list.kind} />
          <DeleteButton kind={list.kind} onDeleted={onChanged} />
        </div>
      )}
    </div>
  );
}

function RowErrors({ list }: { list: AccountList }) {
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="account-list-errors">
        <caption className="muted small">
          Rejected rows{list.rejected > list.errors.length ? ` (the first ${list.errors.length})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {list.errors.map((error) => (
            <tr key={`${error.line}:${error.reason}`} data-testid="account-list-error" data-line={error.line}>
              <td>{error.line}</td>
              <td>{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UploadForm(props: {
  kind: Kind;
  what: string;
  replacing: boolean;
  onUploaded: (list: AccountList) => void;
}) {
  const { kind, what, replacing, onUploaded } = props;
  const upload = useUpload();
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const errors = problem === null ? {} : fieldErrors(problem);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    setOtherError(null);
    if (file === null) {
      setProblem({
        title: 'Choose a CSV file',
        status: 400,
        errors: [{ path: 'file', message: 'choose a CSV file' }],
      });
      return;
    }
    setBusy(true);
    try {
      const response = await upload(`/api/account-lists/${kind}`, file, {
        contentType: 'text/csv',
        onProgress: () => {},
      });
      onUploaded((await response.json()) as AccountList);
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
    <form
      className="form"
      onSubmit={onSubmit}
      noValidate
      aria-busy={busy}
      data-testid={`account-upload-${kind}`}
    >
      {problem && <ProblemView problem={problem} />}
      {otherError !== null && <ErrorView error={otherError} />}
      <Field
        formId={id}
        name="file"
        label={replacing ? `Replace with a new CSV of ${what}` : `CSV of ${what}`}
        error={errors.file ?? errors.body}
      >
        {(control) => (
          <input
            {...control}
            ref={fileRef}
            type="file"
            accept=".csv,text/csv"
            data-testid={`account-file-${kind}`}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <p className="muted small">
        A domain or website column (e.g. <code>domain</code>, <code>website</code>), optionally a company
        name. Up to 100,000 rows; the upload replaces the whole list.
      </p>
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Uploading…' : replacing ? 'Replace list' : 'Upload list'}
        </button>
      </div>
    </form>
  );
}

function DownloadButton({ kind }: { kind: Kind }) {
  const { session } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      // The typed client has no shape for a text/csv answer: an authed fetch of the same path.
      const response = await fetch(`/api/account-lists/${kind}/csv`, {
        headers: { authorization: `Bearer ${session?.token ?? ''}` },
      });
      if (!response.ok) throw new ApiError(await readProblem(response));
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `${kind}-accounts.csv`;
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
        className="button button-secondary button-small"
        onClick={() => void download()}
        disabled={busy}
        data-testid={`account-download-${kind}`}
      >
        {busy ? 'Downloading…' : 'Download my file'}
      </button>
      {error !== null && <ErrorView error={error} />}
    </>
  );
}

function DeleteButton({ kind, onDeleted }: { kind: Kind; onDeleted: () => void }) {
  const { session } = useAuth();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function remove() {
    setBusy(true);
    setError(null);
    try {
      // 202 Accepted (the hashes go in the background): outside the typed client's success shapes.
      const response = await fetch(`/api/account-lists/${kind}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session?.token ?? ''}` },
      });
      if (!response.ok) throw new ApiError(await readProblem(response));
      setOpen(false);
      onDeleted();
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
        className="button button-quiet button-small"
        onClick={() => setOpen(true)}
        data-testid={`account-delete-${kind}`}
      >
        Delete list
      </button>
      <ConfirmDialog
        open={open}
        title="Delete this list?"
        confirmLabel="Delete"
        tone="danger"
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setOpen(false)}
      >
        <p>Its accounts stop counting towards EQLs and overlaps, and your uploaded file is removed.</p>
        {error !== null && <ErrorView error={error} />}
      </ConfirmDialog>
    </>
  );
}

function countsText(counts: ListCounts | null): string {
  if (counts === null) return '—';
  const overlap =
    counts.vendorCustomers === null || counts.vendorOpportunities === null
      ? 'overlap being counted'
      : `${plural(counts.vendorCustomers, 'vendor customer')}, ${plural(counts.vendorOpportunities, 'vendor opportunity', 'vendor opportunities')}`;
  return `${plural(counts.accounts, 'account')} (${overlap})`;
}

function Overlaps(props: { marketing: boolean; ownName: string | undefined; refreshKey: string }) {
  const { marketing, ownName, refreshKey } = props;
  const client = useApi();
  const id = useId();
  const rows = useResource(`account-overlaps:${refreshKey}`, async (signal) => {
    const response = await client.api['account-lists'].overlaps.$get({}, { init: { signal } });
    return (await response.json()).items;
  });
  const names = useResource(`partner-names:${marketing}`, async (signal) => {
    if (!marketing) return new Map<string, string>();
    const response = await client.api.partners.$get({ query: { limit: '100' } }, { init: { signal } });
    return new Map((await response.json()).items.map((p) => [p.id, p.name]));
  });
  const data = latestData(rows) ?? [];
  const nameOf = (partnerId: string) => latestData(names)?.get(partnerId) ?? ownName ?? partnerId;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="account-overlaps">
      <h2 id={`${id}-title`}>{marketing ? 'Overlap per partner' : 'Your overlap with the vendor'}</h2>
      <p className="muted small">
        How many accounts on each list the vendor already has as a customer or an open opportunity: those are
        not EQLs. Counts only; no list shows which accounts.
      </p>
      {rows.status === 'error' ? (
        <ErrorView error={rows.error} onRetry={rows.reload} />
      ) : data.length === 0 ? (
        <p className="muted">
          {rows.status === 'loading' ? 'Loading…' : 'No partner has uploaded a list yet.'}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Customers</th>
                <th scope="col">Open opportunities</th>
                <th scope="col">Matched leads</th>
                <th scope="col">EQLs</th>
              </tr>
            </thead>
            <tbody>
              {data.map((row) => (
                <tr key={row.partnerId} data-testid="overlap-row" data-partner={row.partnerId}>
                  <th scope="row">{nameOf(row.partnerId)}</th>
                  <td>{countsText(row.customer)}</td>
                  <td>{countsText(row.opportunity)}</td>
                  <td>{row.leads ?? '—'}</td>
                  <td>{row.eqls ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
