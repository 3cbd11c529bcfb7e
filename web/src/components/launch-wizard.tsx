import { type FormEvent, useId, useState } from 'react';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import type { Campaign, LibraryKitDetail, SlotValues } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { campaignAction } from '../pages/campaign-page.tsx';
import { Link, navigate } from '../router.tsx';
import { useResource } from '../use-resource.ts';
import { CampaignStatusBadge } from './badges.tsx';
import { ErrorView, ProblemView } from './error-view.tsx';
import { Field } from './field.tsx';

type Step = 'closed' | 'details' | 'ready';

/**
 * From a customised kit to a launched campaign: a name and a list (the slot values are the
 * form's above), create and submit, then launch now; kits needing approval wait for marketing.
 */
export function LaunchWizard({ kit, slots }: { kit: LibraryKitDetail; slots: SlotValues }) {
  const [step, setStep] = useState<Step>('closed');
  const [campaign, setCampaign] = useState<Campaign | null>(null);

  if (step === 'closed') {
    return (
      <div className="launch">
        <button type="button" className="button button-large" onClick={() => setStep('details')}>
          Launch campaign
        </button>
        <p className="muted small">
          {kit.approvalRequired
            ? 'Vendor marketing approves campaigns from this kit before they can be sent.'
            : 'Choose a contact list, then send it now.'}
        </p>
      </div>
    );
  }
  return (
    <section className="launch-wizard" aria-label="Launch campaign" data-testid="launch-wizard">
      {step === 'details' || campaign === null ? (
        <DetailsStep
          kit={kit}
          slots={slots}
          onCancel={() => setStep('closed')}
          onCreated={(created) => {
            setCampaign(created);
            setStep('ready');
          }}
        />
      ) : (
        <ReadyStep campaign={campaign} />
      )}
    </section>
  );
}

function DetailsStep({
  kit,
  slots,
  onCancel,
  onCreated,
}: {
  kit: LibraryKitDetail;
  slots: SlotValues;
  onCancel: () => void;
  onCreated: (campaign: Campaign) => void;
}) {
  const client = useApi();
  const id = useId();
  const lists = useResource('wizard-lists', async (signal) => {
    const response = await client.api.lists.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });
  const [name, setName] = useState(kit.name);
  const [listId, setListId] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const errors = problem === null ? {} : fieldErrors(problem);
  const available = lists.status === 'success' ? lists.data : [];
  const chosen = listId || available[0]?.id || '';

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setOtherError(null);
    try {
      const response = await client.api.campaigns.$post({
        json: { name, kitId: kit.id, kitVersion: kit.version, listId: chosen, slots },
      });
      const created = await response.json();
      onCreated(await campaignAction(client, created.id, 'submit'));
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOtherError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-busy={busy} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>New campaign</h3>
      {problem && <ProblemView problem={problem} />}
      {otherError !== null && <ErrorView error={otherError} />}
      <Field formId={id} name="name" label="Campaign name" error={errors.name}>
        {(control) => (
          <input {...control} type="text" value={name} onChange={(event) => setName(event.target.value)} />
        )}
      </Field>
      {lists.status === 'error' ? (
        <ErrorView error={lists.error} onRetry={lists.reload} />
      ) : lists.status === 'success' && available.length === 0 ? (
        <p className="callout callout-info" data-testid="wizard-no-lists">
          You have no contact lists yet. <Link to="/contacts">Import contacts</Link> first.
        </p>
      ) : (
        <Field formId={id} name="listId" label="Send to list" error={errors.listId}>
          {(control) => (
            <select
              {...control}
              value={chosen}
              disabled={lists.status !== 'success'}
              onChange={(event) => setListId(event.target.value)}
            >
              {available.map((list) => (
                <option key={list.id} value={list.id}>
                  {list.name} ({list.memberCount})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <p className="muted small">
        The campaign uses the values in the form above, as the preview shows them.
      </p>
      <div className="actions">
        <button type="submit" className="button" disabled={busy || chosen === ''}>
          {busy ? 'Creating…' : 'Create campaign'}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ReadyStep({ campaign }: { campaign: Campaign }) {
  const client = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function launch() {
    setBusy(true);
    setError(null);
    try {
      await campaignAction(client, campaign.id, 'launch');
      navigate(`/campaigns/${campaign.id}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <div className="form" data-testid="wizard-ready" data-campaign-id={campaign.id}>
      <h3>
        {campaign.name} <CampaignStatusBadge status={campaign.status} />
      </h3>
      {error !== null && <ErrorView error={error} />}
      {campaign.status === 'approved' ? (
        <>
          <p>Ready to send to your list. Everyone on it who has not opted out gets one email.</p>
          <div className="actions">
            <button
              type="button"
              className="button button-large"
              disabled={busy}
              onClick={() => void launch()}
            >
              {busy ? 'Launching…' : 'Launch now'}
            </button>
            <Link to={`/campaigns/${campaign.id}`} className="button button-quiet">
              Not yet: open the campaign
            </Link>
          </div>
        </>
      ) : (
        <>
          <p>
            Submitted for vendor approval. You will be notified when it is decided, then you can launch it.
          </p>
          <Link to={`/campaigns/${campaign.id}`} className="button button-secondary">
            Open the campaign
          </Link>
        </>
      )}
    </div>
  );
}
