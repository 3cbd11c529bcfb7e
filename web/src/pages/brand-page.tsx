import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import type { Brand, BrandInput } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView, ProblemView } from '../components/error-view.tsx';
import { Field } from '../components/field.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { useResource } from '../use-resource.ts';

const HEX = /^#[0-9a-fA-F]{6}$/;

const EMPTY: BrandInput = {
  companyName: '',
  logoUrl: null,
  primaryColour: '#1d4ed8',
  secondaryColour: '#b45309',
  website: 'https://',
  phone: '',
  senderName: '',
  replyTo: '',
  postalAddress: ['', ''],
};

type Warning = { path: string; message: string };

function inputOf(brand: Brand): BrandInput {
  const { updatedAt: _updatedAt, version: _version, ...input } = brand;
  return input;
}

/** The partner's brand profile: what every kit shows as `brand.*` in previews and sends. */
export function BrandPage() {
  const client = useApi();
  const brand = useResource('brand', async (signal): Promise<Brand | null> => {
    try {
      const response = await client.api.brand.$get({}, { init: { signal } });
      return await response.json();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  });

  let body: ReactNode;
  if (brand.status === 'loading') body = <SkeletonLines lines={6} label="Loading your brand profile…" />;
  else if (brand.status === 'error') body = <ErrorView error={brand.error} onRetry={brand.reload} />;
  else body = <BrandForm key={brand.data?.version ?? 0} brand={brand.data} onReload={brand.reload} />;

  return (
    <>
      <PageHeader
        title="Brand"
        description="Your logo, colours, sender and postal address: every campaign you send is co-branded with them."
      />
      {body}
    </>
  );
}

type ColourName = 'primaryColour' | 'secondaryColour';
type TextName = 'companyName' | 'website' | 'phone' | 'senderName' | 'replyTo';

function BrandForm({ brand, onReload }: { brand: Brand | null; onReload: () => void }) {
  const client = useApi();
  const id = useId();
  const [current, setCurrent] = useState<Brand | null>(brand);
  const [values, setValues] = useState<BrandInput>(brand ? inputOf(brand) : EMPTY);
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const [warnings, setWarnings] = useState<Warning[]>([]);
  const [saved, setSaved] = useState(false);
  const errors = problem === null ? {} : fieldErrors(problem);
  const addressErrors = problem === null ? {} : addressFieldErrors(problem);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setProblem(null);
    setOtherError(null);
    setSaved(false);
    try {
      const response = await client.api.brand.$put({
        json: { ...values, logoUrl: values.logoUrl?.trim() ? values.logoUrl.trim() : null },
        header: current ? { 'if-match': `"${current.version}"` } : {},
      });
      const result = await response.json();
      setCurrent(result.brand);
      setValues(inputOf(result.brand));
      setWarnings(result.warnings);
      setSaved(true);
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOtherError(error);
    } finally {
      setSubmitting(false);
    }
  }

  const text = (name: TextName, label: string, type = 'text', autoComplete = 'off') => (
    <Field formId={id} name={name} label={label} error={errors[name]}>
      {(control) => (
        <input
          {...control}
          type={type}
          autoComplete={autoComplete}
          value={values[name]}
          onChange={(event) => setValues({ ...values, [name]: event.target.value })}
        />
      )}
    </Field>
  );

  const colour = (name: ColourName, label: string) => (
    <Field formId={id} name={name} label={label} error={errors[name]}>
      {(control) => (
        <div className="colour-input">
          <input
            type="color"
            aria-label={`${label}: colour picker`}
            value={HEX.test(values[name]) ? values[name].toLowerCase() : '#000000'}
            onChange={(event) => setValues({ ...values, [name]: event.target.value })}
          />
          <input
            {...control}
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="#rrggbb"
            value={values[name]}
            onChange={(event) => setValues({ ...values, [name]: event.target.value.trim() })}
          />
        </div>
      )}
    </Field>
  );

  const setLine = (index: number, line: string) =>
    setValues({ ...values, postalAddress: values.postalAddress.map((l, i) => (i === index ? line : l)) });

  return (
    <form
      className="card form brand-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby={`${id}-title`}
      aria-busy={submitting}
      data-testid="brand-form"
    >
      <h2 id={`${id}-title`}>{current ? 'Your brand profile' : 'Set up your brand profile'}</h2>
      {current ? (
        <p className="muted small" data-testid="brand-version">
          Version {current.version}, saved {formatDateTime(current.updatedAt)}
        </p>
      ) : (
        <p className="callout callout-info">
          You have no brand profile yet: campaigns cannot be sent until you save one.
        </p>
      )}
      {problem && <ProblemView problem={problem} />}
      {problem?.status === 412 && (
        <p className="stale-hint">
          Someone changed your brand profile after you opened it.{' '}
          <button type="button" className="button button-secondary button-small" onClick={onReload}>
            Load the latest version
          </button>
        </p>
      )}
      {otherError !== null && <ErrorView error={otherError} />}
      {saved && (
        <div className="callout callout-success" role="status" data-testid="brand-saved">
          <p className="callout-title">Brand profile saved</p>
        </div>
      )}
      {warnings.length > 0 && (
        <div className="callout callout-info" role="status" data-testid="brand-warnings">
          <p className="callout-title">Contrast warnings</p>
          <ul className="problem-errors">
            {warnings.map((warning) => (
              <li
                key={`${warning.path}:${warning.message}`}
                data-testid="brand-warning"
                data-path={warning.path}
              >
                <code>{warning.path}</code> {warning.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="form-grid brand-grid">
        {text('companyName', 'Company name', 'text', 'organization')}
        {text('senderName', 'Sender name')}
        {text('replyTo', 'Reply-to email', 'email', 'email')}
        {text('website', 'Website', 'url', 'url')}
        {text('phone', 'Phone', 'tel', 'tel')}
        <Field formId={id} name="logoUrl" label="Logo URL (optional)" error={errors.logoUrl}>
          {(control) => (
            <div className="image-input">
              <input
                {...control}
                type="url"
                placeholder="https://… an image URL"
                value={values.logoUrl ?? ''}
                onChange={(event) => setValues({ ...values, logoUrl: event.target.value })}
              />
              {values.logoUrl?.startsWith('https://') && (
                <img src={values.logoUrl} alt="" className="image-input-thumb" />
              )}
            </div>
          )}
        </Field>
        {colour('primaryColour', 'Primary colour')}
        {colour('secondaryColour', 'Secondary colour')}
      </div>
      <fieldset className="address-lines">
        <legend>Postal address (2–6 lines, shown in every email)</legend>
        {errors.postalAddress && <p className="field-error">{errors.postalAddress}</p>}
        {values.postalAddress.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the lines are positional
          <div className="address-line" key={index}>
            <label htmlFor={`${id}-address-${index}`} className="visually-hidden">
              Address line {index + 1}
            </label>
            <input
              id={`${id}-address-${index}`}
              type="text"
              placeholder={`Line ${index + 1}`}
              value={line}
              aria-invalid={addressErrors[index] !== undefined}
              onChange={(event) => setLine(index, event.target.value)}
            />
            <button
              type="button"
              className="button button-quiet button-small"
              disabled={values.postalAddress.length <= 2}
              aria-label={`Remove address line ${index + 1}`}
              onClick={() =>
                setValues({ ...values, postalAddress: values.postalAddress.filter((_, i) => i !== index) })
              }
            >
              Remove
            </button>
            {addressErrors[index] && <p className="field-error">{addressErrors[index]}</p>}
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={values.postalAddress.length >= 6}
          onClick={() => setValues({ ...values, postalAddress: [...values.postalAddress, ''] })}
        >
          Add a line
        </button>
      </fieldset>
      <div
        className="brand-sample"
        style={{ borderColor: values.primaryColour }}
        aria-label="Colour sample"
        role="img"
      >
        <span style={{ background: values.primaryColour }} className="brand-sample-bar">
          {values.companyName || 'Your company'}
        </span>
        <span style={{ background: values.secondaryColour }} className="brand-sample-button">
          Register now
        </span>
      </div>
      <div className="actions">
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? 'Saving…' : 'Save brand profile'}
        </button>
      </div>
    </form>
  );
}

/** `body.postalAddress.2` → line 2's message. */
function addressFieldErrors(problem: Problem): Record<number, string> {
  const result: Record<number, string> = {};
  for (const error of problem.errors ?? []) {
    const match = /postalAddress[./](\d+)/.exec(error.path);
    if (match?.[1] !== undefined) result[Number(match[1])] = error.message;
  }
  return result;
}
