import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Campaign } from '#functions/campaigns/schema';
import type { FormField, KitManifest } from '#functions/kits/manifest';
import type { SendRecords } from '#functions/sending/send-records';
import type { TokenSigner } from '#functions/sending/tokens';
import { ConflictError, type FieldError, PreconditionFailedError } from '#platform/errors';
import { type TransactAction, TransactionConflictError } from '#platform/table';
import type { AccountKeys } from './account-keys';
import { creditByModel, mergeTouches, partnerAttribution, type Touch } from './attribution';
import { businessDomainOf, type EmailClasses } from './email-classes';
import { decideLeadEql, type FindAccountMatches } from './eql';
import type { PublishLeadEvent } from './lead-events';
import type { ConsentRecord, Lead } from './lead-schema';
import type { LeadStore } from './lead-store';
import { normaliseEmail } from './normalise';
import { type QualificationConfig, qualify } from './qualification';
import type { SubmissionLimiter } from './submission-limits';

/**
 * Lead capture: a landing form's submission becomes a lead (or a new touch on the lead the same
 * address already has), with its three answers computed on the spot: partner attribution from
 * the touches, qualification by marketing's rules, EQL from the account lists. The lead is
 * stored before anything else happens; the partner's notification and the CRM webhooks follow
 * from the published event and can never lose it.
 */
export const HONEYPOT = 'website_url';
const MAX_TOUCHES = 200;
const MAX_CONSENTS = 50;
const DEFAULT_MAX_LENGTH = 200;

export interface LandingFacts {
  manifest: KitManifest;
  /** The consent text as the page shows it (the kit's text with the partner's brand). */
  consent: string;
  /** The landing page's public URL. */
  page: string;
}

export interface SubmissionMeta {
  /** The client address, hashed by the limiter; never stored with the lead. */
  clientAddress: string;
  /** The signed click token the email's redirect passed to the page (`ck_click`). */
  clickToken?: string | undefined;
  /** The page's signed render time (`ck_shown`). */
  shownToken?: string | undefined;
  utm?: Touch['utm'];
}

export interface CaptureDeps {
  leads: LeadStore;
  landing: (campaign: Campaign) => Promise<LandingFacts>;
  tokens: Pick<TokenSigner, 'verify'>;
  records?: Pick<SendRecords, 'get'> | undefined;
  /** Signs and checks the page's render time (`ck_shown`). */
  formKey: string;
  emailClasses: () => Promise<EmailClasses>;
  accountKeys: AccountKeys;
  findMatches: FindAccountMatches;
  rules: () => Promise<QualificationConfig>;
  publish: PublishLeadEvent;
  limiter: SubmissionLimiter;
  clock: () => Date;
  newId: () => string;
  logger: { warn(message: string, extra?: Record<string, unknown>): void };
}

export type CaptureOutcome =
  | { kind: 'captured' | 'merged'; lead: Lead }
  /** The honeypot was filled: answered like a success, nothing stored. */
  | { kind: 'bot' }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'limited'; retryAfterSeconds: number };

/** `ck_shown`: when the page was rendered, signed so a form cannot claim another time. */
export const signShown = (key: string, campaignId: string, at: Date): string => {
  const seconds = Math.floor(at.getTime() / 1000).toString(36);
  const mac = createHmac('sha256', key)
    .update(`lead-form-shown.${campaignId}.${seconds}`)
    .digest('base64url');
  return `${seconds}.${mac.slice(0, 22)}`;
};

const verifyShown = (key: string, campaignId: string, token: string | undefined, now: Date): Date | null => {
  const [seconds, mac, extra] = (token ?? '').split('.');
  if (!seconds || !mac || extra !== undefined || !/^[0-9a-z]{1,10}$/.test(seconds)) return null;
  const at = new Date(Number.parseInt(seconds, 36) * 1000);
  const expected = signShown(key, campaignId, at).split('.')[1] ?? '';
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) return null;
  // A page shown in the future, or more than a week ago, says nothing reliable.
  const age = now.getTime() - at.getTime();
  return age < -60_000 || age > 7 * 86_400_000 ? null : at;
};

const fieldError = (name: string, message: string): FieldError => ({ path: `body.${name}`, message });

