import * as z from 'zod';
import { businessDomainOf, type EmailClasses } from './email-classes';

/**
 * Qualification: does a lead meet marketing's bar? One answer per rule, each with a reason a
 * person can read, stored on the lead beside (not mixed with) partner attribution and the EQL
 * decision. Which rules apply is data (marketing edits it without a deploy); the version is
 * stored with each result so a lead says which configuration judged it.
 */
export const qualificationRules = ['requiredFields', 'businessEmail', 'consent', 'notDuplicate'] as const;
export type QualificationRule = (typeof qualificationRules)[number];

/** Form field names as kits declare them (snake_case); `email` is the address itself. */
const fieldName = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a form field name in snake_case');
const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/, 'a lower-case domain such as acme.com');

export const qualificationConfigSchema = z.strictObject({
  version: z.int().min(1),
  rules: z.strictObject({
    requiredFields: z.strictObject({
      enabled: z.boolean(),
      fields: z
        .array(fieldName)
        .min(1)
        .max(40)
        .refine((fields) => new Set(fields).size === fields.length, 'each field once'),
    }),
    businessEmail: z.strictObject({
      enabled: z.boolean(),
      /** `common`: only the big consumer providers count as free-mail; `all`: every known one. */
      freeMail: z.enum(['common', 'all']).default('all'),
      /**
       * Domains marketing treats as business although a list names them (the lists carry a few
       * companies that once offered mailboxes, e.g. facebook.com). Never lifts a disposable domain.
       */
      allowDomains: z.array(domainName).max(200).default([]),
    }),
    consent: z.strictObject({ enabled: z.boolean() }),
    notDuplicate: z.strictObject({
      enabled: z.boolean(),
      /** The look-back the caller uses to decide `facts.duplicate`. */
      windowDays: z.int().min(1).max(365).default(30),
    }),
  }),
});
export type QualificationConfig = z.infer<typeof qualificationConfigSchema>;

/** Used until marketing saves its own; the three shipped kits all ask for these fields. */
export const defaultQualificationConfig: QualificationConfig = qualificationConfigSchema.parse({
  version: 1,
  rules: {
    requiredFields: { enabled: true, fields: ['email', 'first_name', 'last_name', 'company'] },
    businessEmail: { enabled: true },
    consent: { enabled: true },
    notDuplicate: { enabled: true },
  },
});

export interface LeadForQualification {
  /** As submitted; normalised here. */
  email: string;
  /** The submitted form fields by name (text as entered). */
  fields: Readonly<Record<string, string | undefined>>;
  /** The consent checkbox and the consent text the page showed. */
  consent?: { given: boolean; text?: string | undefined } | undefined;
}

export interface QualificationFacts {
  /** Whether the same normalised email already has a lead for this campaign within windowDays. */
  duplicate: boolean;
  emailClasses: EmailClasses;
}

export type RuleOutcome = 'passed' | 'failed' | 'skipped';
export interface RuleResult {
  rule: QualificationRule;
  outcome: RuleOutcome;
  reason: string;
}
export interface Qualification {
  /** True when every enabled rule passed (so also when marketing disabled them all). */
  qualified: boolean;
  configVersion: number;
  rules: RuleResult[];
}

type Check = Omit<RuleResult, 'rule'>;
const pass = (reason: string): Check => ({ outcome: 'passed', reason });
const fail = (reason: string): Check => ({ outcome: 'failed', reason });

const listed = (names: readonly string[]) => names.join(', ');

const checkRequired = (lead: LeadForQualification, fields: readonly string[]): Check => {
  const value = (name: string) => (name === 'email' ? lead.email : lead.fields[name]) ?? '';
  const missing = fields.filter((name) => value(name).trim() === '');
  if (missing.length === 0) return pass(`all required fields are filled in (${listed(fields)})`);
  const noun = missing.length === 1 ? 'field is' : 'fields are';
  return fail(`required ${noun} missing: ${listed(missing)}`);
};

const checkBusinessEmail = (
  lead: LeadForQualification,
  rule: QualificationConfig['rules']['businessEmail'],
  classes: EmailClasses,
): Check => {
  const business = businessDomainOf(lead.email, classes, rule);
  return business.ok ? pass(business.reason) : fail(business.reason);
};

const checkConsent = (lead: LeadForQualification): Check => {
  if (!lead.consent?.given) return fail('the consent checkbox was not ticked');
  const text = lead.consent.text?.trim() ?? '';
  if (text === '') return fail('consent was ticked but the consent text shown was not recorded');
  return pass('consent was given and the consent text shown is recorded');
};

const checkNotDuplicate = (duplicate: boolean, windowDays: number): Check =>
  duplicate
    ? fail(`this email already has a lead for this campaign from the last ${windowDays} days`)
    : pass(`no other lead for this email and campaign in the last ${windowDays} days`);

/** Runs every rule; a disabled rule is reported as skipped, never dropped. */
export const qualify = (
  lead: LeadForQualification,
  config: QualificationConfig,
  facts: QualificationFacts,
): Qualification => {
  const { rules } = config;
  const checks: Record<QualificationRule, { enabled: boolean; run: () => Check }> = {
    requiredFields: {
      enabled: rules.requiredFields.enabled,
      run: () => checkRequired(lead, rules.requiredFields.fields),
    },
    businessEmail: {
      enabled: rules.businessEmail.enabled,
      run: () => checkBusinessEmail(lead, rules.businessEmail, facts.emailClasses),
    },
    consent: { enabled: rules.consent.enabled, run: () => checkConsent(lead) },
    notDuplicate: {
      enabled: rules.notDuplicate.enabled,
      run: () => checkNotDuplicate(facts.duplicate, rules.notDuplicate.windowDays),
    },
  };
  const results = qualificationRules.map((rule): RuleResult => {
    const check = checks[rule];
    if (!check.enabled) return { rule, outcome: 'skipped', reason: 'this rule is turned off' };
    return { rule, ...check.run() };
  });
  return {
    qualified: results.every((r) => r.outcome !== 'failed'),
    configVersion: config.version,
    rules: results,
  };
};
