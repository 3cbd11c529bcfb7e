import { type FormEvent, useId, useState } from 'react';
import { ApiError, type Problem } from '../api/problem.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView, ProblemView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useMe } from '../me-context.tsx';
import { useResource } from '../use-resource.ts';
import { type LeadRules, LeadsSections, RULE_LABELS } from './leads-shared.tsx';

type RulesInput = LeadRules['rules'];

/** The form's text for the list fields: one field name per comma, one domain per line. */
type Draft = {
  rules: RulesInput;
  fields: string;
  allowDomains: string;
  windowDays: string;
};

const draftOf = (rules: LeadRules): Draft => ({
  rules: rules.rules,
  fields: rules.rules.requiredFields.fields.join(', '),
  allowDomains: rules.rules.businessEmail.allowDomains.join('\n'),
  windowDays: String(rules.rules.notDuplicate.windowDays),
});

const splitList = (text: string, separator: RegExp) =>
  text
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');

/** The request body; what the API validates (names, domains, the window) it names back if wrong. */
const inputOf = (draft: Draft): RulesInput => ({
  requiredFields: { ...draft.rules.requiredFields, fields: splitList(draft.fields, /[,\s]+/) },
  businessEmail: {
    ...draft.rules.businessEmail,
    allowDomains: splitList(draft.allowDomains, /[\s,]+/).map((domain) => domain.toLowerCase()),
  },
  consent: draft.rules.consent,
  notDuplicate: { ...draft.rules.notDuplicate, windowDays: Number(draft.windowDays.trim()) },
});

const WHOLE_DAYS = /^\d{1,3}$/;

/** The first message the API gave for a path under `prefix` (`body.rules.requiredFields.fields.2`). */
const errorUnder = (problem: Problem | null, prefix: string) =>
  problem?.errors?.find(
    (e) => e.path === `body.rules.${prefix}` || e.path.startsWith(`body.rules.${prefix}.`),
  )?.message;

/** Marketing's qualification rules: which apply to new submissions, saved without a deploy. */
export function LeadsRulesPage() {
  const client = useApi();
  const me = useMe();
  const rules = useResource('lead-rules', async (signal) => {
    const response = await client.api['lead-rules'].$get({}, { init: { signal } });
    return response.json();
  });
  return (
    <>
      <PageHeader
        title="Qualification rules"
        description="Which checks decide whether a new lead is qualified. Changes apply to the next submission; leads already judged keep the rules version that judged them."
      />
      <LeadsSections role={me.user.role} />
      {rules.status === 'error' ? (
        <ErrorView error={rules.error} onRetry={rules.reload} />
      ) : rules.status === 'loading' ? (
        <SkeletonLines lines={6} label="Loading the rules…" />
      ) : (
        <RulesForm key={rules.data.version} rules={rules.data} onReload={rules.reload} />
      )}
    </>
  );
}

