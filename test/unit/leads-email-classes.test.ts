import { describe, expect, it } from 'vitest';
import {
  businessDomainOf,
  describeDomainClass,
  emailClassesFrom,
  loadEmailClasses,
} from '#functions/leads/email-classes';

const lists = emailClassesFrom({
  freeMailCommon: ['gmail.com', 'Yahoo.co.uk '],
  freeMailAll: ['gmail.com', 'yahoo.co.uk', 'smallmail.de', 'mailinator.com'],
  disposable: ['mailinator.com', 'throwaway.dynv6.net', 'dynv6.net'],
});
const strict = { freeMail: 'all', allowDomains: [] } as const;

describe('email domain classes over given lists', () => {
  it('names the list that matched, preferring disposable when a domain is on both', () => {
    expect(lists.classify('gmail.com')).toEqual({
      kind: 'free-mail',
      domain: 'gmail.com',
      matched: 'gmail.com',
      list: 'email-providers/common',
    });
    expect(lists.classify('smallmail.de')).toMatchObject({ kind: 'free-mail', list: 'email-providers/all' });
    expect(lists.classify('mailinator.com')).toMatchObject({
      kind: 'disposable',
      list: 'disposable-email-domains',
    });
    expect(lists.classify('acme.com')).toEqual({ kind: 'business', domain: 'acme.com' });
  });

  it('matches subdomains of a listed domain, but not a listed domain’s parent suffix', () => {
    expect(lists.classify('eu.mailinator.com')).toMatchObject({
      kind: 'disposable',
      matched: 'mailinator.com',
    });
    expect(lists.classify('throwaway.dynv6.net')).toMatchObject({ kind: 'disposable' });
    // dynv6.net is a public suffix (private section): a listing of it does not make every name under it listed.
    expect(lists.classify('acme.dynv6.net')).toMatchObject({ kind: 'business' });
  });

  it('compares case-insensitively, lists trimmed', () => {
    expect(lists.classify('YAHOO.CO.UK')).toMatchObject({
      kind: 'free-mail',
      list: 'email-providers/common',
    });
  });

  it('counts only the big providers as free-mail when asked for the common list', () => {
    expect(lists.classify('smallmail.de', { freeMail: 'common' })).toEqual({
      kind: 'business',
      domain: 'smallmail.de',
    });
    expect(lists.classify('gmail.com', { freeMail: 'common' })).toMatchObject({ kind: 'free-mail' });
  });

  it('describes the match in a sentence for the rule results', () => {
    expect(describeDomainClass(lists.classify('gmail.com'))).toBe(
      'gmail.com is a free-mail domain, listed in email-providers/common',
    );
    expect(describeDomainClass(lists.classify('eu.mailinator.com'))).toBe(
      'eu.mailinator.com is a disposable-email domain (as a subdomain of mailinator.com), listed in disposable-email-domains',
    );
    expect(describeDomainClass(lists.classify('acme.com'))).toBe(
      'acme.com is not on the free-mail or disposable lists',
    );
  });
});

describe('the packaged lists', () => {
  it('load once per process and know the well-known providers', async () => {
    const classes = await loadEmailClasses();
    expect(await loadEmailClasses()).toBe(classes);
    expect(classes.classify('gmail.com')).toMatchObject({
      kind: 'free-mail',
      list: 'email-providers/common',
    });
    expect(classes.classify('googlemail.com')).toMatchObject({
      kind: 'free-mail',
      list: 'email-providers/all',
    });
    expect(classes.classify('hotmail.co.uk')).toMatchObject({ kind: 'free-mail' });
    expect(classes.classify('mailinator.com')).toMatchObject({ kind: 'disposable' });
    expect(classes.classify('acme.co.uk')).toEqual({ kind: 'business', domain: 'acme.co.uk' });
    expect(classes.classify('microsoft.com')).toEqual({ kind: 'business', domain: 'microsoft.com' });
  });
});

describe('businessDomainOf', () => {
  it('gives the registrable company domain of a business address', () => {
    expect(businessDomainOf(' Ann@EU.Mail.Acme.co.uk', lists, strict)).toEqual({
      ok: true,
      email: 'ann@eu.mail.acme.co.uk',
      domain: 'acme.co.uk',
      reason: 'eu.mail.acme.co.uk is not on the free-mail or disposable lists',
    });
  });

  it('refuses free-mail, disposable and invalid addresses, saying why', () => {
    expect(businessDomainOf('ann@gmail.com', lists, strict)).toEqual({
      ok: false,
      reason: 'gmail.com is a free-mail domain, listed in email-providers/common',
    });
    expect(businessDomainOf('ann@mailinator.com', lists, strict)).toMatchObject({ ok: false });
    expect(businessDomainOf('ann at acme', lists, strict)).toEqual({
      ok: false,
      reason: 'not a usable address: the email contains a space, comma, quote, bracket or display name',
    });
  });

  it('lets marketing allow a free-mail-listed domain, but never a disposable one', () => {
    const policy = { freeMail: 'all', allowDomains: ['smallmail.de', 'mailinator.com'] } as const;
    expect(businessDomainOf('ann@smallmail.de', lists, policy)).toMatchObject({
      ok: true,
      domain: 'smallmail.de',
      reason:
        'smallmail.de is on a free-mail list (email-providers/all) but marketing allows it as a business domain',
    });
    expect(businessDomainOf('ann@mailinator.com', lists, policy)).toMatchObject({ ok: false });
    expect(businessDomainOf('ann@gmail.com', lists, policy)).toMatchObject({ ok: false });
  });

  it('refuses an address whose domain no company can own', () => {
    const classes = emailClassesFrom({ freeMailCommon: [], freeMailAll: [], disposable: [] });
    expect(businessDomainOf('ann@wiki.corp.internal', classes, strict)).toEqual({
      ok: false,
      reason: "wiki.corp.internal is not a company's registrable domain",
    });
  });
});
