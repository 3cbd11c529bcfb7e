import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { fieldErrors, type Problem } from '../api/problem.ts';
import type { Campaign, ContactList, LibraryKitDetail, SlotValues } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { Link } from '../router.tsx';
import { type Resource, useResource } from '../use-resource.ts';
import { ErrorView, ProblemView } from './error-view.tsx';
import { Field } from './field.tsx';
import { ReviewStep } from './launch-review.tsx';
import { ScheduleStep, type When } from './launch-schedule.tsx';

type Step = 'audience' | 'schedule' | 'review';

const HEADINGS: Record<Step, string> = {
  audience: 'Who gets it',
  schedule: 'When to send it',
  review: 'Review and launch',
};

const STEPS: readonly { key: Step | 'kit' | 'content'; label: string }[] = [
  { key: 'kit', label: 'Kit' },
  { key: 'content', label: 'Content' },
  { key: 'audience', label: 'Audience' },
  { key: 'schedule', label: 'Schedule' },
  { key: 'review', label: 'Review' },
];

/** Where each of the API's field errors is fixed: the step that has the field. */
function stepOf(problem: Problem): Step {
  const fields = Object.keys(fieldErrors(problem));
  if (fields.some((field) => field === 'name' || field === 'listId')) return 'audience';
  if (fields.some((field) => field === 'at' || field === 'scheduledAt')) return 'schedule';
  return 'review';
}

// ---- the wizard ------------------------------------------------------------------------

/**
 * From a customised kit to a sent or scheduled campaign: kit and content are the page above
 * (slot form and live preview); here the audience, when to send (now, or a time in the
 * partner's own time zone, sent to the API in UTC), a review, then launch or schedule. Kits
 * needing approval are submitted and wait for vendor marketing, with the planned time kept.
 */
export function LaunchWizard({ kit, slots }: { kit: LibraryKitDetail; slots: SlotValues }) {
  const client = useApi();
  const [step, setStep] = useState<Step | 'closed'>('closed');
  const [name, setName] = useState(kit.name);
  const [listId, setListId] = useState('');
  const [when, setWhen] = useState<When>({ mode: 'now' });
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const lists = useResource('wizard-lists', async (signal) => {
    const response = await client.api.lists.$get({ query: { limit: '100' } }, { init: { signal } });
    return (await response.json()).items;
  });
  const available = lists.status === 'success' ? lists.data : [];
  const list = available.find((candidate) => candidate.id === listId) ?? available[0];

  // Each step's heading takes focus, so keyboard and screen reader users start at its top.
  useEffect(() => {
    if (step !== 'closed') headingRef.current?.focus();
  }, [step]);

  if (step === 'closed') return <ClosedLaunch kit={kit} onOpen={() => setStep('audience')} />;

  const errors = problem === null ? {} : fieldErrors(problem);
  const go = (next: Step | 'closed') => {
    setProblem(null);
    setStep(next);
  };
  let body: ReactNode;
  if (step === 'audience') {
    body = (
      <AudienceStep
        name={name}
        onName={setName}
        list={list}
        lists={lists}
        onList={setListId}
        errors={errors}
        onBack={() => go('closed')}
        onNext={() => go('schedule')}
      />
    );
  } else if (step === 'schedule') {
    body = (
      <ScheduleStep
        when={when}
        onWhen={setWhen}
        apiError={errors.at ?? errors.scheduledAt}
        onBack={campaign === null ? () => go('audience') : undefined}
        onNext={() => go('review')}
      />
    );
  } else {
    body = (
      <ReviewStep
        kit={kit}
        slots={slots}
        name={name}
        list={list}
        when={when}
        campaign={campaign}
        problem={problem}
        onCreated={setCampaign}
        onFailed={(failed) => {
          setProblem(failed);
          setStep(stepOf(failed));
        }}
        onBack={() => go('schedule')}
      />
    );
  }

  return (
    <section
      className="launch-wizard"
      aria-label="Launch campaign"
      data-testid="launch-wizard"
      data-step={step}
    >
      <WizardSteps step={step} />
      <h3 ref={headingRef} tabIndex={-1} className="wizard-heading">
        {HEADINGS[step]}
      </h3>
      {problem && stepOf(problem) !== 'review' && problem.errors === undefined && (
        <ProblemView problem={problem} />
      )}
      {body}
    </section>
  );
}

function ClosedLaunch({ kit, onOpen }: { kit: LibraryKitDetail; onOpen: () => void }) {
  return (
    <div className="launch">
      <button type="button" className="button button-large" onClick={onOpen}>
        Launch campaign
      </button>
      <p className="muted small">
        {kit.approvalRequired
          ? 'Vendor marketing approves campaigns from this kit before they can be sent.'
          : 'Choose a contact list and when to send it.'}
      </p>
    </div>
  );
}

/** Kit and content are done on the page above; the wizard walks the last three steps. */
function WizardSteps({ step }: { step: Step }) {
  const current = STEPS.findIndex((candidate) => candidate.key === step);
  return (
    <ol className="wizard-steps">
      {STEPS.map((candidate, index) => (
        <li
          key={candidate.key}
          className={index < current ? 'wizard-step-done' : undefined}
          aria-current={index === current ? 'step' : undefined}
        >
          {candidate.label}
        </li>
      ))}
    </ol>
  );
}

type AudienceProps = {
  name: string;
  onName: (name: string) => void;
  list: ContactList | undefined;
  lists: Resource<ContactList[]>;
  onList: (listId: string) => void;
  errors: Record<string, string>;
  onBack: () => void;
  onNext: () => void;
};

function AudienceStep({ name, onName, list, lists, onList, errors, onBack, onNext }: AudienceProps) {
  const id = useId();
  const available = lists.status === 'success' ? lists.data : [];
  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onNext();
      }}
    >
      <Field formId={id} name="name" label="Campaign name" error={errors.name}>
        {(control) => (
          <input {...control} type="text" value={name} onChange={(event) => onName(event.target.value)} />
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
              value={list?.id ?? ''}
              disabled={lists.status !== 'success'}
              onChange={(event) => onList(event.target.value)}
            >
              {available.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name} ({option.memberCount})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <p className="muted small">Suppressed and unsubscribed people on the list are skipped.</p>
      <div className="actions">
        <button type="submit" className="button" disabled={list === undefined || name.trim() === ''}>
          Next: schedule
        </button>
        <button type="button" className="button button-quiet" onClick={onBack}>
          Cancel
        </button>
      </div>
    </form>
  );
}
