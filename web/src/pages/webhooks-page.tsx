import type { InferResponseType } from 'hono/client';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import { ApiError, fieldErrors, type Problem, readProblem } from '../api/problem.ts';
import { TIERS, type Tier } from '../api/types.ts';
import { useApi, useAuth } from '../auth/auth-context.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorView, ProblemView } from '../components/error-view.tsx';
import { Field } from '../components/field.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { latestData, useResource } from '../use-resource.ts';
import { Pager, useCursors } from './contacts-shared.tsx';

type WebhooksApi = ApiClient['api']['webhooks'];
type Webhook = InferResponseType<WebhooksApi['$get'], 200>['items'][number];
type Delivery = InferResponseType<WebhooksApi[':webhookId']['deliveries']['$get'], 200>['items'][number];
type EventKind = Webhook['events'][number];

const EVENT_KINDS = [
  'lead-captured',
  'lead-updated',
  'lead-status-changed',
] as const satisfies readonly EventKind[];
const EVENT_LABELS: Record<EventKind, string> = {
  'lead-captured': 'Lead captured (a form submission)',
  'lead-updated': 'Lead updated (a repeat submission, new touches)',
  'lead-status-changed': 'Lead status changed (accepted, opportunity, won…)',
};
const TIER_LABEL = (tier: Tier) => tier.charAt(0).toUpperCase() + tier.slice(1);

type Values = {
  name: string;
  url: string;
  allPrograms: boolean;
  tiers: Tier[];
  events: EventKind[];
  enabled: boolean;
};

const valuesOf = (webhook: Webhook | undefined): Values => ({
  name: webhook?.name ?? '',
  url: webhook?.url ?? 'https://',
  allPrograms: webhook === undefined || webhook.programs === 'all',
  tiers: webhook === undefined || webhook.programs === 'all' ? [] : webhook.programs,
  events: webhook?.events ?? ['lead-captured'],
  enabled: webhook?.enabled ?? true,
});

const programsOf = (webhook: Webhook) =>
  webhook.programs === 'all' ? 'All programs' : webhook.programs.map(TIER_LABEL).join(', ');

const toggle = <T,>(list: readonly T[], item: T, on: boolean): T[] =>
  on ? [...new Set([...list, item])] : list.filter((x) => x !== item);

type Editor = { mode: 'closed' } | { mode: 'create' } | { mode: 'edit'; webhook: Webhook };

/**
 * Marketing's CRM webhooks (issue 5): each program's CRM receives signed JSON for lead events.
 * The signing secret is shown once, right after creation; the delivery log shows every attempt.
 */
