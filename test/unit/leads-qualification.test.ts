import { describe, expect, it } from 'vitest';
import { emailClassesFrom } from '#functions/leads/email-classes';
import {
  defaultQualificationConfig,
  type LeadForQualification,
  type QualificationConfig,
  qualificationConfigSchema,
  qualify,
} from '#functions/leads/qualification';

const emailClasses = emailClassesFrom({
  freeMailCommon: ['gmail.com'],
  freeMailAll: ['gmail.com', 'facebook.com'],
  disposable: ['mailinator.com'],
});
const facts = { duplicate: false, emailClasses };

const businessLead: LeadForQualification = {
  email: 'Ann.Lee@Acme.co.uk',
  fields: { first_name: 'Ann', last_name: 'Lee', company: 'Acme Ltd' },
  consent: { given: true, text: 'I agree that Acme Partners and Vendor may email me.' },
};

const withRules = (rules: Partial<QualificationConfig['rules']>): QualificationConfig => ({
  ...defaultQualificationConfig,
  rules: { ...defaultQualificationConfig.rules, ...rules },
});

describe('qualify', () => {
  it('qualifies a complete business lead, every rule passing with its reason', () => {
    expect(qualify(businessLead, defaultQualificationConfig, facts)).toEqual({
      qualified: true,
      configVersion: 1,
      rules: [
        {
          rule: 'requiredFields',
          outcome: 'passed',
          reason: 'all required fields are filled in (email, first_name, last_name, company)',
        },
        {
          rule: 'businessEmail',
          outcome: 'passed',
          reason: 'acme.co.uk is not on the free-mail or disposable lists',
        },
        {
          rule: 'consent',
          outcome: 'passed',
          reason: 'consent was given and the consent text shown is recorded',
        },
        {
          rule: 'notDuplicate',
          outcome: 'passed',
          reason: 'no other lead for this email and campaign in the last 30 days',
        },
      ],
    });
  });

  it('fails a free-mail lead and says why', () => {
    const result = qualify(
      { ...businessLead, email: 'ann.lee@Gmail.com' },
      defaultQualificationConfig,
      facts,
    );
    expect(result.qualified).toBe(false);
    expect(result.rules.find((r) => r.rule === 'businessEmail')).toEqual({
      rule: 'businessEmail',
      outcome: 'failed',
      reason: 'gmail.com is a free-mail domain, listed in email-providers/common',
    });
    expect(result.rules.filter((r) => r.outcome === 'failed')).toHaveLength(1);
  });

  it('fails a disposable address', () => {
    const result = qualify({ ...businessLead, email: 'x@mailinator.com' }, defaultQualificationConfig, facts);
    expect(result.qualified).toBe(false);
    expect(result.rules[1]).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('disposable'),
    });
  });

  it('names every missing required field, counting blanks as missing', () => {
    const lead = { ...businessLead, fields: { first_name: '  ', company: 'Acme Ltd' } };
    const result = qualify(lead, defaultQualificationConfig, facts);
    expect(result.qualified).toBe(false);
    expect(result.rules[0]).toEqual({
      rule: 'requiredFields',
      outcome: 'failed',
      reason: 'required fields are missing: first_name, last_name',
    });
  });

  it('checks the required fields marketing configured, email included', () => {
    const config = withRules({ requiredFields: { enabled: true, fields: ['email', 'job_title'] } });
    expect(qualify({ ...businessLead, email: ' ' }, config, facts).rules[0]).toEqual({
      rule: 'requiredFields',
      outcome: 'failed',
      reason: 'required fields are missing: email, job_title',
    });
  });

  it('needs the box ticked and the consent text recorded', () => {
    const unticked = qualify(
      { ...businessLead, consent: { given: false, text: 'x' } },
      defaultQualificationConfig,
      facts,
    );
    expect(unticked.rules[2]).toEqual({
      rule: 'consent',
      outcome: 'failed',
      reason: 'the consent checkbox was not ticked',
    });
    const textless = qualify(
      { ...businessLead, consent: { given: true, text: ' ' } },
      defaultQualificationConfig,
      facts,
    );
    expect(textless.rules[2]).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('text') });
    expect(
      qualify({ ...businessLead, consent: undefined }, defaultQualificationConfig, facts).qualified,
    ).toBe(false);
  });

  it('fails a duplicate within the configured window', () => {
    const config = withRules({ notDuplicate: { enabled: true, windowDays: 7 } });
    const result = qualify(businessLead, config, { ...facts, duplicate: true });
    expect(result.qualified).toBe(false);
    expect(result.rules[3]).toEqual({
      rule: 'notDuplicate',
      outcome: 'failed',
      reason: 'this email already has a lead for this campaign from the last 7 days',
    });
  });

  it('reports disabled rules as skipped and ignores their failures', () => {
    const config = withRules({
      businessEmail: { enabled: false, freeMail: 'all', allowDomains: [] },
      notDuplicate: { enabled: false, windowDays: 30 },
    });
    const result = qualify({ ...businessLead, email: 'ann@gmail.com' }, config, {
      ...facts,
      duplicate: true,
    });
    expect(result.qualified).toBe(true);
    expect(result.rules.map((r) => [r.rule, r.outcome])).toEqual([
      ['requiredFields', 'passed'],
      ['businessEmail', 'skipped'],
      ['consent', 'passed'],
      ['notDuplicate', 'skipped'],
    ]);
    expect(result.rules[1]?.reason).toBe('this rule is turned off');
  });

  it('applies the free-mail list choice and the allowed domains', () => {
    const lead = { ...businessLead, email: 'ann@facebook.com' };
    expect(qualify(lead, defaultQualificationConfig, facts).qualified).toBe(false);
    const common = withRules({ businessEmail: { enabled: true, freeMail: 'common', allowDomains: [] } });
    expect(qualify(lead, common, facts).qualified).toBe(true);
    const allowed = withRules({
      businessEmail: { enabled: true, freeMail: 'all', allowDomains: ['facebook.com'] },
    });
    expect(qualify(lead, allowed, facts).qualified).toBe(true);
  });
});

describe('qualification config', () => {
  it('fills defaults for what marketing leaves out', () => {
    const parsed = qualificationConfigSchema.parse({
      version: 3,
      rules: {
        requiredFields: { enabled: true, fields: ['email'] },
        businessEmail: { enabled: true },
        consent: { enabled: false },
        notDuplicate: { enabled: true },
      },
    });
    expect(parsed.rules.businessEmail).toEqual({ enabled: true, freeMail: 'all', allowDomains: [] });
    expect(parsed.rules.notDuplicate.windowDays).toBe(30);
  });

  it('refuses malformed settings, naming the field', () => {
    const result = qualificationConfigSchema.safeParse({
      version: 0,
      rules: {
        requiredFields: { enabled: true, fields: ['email', 'email', 'First Name'] },
        businessEmail: { enabled: true, allowDomains: ['Not A Domain'] },
        consent: { enabled: 'yes' },
        notDuplicate: { enabled: true, windowDays: 0 },
        surprise: { enabled: true },
      },
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')).sort();
    expect(paths).toEqual([
      'rules',
      'rules.businessEmail.allowDomains.0',
      'rules.consent.enabled',
      'rules.notDuplicate.windowDays',
      'rules.requiredFields.fields',
      'rules.requiredFields.fields.2',
      'version',
    ]);
  });

  it('ships a default that parses as it stands', () => {
    expect(qualificationConfigSchema.parse(defaultQualificationConfig)).toEqual(defaultQualificationConfig);
  });
});
