import Handlebars from 'handlebars';
import type { FormField, KitManifest } from './manifest';
import { type brandFields, helperKinds, type TemplateKind } from './vocabulary';

/**
 * Rendering a kit for a partner (and, later, for each recipient). Templates are compiled once
 * per kit version in a private Handlebars environment that knows only our helpers
 * (`knownHelpersOnly`), with prototype access left off; every value is escaped.
 */
export type BrandValues = Record<(typeof brandFields)[number], string> & { postal_address: string };

export interface RenderInput {
  slots: Record<string, string>;
  brand: BrandValues;
  vendor: { name: string; website: string };
  recipient?: { first_name: string; last_name: string; company: string };
  unsubscribeUrl: string;
  landingUrl: string;
  /** Turns a URL into its tracked form; the index is the link's position in the message. */
  trackLink: (url: string, index: number) => string;
  assetUrl: (name: string) => string;
  /** Where the landing page's lead form posts. */
  formAction: string;
  /**
   * Hidden fields the lead form carries back (the visit's UTM parameters, the click it came
   * from, when the page was shown): names `ck_*` or `utm_*`, values escaped.
   */
  formHidden?: Readonly<Record<string, string>> | undefined;
}

export interface RenderedKit {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  landing: string;
  social: Record<string, string>;
  /** The landing form's consent text as the page shows it (recorded with each lead). */
  consent: string;
  /** The links the email contains, in order: the only targets the click redirect will follow. */
  links: string[];
}

type Template = HandlebarsTemplateDelegate;

export interface CompiledKit {
  manifest: KitManifest;
  subject: Template;
  preheader: Template | undefined;
  html: Template;
  text: Template;
  landing: Template;
  consent: Template;
  social: Record<string, Template>;
}

interface RenderState {
  kind: TemplateKind;
  input: RenderInput;
  manifest: KitManifest;
  links: string[];
  consent: string;
}

const hb = Handlebars.create();
const { escapeExpression, SafeString } = hb;

const stateOf = (options: Handlebars.HelperOptions): RenderState => {
  const state: unknown = options.data?.root?.$render;
  if (!state || typeof state !== 'object') throw new Error('kit helpers need a render state');
  return state as RenderState;
};

/** Helpers get the options object last; the values before it are the template's arguments. */
const args = (values: unknown[]): { params: unknown[]; options: Handlebars.HelperOptions } => {
  const options = values.at(-1) as Handlebars.HelperOptions;
  return { params: values.slice(0, -1), options };
};

const text = (value: unknown): string =>
  typeof value === 'string' ? value : value == null ? '' : String(value);

/** Links are https; plain http only to this machine (the embedded runtime's own pages). */
const TRACKABLE = /^(https:\/\/|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/)/i;

hb.registerHelper('link', (...values: unknown[]) => {
  const { params, options } = args(values);
  const state = stateOf(options);
  const url = text(params[0]);
  if (!TRACKABLE.test(url)) return '';
  state.links.push(url);
  return state.input.trackLink(url, state.links.length - 1);
});

hb.registerHelper('asset', (...values: unknown[]) => {
  const { params, options } = args(values);
  return stateOf(options).input.assetUrl(text(params[0]));
});

hb.registerHelper('fallback', (...values: unknown[]) => {
  const { params } = args(values);
  const value = params[0];
  const shown = value instanceof SafeString ? value.toString() : text(value);
  return shown.trim() ? value : text(params[1]);
});