export function WebhooksPage() {
  const client = useApi();
  const { session } = useAuth();
  const [editor, setEditor] = useState<Editor>({ mode: 'closed' });
  const [notice, setNotice] = useState<ReactNode>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [logRevision, setLogRevision] = useState(0);
  const list = useResource('webhooks', async (signal) => {
    const response = await client.api.webhooks.$get({}, { init: { signal } });
    return (await response.json()).items;
  });
  const webhooks = latestData(list);
  const shown = webhooks?.find((w) => w.id === selected) ?? webhooks?.[0];

  function saved(webhook: Webhook, secret: string | undefined) {
    setEditor({ mode: 'closed' });
    setSelected(webhook.id);
    setNotice(
      secret === undefined ? (
        <p className="callout callout-success">Webhook “{webhook.name}” saved.</p>
      ) : (
        <div className="callout callout-success" data-testid="webhook-secret">
          <p className="callout-title">Webhook “{webhook.name}” created. Its signing secret:</p>
          <p>
            <code data-testid="webhook-secret-value">{secret}</code>{' '}
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => void navigator.clipboard?.writeText(secret)}
            >
              Copy
            </button>
          </p>
          <p>
            Give it to the CRM now: it is shown only this once. The CRM checks each request’s{' '}
            <code>ChannelKit-Signature</code> header (<code>t=…,v1=…</code>): the HMAC-SHA256 with this secret
            of the timestamp, a dot, and the exact body.
          </p>
        </div>
      ),
    );
    list.reload();
  }

  async function sendTest(webhook: Webhook) {
    setBusy(true);
    setActionError(null);
    try {
      await client.api.webhooks[':webhookId'].test.$post({ param: { webhookId: webhook.id } });
      setSelected(webhook.id);
      setNotice(<p className="callout callout-success">Test delivery to “{webhook.name}” queued.</p>);
      setLogRevision((n) => n + 1);
    } catch (error) {
      setActionError(error);
    } finally {
      setBusy(false);
    }
  }

  async function remove(webhook: Webhook) {
    setBusy(true);
    setActionError(null);
    try {
      // A 204 answer, which the typed client (success bodies only) does not describe.
      const response = await fetch(`/api/webhooks/${encodeURIComponent(webhook.id)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session?.token ?? ''}` },
      });
      if (!response.ok) throw new ApiError(await readProblem(response));
      setNotice(<p className="callout callout-success">Webhook “{webhook.name}” deleted.</p>);
      setDeleting(null);
      setSelected(null);
      list.reload();
    } catch (error) {
      setDeleting(null);
      setActionError(error);
    } finally {
      setBusy(false);
    }
  }

  let body: ReactNode;
  if (list.status === 'error') body = <ErrorView error={list.error} onRetry={list.reload} />;
  else if (webhooks === undefined) body = <SkeletonLines lines={3} label="Loading webhooks…" />;
  else if (webhooks.length === 0) {
    body = (
      <p className="muted card-body" data-testid="webhooks-empty">
        No webhooks yet. Add one to send each program’s leads to its CRM as they arrive.
      </p>
    );
  } else {
    body = (
      <div className="table-scroll">
        <table className="table table-compact" data-testid="webhooks-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Programs</th>
              <th scope="col">Events</th>
              <th scope="col">Secret</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <tr key={webhook.id} data-testid="webhook-row" data-webhook-id={webhook.id}>
                <th scope="row">
                  {webhook.name}
                  {!webhook.enabled && <span className="badge cell-note">Disabled</span>}
                </th>
                <td className="cell-wrap">
                  <code>{webhook.url}</code>
                </td>
                <td>{programsOf(webhook)}</td>
                <td>{webhook.events.join(', ')}</td>
                <td>
                  <code>{webhook.secretHint}</code>
                </td>
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    onClick={() => setSelected(webhook.id)}
                  >
                    Deliveries<span className="visually-hidden"> of {webhook.name}</span>
                  </button>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    disabled={busy || !webhook.enabled}
                    onClick={() => void sendTest(webhook)}
                  >
                    Test<span className="visually-hidden"> {webhook.name}</span>
                  </button>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    onClick={() => {
                      setNotice(null);
                      setEditor({ mode: 'edit', webhook });
                    }}
                  >
                    Edit<span className="visually-hidden"> {webhook.name}</span>
                  </button>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    disabled={busy}
                    onClick={() => setDeleting(webhook)}
                  >
                    Delete<span className="visually-hidden"> {webhook.name}</span>
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
    <>
      <PageHeader
        title="CRM webhooks"
        description="Each partner program’s leads, sent to its CRM as signed JSON when they are captured or change. Failed deliveries are retried with backoff for about two hours; every attempt is in the log."
        actions={
          editor.mode === 'closed' && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setNotice(null);
                setEditor({ mode: 'create' });
              }}
            >
              Add webhook
            </button>
          )
        }
      />
      <div role="status" className="status-region">
        {notice}
      </div>
      {actionError !== null && <ErrorView error={actionError} />}
      {editor.mode !== 'closed' && (
        <WebhookForm
          key={editor.mode === 'edit' ? `${editor.webhook.id}@${editor.webhook.version}` : 'new'}
          webhook={editor.mode === 'edit' ? editor.webhook : undefined}
          onSaved={saved}
          onCancel={() => setEditor({ mode: 'closed' })}
        />
      )}
      <section
        className="card card-flush"
        aria-labelledby="webhooks-title"
        aria-busy={list.status === 'loading'}
      >
        <h2 id="webhooks-title" className="card-title-bar">
          Webhooks
        </h2>
        {body}
      </section>
      {shown && <DeliveryLog key={shown.id} webhook={shown} revision={logRevision} />}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete webhook"
        tone="danger"
        busy={busy}
        onConfirm={() => {
          if (deleting) void remove(deleting);
        }}
        onCancel={() => setDeleting(null)}
      >
        <p>Its CRM stops receiving leads. Deliveries still waiting for a retry are cancelled.</p>
      </ConfirmDialog>
    </>
  );
}

