import { type ReactNode, useId, useState } from 'react';
import { ApiError, fieldErrors } from '../api/problem.ts';
import type { ApprovalItem, KitPreview } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { KitPreviewPanel, type PreviewTab } from '../components/kit-preview.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import type { LivePreview } from '../use-live-preview.ts';
import { useResource } from '../use-resource.ts';

type Decision = 'approve' | 'reject';
const PREVIEW_TABS: readonly PreviewTab[] = ['email', 'text', 'landing'];
const NO_RETRY = () => {};

/** The queue's render as the preview panel takes it: already rendered, so always ready. */
function staticPreview(item: ApprovalItem): LivePreview {
  const { campaign, preview } = item;
  const rendered: KitPreview = {
    kitId: campaign.kitId,
    version: campaign.kitVersion,
    ...preview,
    social: {},
    slots: campaign.slots,
  };
  return { preview: rendered, state: 'ready', fieldErrors: {}, error: null, retry: NO_RETRY };
}

/** Marketing's brand-approval queue: oldest first, each campaign rendered as it will go out. */
export function ApprovalsPage() {
  const client = useApi();
  const queue = useResource('approvals', async (signal) => {
    const response = await client.api.approvals.$get({ query: { limit: '25' } }, { init: { signal } });
    return (await response.json()).items;
  });
  // Decided items leave the list at once, without waiting for a reload.
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ outcome: Decision; name: string } | null>(null);

  let body: ReactNode;
  if (queue.status === 'loading') body = <SkeletonLines lines={4} label="Loading the approval queue…" />;
  else if (queue.status === 'error') body = <ErrorView error={queue.error} onRetry={queue.reload} />;
  else {
    const items = queue.data.filter((item) => !decided.has(item.campaign.id));
    const selected = items.find((item) => item.campaign.id === selectedId) ?? items[0];
    if (items.length === 0) {
      body = (
        <section className="card empty-state" data-testid="approvals-empty">
          <p className="muted">Nothing waits for approval. Campaigns partners submit will appear here.</p>
        </section>
      );
    } else {
      body = (
        <>
          <section className="card card-flush" aria-label="Approval queue">
            <div className="table-scroll">
              <table className="table" data-testid="approvals-table">
                <thead>
                  <tr>
                    <th scope="col">Partner</th>
                    <th scope="col">Campaign</th>
                    <th scope="col">Kit</th>
                    <th scope="col">Submitted</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => {
                    const { campaign } = item;
                    const isSelected = campaign.id === selected?.campaign.id;
                    return (
                      <tr
                        key={campaign.id}
                        data-campaign-id={campaign.id}
                        className={isSelected ? 'row-selected' : undefined}
                        aria-selected={isSelected}
                      >
                        <td>{item.partnerName}</td>
                        <td>
                          <button
                            type="button"
                            className="link-button"
                            aria-pressed={isSelected}
                            onClick={() => {
                              setSelectedId(campaign.id);
                              setNotice(null);
                            }}
                          >
                            {campaign.name}
                          </button>
                        </td>
                        <td>
                          <code>
                            {campaign.kitId}@{campaign.kitVersion}
                          </code>
                        </td>
                        <td>{campaign.submittedAt ? formatDateTime(campaign.submittedAt) : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
          {selected !== undefined && (
            <ApprovalReview
              key={selected.campaign.id}
              item={selected}
              onDecided={(outcome) => {
                setDecided((current) => new Set(current).add(selected.campaign.id));
                setSelectedId(null);
                setNotice({ outcome, name: selected.campaign.name });
              }}
            />
          )}
        </>
      );
    }
  }

  return (
    <>
      <PageHeader
        title="Approvals"
        description="Campaigns of kits that need brand approval, oldest first, rendered as they will go out."
        actions={
          <button type="button" className="button button-secondary" onClick={queue.reload}>
            Refresh
          </button>
        }
      />
      {notice !== null && (
        <p className="callout callout-success" role="status" data-testid="decision-notice">
          {notice.outcome === 'approve' ? 'Approved' : 'Rejected'} “{notice.name}”. The partner has been
          notified.
        </p>
      )}
      {body}
    </>
  );
}

function ApprovalReview({ item, onDecided }: { item: ApprovalItem; onDecided: (outcome: Decision) => void }) {
  const client = useApi();
  const id = useId();
  const { campaign } = item;
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | undefined>(undefined);
  const [pending, setPending] = useState<Decision | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function ask(decision: Decision) {
    setError(null);
    if (decision === 'reject' && comment.trim() === '') {
      setCommentError('Say why: the partner sees this comment.');
      return;
    }
    setCommentError(undefined);
    setPending(decision);
  }

  async function decide(decision: Decision) {
    setBusy(true);
    try {
      await client.api.approvals[':campaignId'].$post({
        param: { campaignId: campaign.id },
        json: { decision, comment: comment.trim() },
      });
      onDecided(decision);
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiError) setCommentError(fieldErrors(failure.problem).comment);
      setBusy(false);
      setPending(null);
    }
  }

  const commentId = `${id}-comment`;
  const commentErrorId = `${commentId}-error`;
  return (
    <div className="customiser approval-review" data-testid="approval-review" data-campaign-id={campaign.id}>
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>{campaign.name}</h2>
        <dl className="facts">
          <div>
            <dt>Partner</dt>
            <dd>{item.partnerName}</dd>
          </div>
          <div>
            <dt>Kit</dt>
            <dd>
              {campaign.kitName} <span className="muted">v{campaign.kitVersion}</span>
            </dd>
          </div>
          <div>
            <dt>Submitted</dt>
            <dd>{campaign.submittedAt ? formatDateTime(campaign.submittedAt) : '—'}</dd>
          </div>
        </dl>
        {campaign.decisions.length > 0 && (
          <p className="muted small">
            Decided {campaign.decisions.length} time{campaign.decisions.length === 1 ? '' : 's'} before; this
            is a resubmission.
          </p>
        )}
        <div className="field">
          <label htmlFor={commentId}>Comment</label>
          <textarea
            id={commentId}
            value={comment}
            maxLength={2000}
            aria-invalid={commentError !== undefined}
            aria-describedby={commentError === undefined ? `${commentId}-hint` : commentErrorId}
            onChange={(event) => {
              setComment(event.target.value);
              if (event.target.value.trim() !== '') setCommentError(undefined);
            }}
          />
          <p className="muted small" id={`${commentId}-hint`}>
            Required to reject; the partner sees it with the decision.
          </p>
          {commentError !== undefined && (
            <p className="field-error" id={commentErrorId}>
              {commentError}
            </p>
          )}
        </div>
        {error !== null && <ErrorView error={error} />}
        <div className="actions">
          <button type="button" className="button" disabled={busy} onClick={() => ask('approve')}>
            Approve
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => ask('reject')}
          >
            Reject
          </button>
        </div>
      </section>
      <KitPreviewPanel live={staticPreview(item)} sender={item.partnerName} tabs={PREVIEW_TABS} />
      <ConfirmDialog
        open={pending !== null}
        title={pending === 'reject' ? 'Reject this campaign?' : 'Approve this campaign?'}
        confirmLabel={pending === 'reject' ? 'Reject' : 'Approve'}
        tone={pending === 'reject' ? 'danger' : 'default'}
        busy={busy}
        onConfirm={() => {
          if (pending !== null) void decide(pending);
        }}
        onCancel={() => setPending(null)}
      >
        <p>
          {pending === 'reject'
            ? `${item.partnerName} is told “${campaign.name}” was rejected, with your comment, and can edit and resubmit it.`
            : `${item.partnerName} is told “${campaign.name}” was approved and can launch it.`}
        </p>
      </ConfirmDialog>
    </div>
  );
}
