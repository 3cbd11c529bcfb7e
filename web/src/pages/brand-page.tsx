import { type DragEvent, type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { z } from 'zod';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import type { Brand, BrandInput } from '../api/types.ts';
import { useApi, useUpload } from '../auth/auth-context.tsx';
import { ErrorView, ProblemView } from '../components/error-view.tsx';
import { Field } from '../components/field.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { SendingDomainPanel } from '../components/sending-domain-panel.tsx';
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
      {brand.status === 'success' && <SendingDomainPanel />}
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
        {colour('primaryColour', 'Primary colour')}
        {colour('secondaryColour', 'Secondary colour')}
      </div>
      <LogoField
        logoUrl={values.logoUrl}
        companyName={values.companyName}
        hasProfile={current !== null}
        error={errors.logoUrl}
        onChange={(logoUrl, stored) => {
          setValues((latest) => ({ ...latest, logoUrl }));
          // Only the logo changed since this form was read: carry on from the new version. If
          // anything else moved too, keep the old one so saving asks to load the latest.
          if (current && stored && stored.version === current.version + 1) {
            setCurrent({ ...current, logoUrl, ...stored });
          }
        }}
      />
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

// ---- logo -----------------------------------------------------------------------------

/** Email headers show logos at a few hundred pixels: the portal sends at most this width. */
const LOGO_MAX_WIDTH = 600;
/** The API's limit on a logo upload (functions/brand/schema.ts `LOGO_LIMITS.bytes`). */
const LOGO_UPLOAD_BYTES = 1024 * 1024;

/** A logo upload goes over XMLHttpRequest, outside the typed client: its answer is parsed here. */
const LogoUploadedSchema = z.object({
  logoUrl: z.string(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
  brand: z.object({ version: z.number(), updatedAt: z.string() }).nullable(),
});

/** The profile as stored after a logo change: its version and time (null without a profile). */
type StoredVersion = { version: number; updatedAt: string } | null;

const canvasBlob = (canvas: HTMLCanvasElement, type: string, quality?: number) =>
  new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, quality));

/**
 * The picked image redrawn at most 600 px wide (aspect ratio and transparency kept) as PNG, or
 * WebP when that is smaller. Redrawing also drops metadata (EXIF, GPS) and turns an SVG or a
 * GIF into a still raster image, the only kind the API takes.
 */
export async function downscaleLogo(file: Blob): Promise<Blob> {
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    try {
      await image.decode();
    } catch {
      throw new Error('This file is not an image the browser can read. Choose a PNG, JPEG, WebP or SVG.');
    }
    if (image.naturalWidth === 0 || image.naturalHeight === 0) {
      throw new Error('This image has no size (an SVG without width and height?). Export it as PNG.');
    }
    const scale = Math.min(1, LOGO_MAX_WIDTH / image.naturalWidth);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('This browser cannot resize images.');
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const png = await canvasBlob(canvas, 'image/png');
    if (png === null) throw new Error('The image could not be converted.');
    const webp = await canvasBlob(canvas, 'image/webp', 0.9);
    // Browsers without a WebP encoder answer PNG for image/webp: keep the real PNG then.
    return webp !== null && webp.type === 'image/webp' && webp.size < png.size ? webp : png;
  } finally {
    URL.revokeObjectURL(url);
  }
}

type LogoFieldProps = {
  logoUrl: string | null;
  companyName: string;
  hasProfile: boolean;
  /** The PUT's field error for `body.logoUrl`, if any. */
  error: string | undefined;
  onChange: (logoUrl: string | null, stored: StoredVersion) => void;
};

type LogoState =
  | { phase: 'idle' }
  | { phase: 'busy'; message: string }
  | { phase: 'done'; message: string }
  | { phase: 'failed'; problem: Problem };

const localProblem = (detail: string): Problem => ({
  title: 'This logo cannot be used',
  status: 400,
  detail,
});

/**
 * The logo: a preview, a file picker and a drop zone. The image is downscaled here, uploaded
 * (POST /api/brand/logo, which sets only the profile's logo), and can be removed again.
 */