const FIELDS = ['name', 'url', 'programs', 'events'] as const;

function WebhookForm({
  webhook,
  onSaved,
  onCancel,
}: {
  webhook: Webhook | undefined;
  onSaved: (webhook: Webhook, secret: string | undefined) => void;
  onCancel: () => void;
}) {
  const client = useApi();
  const id = useId();
  const [values, setValues] = useState<Values>(valuesOf(webhook));
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const errors = problem === null ? {} : fieldErrors(problem);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setProblem(null);
    setOtherError(null);
    const json = {
      name: values.name,
      url: values.url,
      programs: values.allPrograms ? ('all' as const) : values.tiers,
      events: values.events,
      enabled: values.enabled,
    };
    try {
      if (webhook === undefined) {
        const created = await (await client.api.webhooks.$post({ json })).json();
        const { secret, ...rest } = created;
        onSaved(rest, secret);
      } else {
        const response = await client.api.webhooks[':webhookId'].$put({
          param: { webhookId: webhook.id },
          json,
          header: { 'if-match': `"${webhook.version}"` },
        });
        onSaved(await response.json(), undefined);
      }
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOtherError(error);
    } finally {
      setSubmitting(false);
    }
  }

  const invalid = FIELDS.some((field) => errors[field] !== undefined);
  return (
    <form
      className="card form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby={`${id}-title`}
      aria-busy={submitting}
    >
      <h2 id={`${id}-title`}>{webhook ? `Edit ${webhook.name}` : 'Add a CRM webhook'}</h2>
      {problem && !invalid && <ProblemView problem={problem} />}
      {problem?.status === 412 && (
        <p className="stale-hint">
          Someone changed this webhook after you opened it: cancel and edit it again.
        </p>
      )}
      {otherError !== null && <ErrorView error={otherError} />}
      <div className="form-grid">
        <Field formId={id} name="name" label="Name" error={errors.name}>
          {(control) => (
            <input
              {...control}
              type="text"
              aria-required="true"
              value={values.name}
              onChange={(event) => setValues({ ...values, name: event.target.value })}
            />
          )}
        </Field>
        <Field formId={id} name="url" label="URL (https)" error={errors.url}>
          {(control) => (
            <input
              {...control}
              type="url"
              inputMode="url"
              aria-required="true"
              value={values.url}
              onChange={(event) => setValues({ ...values, url: event.target.value })}
            />
          )}
        </Field>
      </div>
      <fieldset
        className="choice-group"
        aria-describedby={errors.programs ? `${id}-programs-error` : undefined}
      >
        <legend>Programs</legend>
        <label className="choice">
          <input
            type="checkbox"
            name="allPrograms"
            checked={values.allPrograms}
            onChange={(event) => setValues({ ...values, allPrograms: event.target.checked })}
          />
          All programs (and leads from no partner)
        </label>
        {!values.allPrograms &&
          TIERS.map((tier) => (
            <label key={tier} className="choice">
              <input
                type="checkbox"
                name="programs"
                value={tier}
                checked={values.tiers.includes(tier)}
                onChange={(event) =>
                  setValues({ ...values, tiers: toggle(values.tiers, tier, event.target.checked) })
                }
              />
              {TIER_LABEL(tier)}
            </label>
          ))}
        {errors.programs && (
          <p className="field-error" id={`${id}-programs-error`}>
            {errors.programs}
          </p>
        )}
      </fieldset>
      <fieldset className="choice-group" aria-describedby={errors.events ? `${id}-events-error` : undefined}>
        <legend>Events</legend>
        {EVENT_KINDS.map((kind) => (
          <label key={kind} className="choice">
            <input
              type="checkbox"
              name="events"
              value={kind}
              checked={values.events.includes(kind)}
              onChange={(event) =>
                setValues({ ...values, events: toggle(values.events, kind, event.target.checked) })
              }
            />
            {EVENT_LABELS[kind]}
          </label>
        ))}
        {errors.events && (
          <p className="field-error" id={`${id}-events-error`}>
            {errors.events}
          </p>
        )}
      </fieldset>
      <label className="choice">
        <input
          type="checkbox"
          name="enabled"
          checked={values.enabled}
          onChange={(event) => setValues({ ...values, enabled: event.target.checked })}
        />
        Enabled
      </label>
      <div className="actions">
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? 'Saving…' : webhook ? 'Save changes' : 'Create webhook'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submitting}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const STATUS_CLASS: Record<Delivery['status'], string> = {
  pending: 'campaign-status-pending-approval',
  delivered: 'campaign-status-sent',
  failed: 'campaign-status-rejected',
  cancelled: 'campaign-status-cancelled',
};