/** Intl formatters are costly to build (tens of µs): one per locale and style, reused. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const formattedDates = new Map<string, string>();
const dateFormat = (locale: string, style: string) => {
  const key = `${locale}|${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      dateStyle: style === 'short' ? 'medium' : 'full',
    });
    dateFormats.set(key, format);
  }
  return format;
};

hb.registerHelper('format_date', (...values: unknown[]) => {
  const { params, options } = args(values);
  const value = text(params[0]);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const style = text(params[1]) || 'long';
  if (style === 'iso') return value;
  const locale = stateOf(options).manifest.tags.language;
  // Formatting costs microseconds and a campaign's dates are the same for every recipient.
  const key = `${locale}|${style}|${value}`;
  let formatted = formattedDates.get(key);
  if (formatted === undefined) {
    formatted = dateFormat(locale, style).format(new Date(`${value}T00:00:00Z`));
    if (formattedDates.size >= 1000) formattedDates.clear();
    formattedDates.set(key, formatted);
  }
  return formatted;
});

hb.registerHelper('postal_address', (...values: unknown[]) => {
  const { options } = args(values);
  const state = stateOf(options);
  const lines = state.input.brand.postal_address
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (state.kind === 'text') return lines.join('\n');
  return new SafeString(lines.map(escapeExpression).join('<br>'));
});

const fieldHtml = (field: FormField): string => {
  const id = `ck-${field.name}`;
  const required = field.required ? ' required' : '';
  const max = field.maxLength ? ` maxlength="${field.maxLength}"` : '';
  const label = `<label for="${id}">${escapeExpression(field.label)}${field.required ? ' <span aria-hidden="true">*</span>' : ''}</label>`;
  switch (field.type) {
    case 'select':
      return `${label}<select id="${id}" name="${field.name}"${required}><option value="">Choose…</option>${(
        field.options ?? []
      )
        .map((o) => `<option value="${escapeExpression(o.value)}">${escapeExpression(o.label)}</option>`)
        .join('')}</select>`;
    case 'textarea':
      return `${label}<textarea id="${id}" name="${field.name}" rows="4"${required}${max}></textarea>`;
    case 'checkbox':
      return `<label class="ck-check"><input type="checkbox" id="${id}" name="${field.name}" value="yes"${required}> ${escapeExpression(field.label)}</label>`;
    default: {
      const autocomplete: Record<string, string> = {
        email: 'email',
        first_name: 'given-name',
        last_name: 'family-name',
        company: 'organization',
        job_title: 'organization-title',
        phone: 'tel',
        country: 'country-name',
      };
      const auto = autocomplete[field.name] ? ` autocomplete="${autocomplete[field.name]}"` : '';
      return `${label}<input type="${field.type}" id="${id}" name="${field.name}"${auto}${required}${max}>`;
    }
  }
};

/** Hidden lead-form fields the platform adds (never a kit's own field names). */
const HIDDEN_FIELD = /^(ck|utm)_[a-z]{1,20}$/;
/** The landing page's one script (served by the landing routes, same origin). */
export const LEAD_FORM_SCRIPT = '/p/-/lead-form.js';

hb.registerHelper('lead_form', (...values: unknown[]) => {
  const { options } = args(values);
  const state = stateOf(options);
  const form = state.manifest.landing.form;
  const fields = form.fields.map((f) => `<div class="ck-field">${fieldHtml(f)}</div>`).join('');
  const hidden = Object.entries(state.input.formHidden ?? {})
    .filter(([name]) => HIDDEN_FIELD.test(name))
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeExpression(value)}">`)
    .join('');
  return new SafeString(
    `<form class="ck-lead-form" method="post" action="${escapeExpression(state.input.formAction)}">${hidden}${fields}` +
      // Honeypot: hidden from people and assistive tech; bots that fill every field give themselves away.
      '<div class="ck-hp" aria-hidden="true" style="position:absolute;left:-10000px"><label>Leave this empty<input type="text" name="website_url" tabindex="-1" autocomplete="off"></label></div>' +
      `<div class="ck-field ck-consent"><label><input type="checkbox" name="consent" value="yes" required> ${escapeExpression(state.consent)}</label></div>` +
      `<button type="submit">${escapeExpression(form.submitLabel)}</button><p class="ck-form-status" role="status" aria-live="polite"></p></form>` +
      // Progressive enhancement: without script the form posts and the server answers a page.
      `<script src="${LEAD_FORM_SCRIPT}" defer></script>`,
  );
});

const knownHelpers = Object.fromEntries(Object.keys(helperKinds).map((name) => [name, true]));
const compileOne = (source: string): Template =>
  hb.compile(source, { knownHelpers, knownHelpersOnly: true, strict: false, preventIndent: true });

/** Compiles every template of a kit version once; the result is cached by the caller. */
export const compileKit = (manifest: KitManifest, sources: ReadonlyMap<string, string>): CompiledKit => {
  const source = (path: string) => {
    const found = sources.get(path);
    if (found === undefined) throw new Error(`missing template ${path}`);
    return found;
  };
  const t = manifest.templates;
  const compiled: CompiledKit = {
    manifest,
    subject: compileOne(source(t.subject)),
    preheader: t.preheader ? compileOne(source(t.preheader)) : undefined,
    html: compileOne(source(t.html)),
    text: compileOne(source(t.text)),
    landing: compileOne(source(t.landing)),
    consent: compileOne(manifest.landing.form.consentText),
    social: Object.fromEntries(
      Object.entries(t.social).map(([name, path]) => [name, compileOne(source(path))]),
    ),
  };
  return compiled;
};