function RulesForm({ rules, onReload }: { rules: LeadRules; onReload: () => void }) {
  const client = useApi();
  const id = useId();
  const [current, setCurrent] = useState(rules);
  const [draft, setDraft] = useState(() => draftOf(rules));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const [windowText, setWindowText] = useState<string | undefined>(undefined);
  const set = (rules: RulesInput) => setDraft({ ...draft, rules });
  const toggle = <K extends keyof RulesInput>(rule: K, enabled: boolean) =>
    set({ ...draft.rules, [rule]: { ...draft.rules[rule], enabled } });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    setProblem(null);
    setOtherError(null);
    // The one check made here: a window that is not a whole number would reach the API as no number at all.
    setWindowText(
      WHOLE_DAYS.test(draft.windowDays.trim()) ? undefined : 'Enter a whole number of days, 1 to 365.',
    );
    if (!WHOLE_DAYS.test(draft.windowDays.trim())) return;
    setBusy(true);
    try {
      const response = await client.api['lead-rules'].$put({
        header: { 'if-match': `"${current.version}"` },
        json: { rules: inputOf(draft) },
      });
      const next = await response.json();
      setCurrent(next);
      setDraft(draftOf(next));
      setSaved(true);
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOtherError(error);
    } finally {
      setBusy(false);
    }
  }

  const enabledBox = (rule: keyof RulesInput, description: string) => (
    <label className="rule-toggle">
      <input
        type="checkbox"
        checked={draft.rules[rule].enabled}
        onChange={(event) => toggle(rule, event.target.checked)}
        data-testid={`rule-enabled-${rule}`}
      />
      <span>
        <strong>{RULE_LABELS[rule]}</strong>
        <span className="muted small">{description}</span>
      </span>
    </label>
  );
  const errorText = (message: string | undefined, name: string) =>
    message && (
      <p className="field-error" id={`${id}-${name}-error`}>
        {message}
      </p>
    );

  const fieldsError = errorUnder(problem, 'requiredFields');
  const domainsError = errorUnder(problem, 'businessEmail');
  const windowError = windowText ?? errorUnder(problem, 'notDuplicate');
  return (
    <form
      className="card form rules-form"
      onSubmit={onSubmit}
      noValidate
      aria-busy={busy}
      data-testid="rules-form"
    >
      <p className="muted small" data-testid="rules-version">
        Version {current.version}
      </p>
      {problem && <ProblemView problem={problem} />}
      {problem?.status === 412 && (
        <p className="stale-hint">
          Someone changed the rules after you opened them.{' '}
          <button type="button" className="button button-secondary button-small" onClick={onReload}>
            Load the latest rules
          </button>
        </p>
      )}
      {otherError !== null && <ErrorView error={otherError} />}
      {saved && (
        <div className="callout callout-success" role="status" data-testid="rules-saved">
          <p className="callout-title">
            Rules saved: version {current.version} applies to the next submission
          </p>
        </div>
      )}

      <fieldset className="rule">
        <legend>{enabledBox('requiredFields', 'Every field named here must be filled in.')}</legend>
        <div className="field">
          <label htmlFor={`${id}-fields`}>Required fields</label>
          <input
            id={`${id}-fields`}
            value={draft.fields}
            disabled={!draft.rules.requiredFields.enabled}
            spellCheck={false}
            aria-invalid={fieldsError !== undefined}
            aria-describedby={fieldsError ? `${id}-fields-error` : `${id}-fields-hint`}
            onChange={(event) => setDraft({ ...draft, fields: event.target.value })}
          />
          <p className="field-help" id={`${id}-fields-hint`}>
            The kit’s form field names, separated by commas: email, first_name, last_name, company…
          </p>
          {errorText(fieldsError, 'fields')}
        </div>
      </fieldset>

      <fieldset className="rule">
        <legend>
          {enabledBox('businessEmail', 'The address is not at a free-mail or disposable provider.')}
        </legend>
        <fieldset className="choice-group rule-choice">
          <legend>Free-mail list</legend>
          {(
            [
              ['all', 'Every known free-mail provider (strict)'],
              ['common', 'Only the big consumer providers (Gmail, Outlook, Yahoo…)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="choice">
              <input
                type="radio"
                name={`${id}-freemail`}
                value={value}
                checked={draft.rules.businessEmail.freeMail === value}
                disabled={!draft.rules.businessEmail.enabled}
                onChange={() =>
                  set({ ...draft.rules, businessEmail: { ...draft.rules.businessEmail, freeMail: value } })
                }
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-allow`}>Domains to treat as business anyway</label>
          <textarea
            id={`${id}-allow`}
            rows={3}
            value={draft.allowDomains}
            disabled={!draft.rules.businessEmail.enabled}
            spellCheck={false}
            aria-invalid={domainsError !== undefined}
            aria-describedby={domainsError ? `${id}-allow-error` : `${id}-allow-hint`}
            onChange={(event) => setDraft({ ...draft, allowDomains: event.target.value })}
          />
          <p className="field-help" id={`${id}-allow-hint`}>
            One domain per line. Never lifts a disposable domain.
          </p>
          {errorText(domainsError, 'allow')}
        </div>
      </fieldset>

      <fieldset className="rule">
        <legend>{enabledBox('consent', 'The consent box was ticked and the text shown is recorded.')}</legend>
      </fieldset>

      <fieldset className="rule">
        <legend>
          {enabledBox('notDuplicate', 'The same person has no lead for the same campaign recently.')}
        </legend>
        <div className="field rule-window">
          <label htmlFor={`${id}-window`}>Duplicate window (days)</label>
          <input
            id={`${id}-window`}
            inputMode="numeric"
            value={draft.windowDays}
            disabled={!draft.rules.notDuplicate.enabled}
            aria-invalid={windowError !== undefined}
            aria-describedby={windowError ? `${id}-window-error` : undefined}
            onChange={(event) => setDraft({ ...draft, windowDays: event.target.value })}
          />
          {errorText(windowError, 'window')}
        </div>
      </fieldset>

      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : 'Save rules'}
        </button>
      </div>
    </form>
  );
}