function lastOutcome(delivery: Delivery): string {
  const last = delivery.attempts.at(-1);
  if (!last) return delivery.reason ?? 'not attempted yet';
  return last.statusCode === null ? (last.error ?? 'no answer') : `HTTP ${last.statusCode}`;
}

function DeliveryLog({ webhook, revision }: { webhook: Webhook; revision: number }) {
  const client = useApi();
  const pages = useCursors();
  const log = useResource(`deliveries:${webhook.id}:${pages.cursor ?? ''}:${revision}`, async (signal) => {
    const response = await client.api.webhooks[':webhookId'].deliveries.$get(
      { param: { webhookId: webhook.id }, query: { limit: '20', cursor: pages.cursor } },
      { init: { signal } },
    );
    return response.json();
  });
  const data = latestData(log);

  let body: ReactNode;
  if (log.status === 'error') body = <ErrorView error={log.error} onRetry={log.reload} />;
  else if (data === undefined) body = <SkeletonLines lines={3} label="Loading deliveries…" />;
  else if (data.items.length === 0) {
    body = <p className="muted card-body">Nothing delivered yet. Send a test to see one here.</p>;
  } else {
    body = (
      <div className="table-scroll">
        <table className="table table-compact" data-testid="deliveries-table">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((delivery) => (
              <tr key={delivery.id} data-testid="delivery-row" data-status={delivery.status}>
                <td>{formatDateTime(delivery.createdAt)}</td>
                <td>
                  {delivery.eventType}
                  {delivery.leadId && <span className="muted small cell-note">lead {delivery.leadId}</span>}
                </td>
                <td>
                  <span className={`badge campaign-status ${STATUS_CLASS[delivery.status]}`}>
                    {delivery.status}
                  </span>
                  {delivery.nextAttemptAt && (
                    <span className="muted small cell-note">
                      next try {formatDateTime(delivery.nextAttemptAt)}
                    </span>
                  )}
                </td>
                <td>
                  {delivery.attempts.length === 0 ? (
                    '0'
                  ) : (
                    <details>
                      <summary>{delivery.attempts.length}</summary>
                      <ol className="plain-list small">
                        {delivery.attempts.map((attempt) => (
                          <li key={attempt.attempt}>
                            #{attempt.attempt} {formatDateTime(attempt.at)}:{' '}
                            {attempt.statusCode === null ? 'no answer' : `HTTP ${attempt.statusCode}`} in{' '}
                            {attempt.durationMs} ms{attempt.error ? ` (${attempt.error})` : ''}
                            {attempt.responseBody && (
                              <pre className="cell-wrap">
                                <code>{attempt.responseBody}</code>
                              </pre>
                            )}
                          </li>
                        ))}
                      </ol>
                    </details>
                  )}
                </td>
                <td className="cell-wrap">{lastOutcome(delivery)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section
      className="card card-flush"
      aria-labelledby="deliveries-title"
      aria-busy={log.status === 'loading'}
    >
      <h2 id="deliveries-title" className="card-title-bar">
        Delivery log: {webhook.name}{' '}
        <button type="button" className="button button-secondary button-small" onClick={log.reload}>
          Refresh
        </button>
      </h2>
      {body}
      <Pager
        label="Delivery log pages"
        pageNumber={pages.pageNumber}
        nextCursor={data?.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </section>
  );
}
