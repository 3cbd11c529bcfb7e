import { useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import { ApiError, type Problem } from '../api/problem.ts';
import type { Campaign, ContactList, LibraryKitDetail, SlotValues } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { campaignAction } from '../pages/campaign-page.tsx';
import { Link, navigate } from '../router.tsx';
import { CampaignStatusBadge } from './badges.tsx';
import { ErrorView, ProblemView } from './error-view.tsx';
import { fromLocalInput, localFormat, utcFormat, type When, zoneLabel } from './launch-schedule.tsx';

// The launch wizard's last step: what will happen, then create, submit and launch or schedule.

export type ReviewProps = {
  kit: LibraryKitDetail;
  slots: SlotValues;
  name: string;
  list: ContactList | undefined;
  when: When;
  campaign: Campaign | null;
  problem: Problem | null;
  onCreated: (campaign: Campaign) => void;
  onFailed: (problem: Problem) => void;
  onBack: () => void;
};

/** Launches or schedules an approved campaign; any other is left as it is. */
async function finish(client: ApiClient, campaign: Campaign, at: string | null): Promise<Campaign> {
  if (campaign.status !== 'approved') return campaign;
  if (at === null) return campaignAction(client, campaign.id, 'launch');
  const response = await client.api.campaigns[':campaignId'].schedule.$post({
    param: { campaignId: campaign.id },
    json: { at },
  });
  return response.json();
}

type Draft = { kit: LibraryKitDetail; slots: SlotValues; name: string; listId: string; at: string | null };

/**
 * Create, submit, then launch or schedule. Each step is reported as it succeeds (`onStep`), so
 * a retry after a failure picks up where it stopped instead of creating a second campaign.
 */
async function launchFlow(
  client: ApiClient,
  draft: Draft,
  existing: Campaign | null,
  onStep: (campaign: Campaign) => void,
): Promise<Campaign> {
  let current = existing;
  if (current === null) {
    const { kit, slots, name, listId, at } = draft;
    const response = await client.api.campaigns.$post({
      json: {
        name,
        kitId: kit.id,
        kitVersion: kit.version,
        listId,
        slots,
        ...(at === null ? {} : { scheduledAt: at }),
      },
    });
    current = await response.json();
    onStep(current);
  }
  if (current.status === 'draft') {
    current = await campaignAction(client, current.id, 'submit');
    onStep(current);
  }
  const after = await finish(client, current, draft.at);
  onStep(after);
  return after;
}

export function ReviewStep(props: ReviewProps) {
  const { kit, slots, name, list, when, campaign, problem, onCreated, onFailed, onBack } = props;
  const client = useApi();
  const [busy, setBusy] = useState(false);
  const [otherError, setOtherError] = useState<unknown>(null);
  const at = when.mode === 'later' ? fromLocalInput(when.local) : null;

  async function confirm() {
    setBusy(true);
    setOtherError(null);
    try {
      const draft = { kit, slots, name, listId: list?.id ?? '', at: at?.toISOString() ?? null };
      const after = await launchFlow(client, draft, campaign, onCreated);
      if (after.status !== 'pending-approval') navigate(`/campaigns/${after.id}`);
    } catch (error) {
      if (error instanceof ApiError) onFailed(error.problem);
      else setOtherError(error);
    } finally {
      setBusy(false);
    }
  }

  if (campaign?.status === 'pending-approval') return <SubmittedNotice campaign={campaign} at={at} />;

  let action = at === null ? 'Launch now' : 'Schedule campaign';
  if (kit.approvalRequired && campaign === null) action = 'Submit for approval';
  return (
    <div className="form" data-testid="wizard-review">
      {problem && <ProblemView problem={problem} />}
      {otherError !== null && <ErrorView error={otherError} />}
      <ReviewFacts kit={kit} slots={slots} name={name} list={list} at={at} />
      {campaign !== null && (
        <p className="callout callout-info">
          The campaign is created ({campaign.status}); this finishes{' '}
          {at === null ? 'launching' : 'scheduling'} it.
        </p>
      )}
      {kit.approvalRequired && campaign === null && (
        <p className="muted small">
          Vendor marketing approves campaigns from this kit before anything is sent.
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button-large"
          disabled={busy || list === undefined}
          onClick={() => void confirm()}
        >
          {busy ? 'Working…' : action}
        </button>
        <button type="button" className="button button-quiet" disabled={busy} onClick={onBack}>
          Back
        </button>
      </div>
    </div>
  );
}

type FactsProps = {
  kit: LibraryKitDetail;
  slots: SlotValues;
  name: string;
  list: ContactList | undefined;
  at: Date | null;
};

function ReviewFacts({ kit, slots, name, list, at }: FactsProps) {
  return (
    <dl className="facts facts-list review-facts">
      <div>
        <dt>Campaign</dt>
        <dd data-testid="review-name">{name}</dd>
      </div>
      <div>
        <dt>Kit</dt>
        <dd>
          {kit.name} <span className="muted">v{kit.version}</span>
        </dd>
      </div>
      <div>
        <dt>Content</dt>
        <dd>{Object.keys(slots).length} fields, as the preview shows them</dd>
      </div>
      <div>
        <dt>Audience</dt>
        <dd data-testid="review-list">{list ? `${list.name} (${list.memberCount})` : '—'}</dd>
      </div>
      <div className="fact-wide">
        <dt>When</dt>
        <dd data-testid="review-when" data-at={at?.toISOString() ?? 'now'}>
          {at === null ? 'Now' : `${localFormat.format(at)}, ${zoneLabel(at)} · ${utcFormat.format(at)} UTC`}
        </dd>
      </div>
    </dl>
  );
}

function SubmittedNotice({ campaign, at }: { campaign: Campaign; at: Date | null }) {
  return (
    <div className="form" data-testid="wizard-submitted" data-campaign-id={campaign.id}>
      <p>
        <strong>{campaign.name}</strong> <CampaignStatusBadge status={campaign.status} />
      </p>
      <p>
        Submitted for vendor approval. You will be notified when it is decided, then{' '}
        {at === null
          ? 'launch it from the campaign page.'
          : `schedule it for ${localFormat.format(at)} from the campaign page.`}
      </p>
      <Link to={`/campaigns/${campaign.id}`} className="button button-secondary">
        Open the campaign
      </Link>
    </div>
  );
}
