import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import { type Partner, REGION_LABELS, REGIONS, type Region, TIERS, type Tier } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView, ProblemView } from '../components/error-view.tsx';
import { Field } from '../components/field.tsx';

type PartnerFormProps = {
  /** Edit this partner (PATCH with If-Match) instead of creating a new one. */
  partner?: Partner;
  onSaved: (partner: Partner) => void;
  onCancel: () => void;
  /** Values typed before a reload, laid over the partner's own. */
  draft?: Partial<Values>;
  /** After a 412 (someone else changed the partner): reopen on the latest version, keeping the edits. */
  onReloaded?: (latest: Partner, draft: Partial<Values>) => void;
};

export type Values = { name: string; tier: Tier; region: Region };

function isTier(value: string): value is Tier {
  return TIERS.some((tier) => tier === value);
}

function isRegion(value: string): value is Region {
  return REGIONS.some((region) => region === value);
}

const FIELDS = ['name', 'tier', 'region'] as const;

/** Only what the user changed goes into a PATCH. */
function changesFrom(partner: Partner, values: Values): Partial<Values> {
  const changes: Partial<Values> = {};
  if (values.name !== partner.name) changes.name = values.name;
  if (values.tier !== partner.tier) changes.tier = values.tier;
  if (values.region !== partner.region) changes.region = values.region;
  return changes;
}

/**
 * Create or edit a partner. Validation is the API's: the form posts what was typed and shows
 * the problem+json `errors[]` beside the fields they name.
 */
export function PartnerForm({ partner, draft, onSaved, onCancel, onReloaded }: PartnerFormProps) {
  const client = useApi();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Values>({
    name: partner?.name ?? '',
    tier: partner?.tier ?? 'registered',
    region: partner?.region ?? 'NA',
    ...draft,
  });
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const errors = problem === null ? {} : fieldErrors(problem);
  const editing = partner !== undefined;
  const unchanged = partner !== undefined && Object.keys(changesFrom(partner, values)).length === 0;
  const stale = editing && problem?.status === 412 && onReloaded !== undefined;

  async function loadLatest(): Promise<void> {
    if (partner === undefined || onReloaded === undefined) return;
    setSubmitting(true);
    try {
      const response = await client.api.partners[':partnerId'].$get({ param: { partnerId: partner.id } });
      onReloaded(await response.json(), changesFrom(partner, values));
    } catch (error) {
      setProblem(null);
      setOtherError(error);
      setSubmitting(false);
    }
  }

  async function save(): Promise<Partner> {
    if (partner === undefined) {
      const response = await client.api.partners.$post({ json: values });
      return response.json();
    }
    const response = await client.api.partners[':partnerId'].$patch({
      param: { partnerId: partner.id },
      json: changesFrom(partner, values),
      header: { 'if-match': `"${partner.version}"` },
    });
    return response.json();
  }

  function focusFirstInvalid(failure: Problem): void {
    const invalid = FIELDS.find((field) => fieldErrors(failure)[field] !== undefined);
    if (invalid !== undefined) formRef.current?.querySelector<HTMLElement>(`[name="${invalid}"]`)?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setProblem(null);
    setOtherError(null);
    try {
      onSaved(await save());
    } catch (error) {
      if (error instanceof ApiError) {
        setProblem(error.problem);
        focusFirstInvalid(error.problem);
      } else {
        setOtherError(error);
      }
    } finally {
      setSubmitting(false);
    }
  }

  const setTier = (tier: string) => {
    if (isTier(tier)) setValues({ ...values, tier });
  };
  const setRegion = (region: string) => {
    if (isRegion(region)) setValues({ ...values, region });
  };

  return (
    <form
      ref={formRef}
      className="card form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby={`${id}-title`}
      aria-busy={submitting}
    >
      <h2 id={`${id}-title`}>{editing ? `Edit ${partner.name}` : 'Add a partner'}</h2>
      {problem && <ProblemView problem={problem} />}
      {stale && (
        <p className="stale-hint">
          Someone changed this partner after you opened it.{' '}
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => void loadLatest()}
          >
            Load the latest version
          </button>
        </p>
      )}
      {otherError !== null && <ErrorView error={otherError} />}
      <div className="form-grid">
        <Field formId={id} name="name" label="Name" error={errors.name}>
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="organization"
              aria-required="true"
              value={values.name}
              onChange={(event) => setValues({ ...values, name: event.target.value })}
            />
          )}
        </Field>
        <Field formId={id} name="tier" label="Tier" error={errors.tier}>
          {(control) => (
            <select {...control} value={values.tier} onChange={(event) => setTier(event.target.value)}>
              {TIERS.map((tier) => (
                <option key={tier} value={tier}>
                  {tier.charAt(0).toUpperCase() + tier.slice(1)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={id} name="region" label="Region" error={errors.region}>
          {(control) => (
            <select {...control} value={values.region} onChange={(event) => setRegion(event.target.value)}>
              {REGIONS.map((region) => (
                <option key={region} value={region}>
                  {REGION_LABELS[region]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="button" disabled={submitting || unchanged}>
          {submitting ? 'Saving…' : editing ? 'Save changes' : 'Create partner'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submitting}>
          Cancel
        </button>
      </div>
    </form>
  );
}
