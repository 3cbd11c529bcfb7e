import type { InferResponseType } from 'hono/client';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import { useApi } from '../auth/auth-context.tsx';
import { formatDateTime } from '../format.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ErrorView, ProblemView } from './error-view.tsx';
import { Field } from './field.tsx';
import { SkeletonLines } from './loading.tsx';

type DomainApi = ApiClient['api']['sending-domain'];
export type SendingDomain = InferResponseType<DomainApi['$get'], 200>;
type DomainStatus = SendingDomain['status'];

/** How often the panel asks again while SES is still verifying (the API asks SES every 10 s at most). */
export const POLL_MS = 5_000;

const STATUS_LABELS: Record<DomainStatus, string> = {
  pending: 'Verifying',
  verified: 'Verified',
  failed: 'Verification failed',
};

/** Re-uses the campaign status colours: blue while waiting, green when done, red when failed. */
const STATUS_TONES: Record<DomainStatus, string> = {
  pending: 'campaign-status-scheduled',
  verified: 'campaign-status-sent',
  failed: 'campaign-status-rejected',
};

type State =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; domain: SendingDomain | null };

/** Problems answered as problem+json go inline; anything else (network, a fault) as an error view. */
function useFailure() {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [other, setOther] = useState<unknown>(null);
  return {
    problem,
    other,
    clear() {
      setProblem(null);
      setOther(null);
    },
    set(error: unknown) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOther(error);
    },
    view: (): ReactNode => (
      <>
        {problem && <ProblemView problem={problem} />}
        {other !== null && <ErrorView error={other} />}
      </>
    ),
  };
}

/**
 * The partner's own sending domain, on the Brand page: add it, publish the DKIM CNAME records it
 * shows, watch its status (polled every 5 s while SES verifies it), choose the From local part and
 * send from it once verified, or remove it. Without one, campaigns send from the vendor's domain.
 */
export function SendingDomainPanel() {
  const client = useApi();
  const id = useId();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const domain = state.status === 'ready' ? state.domain : null;
  const pending = domain?.status === 'pending';

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the trigger to load again.
  useEffect(() => {
    const controller = new AbortController();
    client.api['sending-domain'].$get({}, { init: { signal: controller.signal } }).then(
      async (response) => {
        const loaded = await response.json();
        if (!controller.signal.aborted) setState({ status: 'ready', domain: loaded });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) setState({ status: 'ready', domain: null });
        else setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [client, attempt]);

  // While SES verifies, read again every POLL_MS; stops when verified or failed, or on unmount.
  useEffect(() => {
    if (!pending) return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      client.api['sending-domain'].$get({}, { init: { signal: controller.signal } }).then(
        async (response) => {
          const loaded = await response.json();
          if (!controller.signal.aborted) setState({ status: 'ready', domain: loaded });
        },
        // A missed poll (SES busy, a network blip) is retried by the next one.
        () => {},
      );
    }, POLL_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [client, pending]);

  const show = (next: SendingDomain | null) => setState({ status: 'ready', domain: next });

  let body: ReactNode;
  if (state.status === 'loading') body = <SkeletonLines lines={3} label="Loading your sending domain…" />;
  else if (state.status === 'error')
    body = <ErrorView error={state.error} onRetry={() => setAttempt((n) => n + 1)} />;
  else if (domain === null) body = <AddDomainForm onAdded={show} />;
  else body = <DomainDetails domain={domain} onChanged={show} />;

  return (
    <section
      className="card sending-domain-panel"
      aria-labelledby={`${id}-title`}
      data-testid="sending-domain"
    >
      <h2 id={`${id}-title`}>Sending domain</h2>
      <p className="muted small">
        Campaigns go out from the vendor’s domain as “{'{'}your sender name{'}'} via Vendor”, with replies to
        your reply-to address. Add your own domain to send from it instead, once it is verified.
      </p>
      {body}
    </section>
  );
}

function AddDomainForm({ onAdded }: { onAdded: (domain: SendingDomain) => void }) {
  const client = useApi();
  const id = useId();
  const [values, setValues] = useState({ domain: '', localPart: 'news' });
  const [busy, setBusy] = useState(false);
  const failure = useFailure();
  const errors = failure.problem === null ? {} : fieldErrors(failure.problem);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    failure.clear();
    try {
      const response = await client.api['sending-domain'].$put({
        json: { domain: values.domain, localPart: values.localPart, useForSending: false },
      });
      onAdded(await response.json());
    } catch (error) {
      failure.set(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-busy={busy} data-testid="sending-domain-add">
      {failure.view()}
      <div className="form-grid">
        <Field formId={id} name="domain" label="Your domain" error={errors.domain}>
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="mail.yourcompany.com"
              value={values.domain}
              onChange={(event) => setValues({ ...values, domain: event.target.value })}
            />
          )}
        </Field>
        <Field formId={id} name="localPart" label="From address, before the @" error={errors.localPart}>
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={values.localPart}
              onChange={(event) => setValues({ ...values, localPart: event.target.value })}
            />
          )}
        </Field>
      </div>
      <p className="muted small">
        A subdomain used only for campaigns (such as <code>mail.yourcompany.com</code>) keeps your own mail
        apart.
      </p>
      <div className="actions">
        <button type="submit" className="button" disabled={busy || values.domain.trim() === ''}>
          {busy ? 'Adding…' : 'Add domain'}
        </button>
      </div>
    </form>
  );
}