const checkField = (field: FormField, raw: string | undefined): FieldError | undefined => {
  const value = (raw ?? '').trim();
  if (value === '') return field.required ? fieldError(field.name, 'is required') : undefined;
  const max = field.maxLength ?? (field.type === 'textarea' ? 2000 : DEFAULT_MAX_LENGTH);
  if (value.length > max) return fieldError(field.name, `is longer than ${max} characters`);
  if (field.type === 'email' && normaliseEmail(value) === undefined) {
    return fieldError(field.name, 'is not an email address');
  }
  if (field.type === 'select' && !(field.options ?? []).some((o) => o.value === value)) {
    return fieldError(field.name, 'is not one of the choices');
  }
  if (field.type === 'tel' && !/^[+0-9 ().-]{3,40}$/.test(value)) {
    return fieldError(field.name, 'is not a phone number');
  }
  return undefined;
};

/** The kit's declared fields, checked; anything the kit did not declare is dropped. */
export const readSubmission = (
  fields: readonly FormField[],
  form: Readonly<Record<string, string>>,
): { values: Record<string, string>; errors: FieldError[] } => {
  const errors: FieldError[] = [];
  const values: Record<string, string> = {};
  for (const field of fields) {
    const error = checkField(field, form[field.name]);
    if (error) errors.push(error);
    else if (field.type === 'checkbox') values[field.name] = form[field.name] ? 'yes' : 'no';
    else if ((form[field.name] ?? '').trim() !== '') values[field.name] = (form[field.name] ?? '').trim();
  }
  return { values, errors };
};