/**
 * Slot values as templates of each kind see them (multiline slots become escaped `<br>` lines in
 * HTML), and the brand without its postal address (the helper renders that): the same for every
 * recipient of a campaign, so computed once per slot-values object and brand object.
 */
interface SharedContext {
  htmlSlots: Record<string, unknown>;
  plainSlots: Record<string, string>;
}
const sharedContexts = new WeakMap<KitManifest, WeakMap<Record<string, string>, SharedContext>>();
const brandsWithoutAddress = new WeakMap<BrandValues, Omit<BrandValues, 'postal_address'>>();

const sharedContext = (manifest: KitManifest, slots: Record<string, string>): SharedContext => {
  let byManifest = sharedContexts.get(manifest);
  if (!byManifest) {
    byManifest = new WeakMap();
    sharedContexts.set(manifest, byManifest);
  }
  let shared = byManifest.get(slots);
  if (!shared) {
    const multiline = new Set(manifest.slots.filter((s) => s.type === 'multiline').map((s) => s.key));
    const htmlSlots = Object.fromEntries(
      Object.entries(slots).map(([key, value]) => [
        key,
        multiline.has(key) ? new SafeString(value.split(/\r?\n/).map(escapeExpression).join('<br>')) : value,
      ]),
    );
    shared = { htmlSlots, plainSlots: slots };
    byManifest.set(slots, shared);
  }
  return shared;
};

const brandWithoutAddress = (brand: BrandValues) => {
  let found = brandsWithoutAddress.get(brand);
  if (!found) {
    const { postal_address: _address, ...rest } = brand;
    found = rest;
    brandsWithoutAddress.set(brand, found);
  }
  return found;
};

const NO_RECIPIENT = Object.freeze({ first_name: '', last_name: '', company: '' });

const contextFor = (kind: TemplateKind, state: Omit<RenderState, 'kind'>) => {
  const shared = sharedContext(state.manifest, state.input.slots);
  return {
    slots: kind === 'html' || kind === 'landing' ? shared.htmlSlots : shared.plainSlots,
    brand: brandWithoutAddress(state.input.brand),
    vendor: state.input.vendor,
    recipient: state.input.recipient ?? NO_RECIPIENT,
    unsubscribe_url: state.input.unsubscribeUrl,
    landing_url: state.input.landingUrl,
    $render: { ...state, kind },
  };
};

const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();

const RUNTIME_OPTIONS = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
const run = (kind: TemplateKind, template: Template, state: Omit<RenderState, 'kind'>) =>
  template(contextFor(kind, state), RUNTIME_OPTIONS);

export type RenderedEmail = Pick<RenderedKit, 'subject' | 'preheader' | 'html' | 'text' | 'links'>;

/** The email's parts only (what a send needs per recipient): no landing page, social posts or consent. */
export const renderEmail = (kit: CompiledKit, input: RenderInput): RenderedEmail => {
  const links: string[] = [];
  const state = { input, manifest: kit.manifest, links, consent: '' };
  return {
    subject: oneLine(run('subject', kit.subject, state)),
    preheader: kit.preheader ? oneLine(run('preheader', kit.preheader, state)) : '',
    html: run('html', kit.html, state),
    text: run('text', kit.text, state),
    links,
  };
};

/** Renders every part of a compiled kit for one partner brand, slot values and (optionally) recipient. */
export const renderKit = (kit: CompiledKit, input: RenderInput): RenderedKit => {
  const email = renderEmail(kit, input);
  const base = { input, manifest: kit.manifest, consent: '' };
  const consent = oneLine(run('consent', kit.consent, { ...base, links: [] }));
  return {
    ...email,
    consent,
    landing: run('landing', kit.landing, { ...base, links: [], consent }),
    social: Object.fromEntries(
      Object.entries(kit.social).map(([name, template]) => [
        name,
        run('social', template, { ...base, links: [] }).trim(),
      ]),
    ),
  };
};