function StatusBadge({ domain }: { domain: SendingDomain }) {
  return (
    <span
      className={`badge domain-status ${STATUS_TONES[domain.status]}`}
      data-testid="sending-domain-status"
      data-status={domain.status}
    >
      {STATUS_LABELS[domain.status]}
    </span>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className="button button-quiet button-small"
      aria-label={`Copy ${label}`}
      onClick={() => {
        navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

function RecordsTable({ domain }: { domain: SendingDomain }) {
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="dkim-records">
        <caption className="visually-hidden">DNS records to add for {domain.domain}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {domain.records.map((record, index) => (
            <tr key={record.name} data-testid="dkim-record">
              <td className="cell-wrap">
                <code>{record.name}</code>{' '}
                <CopyButton text={record.name} label={`record ${index + 1} name`} />
              </td>
              <td>{record.type}</td>
              <td className="cell-wrap">
                <code>{record.value}</code>{' '}
                <CopyButton text={record.value} label={`record ${index + 1} value`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function statusHelp(domain: SendingDomain): ReactNode {
  if (domain.status === 'verified') return <p>SES has verified {domain.domain}: you can send from it.</p>;
  if (domain.status === 'failed') {
    return (
      <p>
        SES could not find the records (DKIM {domain.dkimStatus}). Check them with your DNS provider, or
        remove the domain and add it again.
      </p>
    );
  }
  return (
    <p>
      Add these three CNAME records at your DNS provider. SES usually verifies the domain within an hour of
      seeing them (up to 72 hours); this page checks every few seconds.
    </p>
  );
}

function DomainDetails({
  domain,
  onChanged,
}: {
  domain: SendingDomain;
  onChanged: (domain: SendingDomain | null) => void;
}) {
  const client = useApi();
  const [checking, setChecking] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const failure = useFailure();

  async function checkNow() {
    setChecking(true);
    failure.clear();
    try {
      const response = await client.api['sending-domain'].verify.$post();
      onChanged(await response.json());
    } catch (error) {
      failure.set(error);
    } finally {
      setChecking(false);
    }
  }

  async function remove() {
    setRemoving(true);
    failure.clear();
    try {
      await client.api['sending-domain'].$delete();
      setConfirming(false);
      onChanged(null);
    } catch (error) {
      setConfirming(false);
      failure.set(error);
    } finally {
      setRemoving(false);
    }
  }

  return (
    <div className="sending-domain-details">
      <p>
        <strong data-testid="sending-domain-name">{domain.domain}</strong> <StatusBadge domain={domain} />{' '}
        <span className="muted small">
          DKIM {domain.dkimStatus}, checked {formatDateTime(domain.checkedAt)}
        </span>
      </p>
      {failure.view()}
      <div
        className={domain.status === 'failed' ? 'callout callout-error' : 'callout callout-info'}
        role="status"
      >
        {statusHelp(domain)}
        {domain.status !== 'verified' && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={checkNow}
            disabled={checking}
          >
            {checking ? 'Checking…' : 'Check now'}
          </button>
        )}
      </div>
      <RecordsTable domain={domain} />
      <SendingChoice domain={domain} onSaved={onChanged} />
      <div className="actions">
        <button
          type="button"
          className="button button-danger button-small"
          onClick={() => setConfirming(true)}
        >
          Remove domain
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Remove ${domain.domain}?`}
        confirmLabel="Remove domain"
        tone="danger"
        busy={removing}
        onConfirm={remove}
        onCancel={() => setConfirming(false)}
      >
        <p>
          The domain’s SES identity is deleted and campaigns go out from the vendor’s domain again. To use it
          later you add it again and publish its new records.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function SendingChoice({
  domain,
  onSaved,
}: {
  domain: SendingDomain;
  onSaved: (domain: SendingDomain) => void;
}) {
  const client = useApi();
  const id = useId();
  const [localPart, setLocalPart] = useState(domain.localPart);
  const [useForSending, setUseForSending] = useState(domain.useForSending);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const failure = useFailure();
  const errors = failure.problem === null ? {} : fieldErrors(failure.problem);
  const verified = domain.status === 'verified';
  const changed = localPart !== domain.localPart || useForSending !== domain.useForSending;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    failure.clear();
    try {
      const response = await client.api['sending-domain'].$put({
        json: { domain: domain.domain, localPart, useForSending },
      });
      onSaved(await response.json());
      setSaved(true);
    } catch (error) {
      failure.set(error);
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
      data-testid="sending-domain-choice"
    >
      <h3>Send from this domain</h3>
      {failure.view()}
      {saved && (
        <p className="callout callout-success" role="status">
          Saved.
        </p>
      )}
      <Field formId={id} name="localPart" label="From address" error={errors.localPart}>
        {(control) => (
          <div className="address-input">
            <input
              {...control}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={localPart}
              onChange={(event) => setLocalPart(event.target.value)}
            />
            <span className="muted">@{domain.domain}</span>
          </div>
        )}
      </Field>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={useForSending}
          disabled={!verified && !useForSending}
          aria-describedby={`${id}-why`}
          onChange={(event) => setUseForSending(event.target.checked)}
          data-testid="use-for-sending"
        />{' '}
        Send my campaigns from {localPart || '…'}@{domain.domain}
      </label>
      <p className="muted small" id={`${id}-why`} data-testid="use-for-sending-why">
        {verified
          ? domain.sendingFrom === 'partner-domain'
            ? 'Campaigns go out from this address, under your sender name.'
            : 'Campaigns go out from the vendor’s domain until you choose this.'
          : 'Available once SES has verified the domain: publish the records above, then check again.'}
      </p>
      <div className="actions">
        <button type="submit" className="button" disabled={busy || !changed}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