/** The touches this submission brings: the click it came from, the page visit and the submit. */
const touchesOf = async (
  deps: CaptureDeps,
  campaign: Campaign,
  meta: SubmissionMeta,
  now: Date,
): Promise<{ touches: Touch[]; engaged: boolean }> => {
  const base = { partnerId: campaign.partnerId, campaignId: campaign.id };
  const utm = meta.utm && Object.keys(meta.utm).length > 0 ? { utm: meta.utm } : {};
  const shownAt = verifyShown(deps.formKey, campaign.id, meta.shownToken, now);
  const touches: Touch[] = [
    { kind: 'landing-visit', at: (shownAt ?? now).toISOString(), ...base, ...utm },
    { kind: 'form-submit', at: now.toISOString(), ...base, ...utm },
  ];
  let engaged = false;
  const click = meta.clickToken ? deps.tokens.verify(meta.clickToken, 'click') : undefined;
  // Only a click on this campaign's own email counts for it (a forwarded link still does).
  if (click && click.campaignId === campaign.id) {
    const record = await deps.records?.get(click).catch(() => undefined);
    const at = record?.humanClickedAt ?? record?.clickedAt ?? (shownAt ?? now).toISOString();
    touches.unshift({ kind: 'email-click', at, ...base, sendId: click.recipientKey });
    engaged = true;
  }
  return { touches, engaged };
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const unique = (values: readonly string[]) => [...new Set(values)];

/** What one submission's answers are computed from, read once (and in parallel) per submission. */
interface Context {
  classes: EmailClasses;
  rules: QualificationConfig;
  eql: Awaited<ReturnType<typeof decideLeadEql>>;
}

/** The three answers for the lead as it now stands. */
const answers = (
  ctx: Context,
  lead: Pick<Lead, 'email' | 'fields' | 'touches' | 'consents'>,
  duplicate: boolean,
  now: Date,
) => {
  const latestConsent = lead.consents.at(-1);
  const qualification = qualify(
    {
      email: lead.email,
      fields: lead.fields,
      consent: latestConsent ? { given: latestConsent.given, text: latestConsent.text } : undefined,
    },
    ctx.rules,
    { duplicate, emailClasses: ctx.classes },
  );
  const business = businessDomainOf(lead.email, ctx.classes, ctx.rules.rules.businessEmail);
  const attribution = partnerAttribution(lead.touches);
  return {
    qualification,
    eql: { ...ctx.eql, decidedAt: now.toISOString() },
    companyDomain: business.ok ? business.domain : null,
    attribution: { ...attribution, credit: creditByModel(lead.touches) },
  };
};

/** The sales lifecycle stands once sales has acted; before that, qualification decides. */
const statusAfter = (current: Lead['status'] | undefined, qualified: boolean): Lead['status'] =>
  current === undefined || current === 'new' || current === 'qualified' || current === 'not-qualified'
    ? qualified
      ? 'qualified'
      : 'not-qualified'
    : current;

export const captureLead = async (
  deps: CaptureDeps,
  campaign: Campaign,
  form: Readonly<Record<string, string>>,
  meta: SubmissionMeta,
): Promise<CaptureOutcome> => {
  if ((form[HONEYPOT] ?? '').trim() !== '') return { kind: 'bot' };
  const landing = await deps.landing(campaign);
  const { values, errors } = readSubmission(landing.manifest.landing.form.fields, form);
  if (errors.length > 0) return { kind: 'invalid', errors };
  const email = normaliseEmail(values.email ?? '');
  if (!email) return { kind: 'invalid', errors: [fieldError('email', 'is not an email address')] };

  const now = deps.clock();
  const consent: ConsentRecord = {
    given: form.consent === 'yes',
    text: landing.consent,
    textSha256: sha256(landing.consent),
    shownAt: verifyShown(deps.formKey, campaign.id, meta.shownToken, now)?.toISOString() ?? null,
    submittedAt: now.toISOString(),
    page: landing.page,
    campaignId: campaign.id,
  };
  const [classes, rules] = await Promise.all([deps.emailClasses(), deps.rules()]);
  // The address's lead, the account lists and the click: read at once.
  const [existingId, eql, visit] = await Promise.all([
    deps.leads.leadIdForEmail(email),
    decideLeadEql(email, {
      emailClasses: classes,
      keys: deps.accountKeys,
      policy: rules.rules.businessEmail,
      findMatches: deps.findMatches,
    }),
    touchesOf(deps, campaign, meta, now),
  ]);
  const ctx: Context = { classes, rules, eql };
  // The limits are counted in the lead's own transaction: refused means nothing was written.
  const limits = deps.limiter.actions(meta.clientAddress, campaign.id);
  const submission = { values, consent, touches: visit.touches, engaged: visit.engaged, campaign, now };

  return store(deps, ctx, { ...submission, email }, existingId, limits);
};

/**
 * Writes the submission as a new lead or into the address's lead, retrying when another
 * submission of the same address got there first; a refusal by a limit is an outcome, not an error.
 */
const store = async (
  deps: CaptureDeps,
  ctx: Context,
  submission: Submission & { email: string },
  existingId: string | undefined,
  limits: ReturnType<SubmissionLimiter['actions']>,
): Promise<CaptureOutcome> => {
  let leadId = existingId;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const existing = leadId ? await deps.leads.get(leadId) : undefined;
    try {
      return existing
        ? await merge(deps, ctx, existing, submission, limits.actions)
        : await create(deps, ctx, submission, limits.actions);
    } catch (error) {
      const refused = error instanceof TransactionConflictError ? limitRefusal(error, limits) : undefined;
      if (refused) return refused;
      if (!(error instanceof ConflictError || error instanceof PreconditionFailedError)) throw error;
      leadId = await deps.leads.leadIdForEmail(submission.email);
    }
  }
  throw new ConflictError('the lead is being updated by other submissions; try again');
};

/** The limit that refused the transaction, if a limit did (guards are its last actions). */
const limitRefusal = (
  error: TransactionConflictError,
  limits: ReturnType<SubmissionLimiter['actions']>,
): CaptureOutcome | undefined => {
  const first = error.total - limits.actions.length;
  const index = error.failed.find((i) => i >= first);
  if (index === undefined) return undefined;
  const verdict = limits.refused(index - first);
  return verdict.ok ? undefined : { kind: 'limited', retryAfterSeconds: verdict.retryAfterSeconds };
};

interface Submission {
  values: Record<string, string>;
  consent: ConsentRecord;
  touches: Touch[];
  engaged: boolean;
  campaign: Campaign;
  now: Date;
}