function LogoField({ logoUrl, companyName, hasProfile, error, onChange }: LogoFieldProps) {
  const client = useApi();
  const upload = useUpload();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<LogoState>({ phase: 'idle' });
  const [dragging, setDragging] = useState(false);
  const busy = state.phase === 'busy';

  async function send(file: File) {
    setState({ phase: 'busy', message: 'Resizing…' });
    try {
      const image = await downscaleLogo(file);
      if (image.size > LOGO_UPLOAD_BYTES) {
        setState({
          phase: 'failed',
          problem: localProblem(
            `Even at ${LOGO_MAX_WIDTH} px wide this image is ${Math.ceil(image.size / 1024)} KB; a logo may be at most 1024 KB. Try a simpler image.`,
          ),
        });
        return;
      }
      setState({ phase: 'busy', message: 'Uploading…' });
      const response = await upload('/api/brand/logo', image, {
        contentType: image.type,
        onProgress: () => {},
      });
      const result = LogoUploadedSchema.parse(await response.json());
      onChange(result.logoUrl, result.brand);
      setState({
        phase: 'done',
        message: result.brand
          ? `Logo saved (${result.width}×${result.height} px).`
          : `Logo uploaded (${result.width}×${result.height} px): save your profile to use it.`,
      });
    } catch (caught) {
      if (caught instanceof ApiError) setState({ phase: 'failed', problem: caught.problem });
      else
        setState({
          phase: 'failed',
          problem: localProblem(caught instanceof Error ? caught.message : String(caught)),
        });
    }
  }

  async function remove() {
    if (!hasProfile) {
      onChange(null, null);
      setState({ phase: 'idle' });
      return;
    }
    setState({ phase: 'busy', message: 'Removing…' });
    try {
      const response = await client.api.brand.logo.$delete();
      const brand = await response.json();
      onChange(null, brand);
      setState({ phase: 'done', message: 'Logo removed.' });
    } catch (caught) {
      if (caught instanceof ApiError) setState({ phase: 'failed', problem: caught.problem });
      else setState({ phase: 'failed', problem: localProblem(String(caught)) });
    }
  }

  function picked(files: FileList | null) {
    const file = files?.[0];
    if (file !== undefined && !busy) void send(file);
  }

  const handlers = {
    onDragOver: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      event.dataTransfer.dropEffect = busy ? 'none' : 'copy';
      setDragging(true);
    },
    onDragLeave: (event: DragEvent<HTMLElement>) => {
      const to = event.relatedTarget;
      if (!(to instanceof Node && event.currentTarget.contains(to))) setDragging(false);
    },
    onDrop: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      setDragging(false);
      picked(event.dataTransfer.files);
    },
  };

  return (
    <fieldset
      className={`drop-zone brand-logo${dragging ? ' drop-zone-active' : ''}${busy ? ' drop-zone-busy' : ''}`}
      data-testid="brand-logo"
      aria-busy={busy}
      aria-invalid={error !== undefined}
      {...handlers}
    >
      <legend className="drop-title">Logo</legend>
      {logoUrl ? (
        <img
          src={logoUrl}
          alt={`${companyName || 'Your'} logo`}
          data-testid="brand-logo-preview"
          style={{ display: 'block', maxWidth: '100%', maxHeight: '6rem', margin: '0 auto 0.75rem' }}
        />
      ) : (
        <p className="muted" data-testid="brand-logo-empty">
          No logo yet: campaigns show your company name instead.
        </p>
      )}
      <p className="muted small drop-hint">
        Drag an image here or choose one (PNG, JPEG, WebP or SVG). It is resized to at most {LOGO_MAX_WIDTH}{' '}
        px wide in your browser and stored as PNG or WebP.
      </p>
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => input.current?.click()}
        >
          {logoUrl ? 'Replace logo' : 'Choose an image'}
        </button>
        {logoUrl && (
          <button
            type="button"
            className="button button-quiet"
            disabled={busy}
            data-testid="brand-logo-remove"
            onClick={() => void remove()}
          >
            Remove logo
          </button>
        )}
      </div>
      <input
        ref={input}
        type="file"
        accept="image/png,image/jpeg,image/webp,image/gif,image/svg+xml"
        hidden
        tabIndex={-1}
        aria-label="Logo image file"
        data-testid="brand-logo-input"
        onChange={(event) => {
          picked(event.currentTarget.files);
          event.currentTarget.value = '';
        }}
      />
      {(state.phase === 'busy' || state.phase === 'done') && (
        <p className="small" role="status" data-testid="brand-logo-status">
          {state.message}
        </p>
      )}
      {state.phase === 'failed' && <ProblemView problem={state.problem} />}
      {error !== undefined && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