const create = async (
  deps: CaptureDeps,
  ctx: Context,
  s: Submission & { email: string },
  guards: readonly TransactAction[],
): Promise<CaptureOutcome> => {
  const draft = {
    email: s.email,
    fields: s.values,
    touches: mergeTouches([], s.touches),
    consents: [s.consent],
  };
  const computed = answers(ctx, draft, false, s.now);
  const lead: Lead = {
    id: deps.newId(),
    ...draft,
    ...computed,
    campaignIds: [s.campaign.id],
    partnerIds: [s.campaign.partnerId],
    engaged: s.engaged,
    status: statusAfter(undefined, computed.qualification.qualified),
    statusReason: null,
    won: null,
    submissions: 1,
    createdAt: s.now.toISOString(),
    updatedAt: s.now.toISOString(),
    version: 1,
  };
  await deps.leads.create(lead, guards);
  await countOverlaps(deps, lead, [], false);
  await announce(deps, lead, 'lead-captured', s.campaign.id, computed.eql.eql);
  return { kind: 'captured', lead };
};

const merge = async (
  deps: CaptureDeps,
  ctx: Context,
  existing: Lead,
  s: Submission,
  guards: readonly TransactAction[],
): Promise<CaptureOutcome> => {
  const windowMs = ctx.rules.rules.notDuplicate.windowDays * 86_400_000;
  // A duplicate: the same address already submitted this campaign's form within the window.
  const duplicate = existing.touches.some(
    (t) =>
      t.kind === 'form-submit' &&
      t.campaignId === s.campaign.id &&
      s.now.getTime() - Date.parse(t.at) <= windowMs,
  );
  const draft = {
    email: existing.email,
    fields: { ...existing.fields, ...s.values },
    touches: mergeTouches(existing.touches, s.touches).slice(-MAX_TOUCHES),
    consents: [...existing.consents, s.consent].slice(-MAX_CONSENTS),
  };
  const computed = answers(ctx, draft, duplicate, s.now);
  const next: Lead = {
    ...existing,
    ...draft,
    ...computed,
    campaignIds: unique([...existing.campaignIds, s.campaign.id]),
    partnerIds: unique([...existing.partnerIds, s.campaign.partnerId]),
    engaged: existing.engaged || s.engaged,
    status: statusAfter(existing.status, computed.qualification.qualified),
    submissions: existing.submissions + 1,
    updatedAt: s.now.toISOString(),
  };
  const stored = await deps.leads.replace(next, existing.version, guards);
  await countOverlaps(
    deps,
    stored,
    existing.eql.overlaps.map((o) => o.partnerId),
    existing.eql.eql,
  );
  await announce(deps, stored, 'lead-updated', s.campaign.id, computed.eql.eql && !existing.eql.eql);
  return { kind: 'merged', lead: stored };
};

/**
 * Per partner: how many leads' accounts are on its lists, and how many of those are EQLs (the
 * overlap summary). Each lead counts once per partner, when it first overlaps or becomes an EQL.
 * Best effort: a failed count never fails the lead, which is stored.
 */
const countOverlaps = async (deps: CaptureDeps, lead: Lead, before: readonly string[], wasEql: boolean) => {
  const partners = [...new Set(lead.eql.overlaps.map((o) => o.partnerId))];
  const newlyOverlapping = partners.filter((p) => !before.includes(p));
  const becameEql = lead.eql.eql && !wasEql;
  try {
    await Promise.all([
      newlyOverlapping.length > 0 &&
        deps.leads.countOverlaps(newlyOverlapping, { leads: 1, eqls: lead.eql.eql ? 1 : 0 }),
      becameEql &&
        partners.some((p) => before.includes(p)) &&
        deps.leads.countOverlaps(
          partners.filter((p) => before.includes(p)),
          { leads: 0, eqls: 1 },
        ),
    ]);
  } catch (error) {
    deps.logger.warn('overlap counts could not be updated; the lead is stored', {
      leadId: lead.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
};

const announce = async (
  deps: CaptureDeps,
  lead: Lead,
  kind: 'lead-captured' | 'lead-updated',
  campaignId: string,
  becameEql: boolean,
) => {
  try {
    await deps.publish({
      kind,
      leadId: lead.id,
      campaignId,
      partnerIds: lead.partnerIds,
      becameEql,
      version: lead.version,
      at: lead.updatedAt,
    });
  } catch (error) {
    // The lead is stored; its notification and webhooks are what is late. Never the lead.
    deps.logger.warn('a lead event could not be published; the lead is stored', {
      leadId: lead.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
};
