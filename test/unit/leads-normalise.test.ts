import { describe, expect, it } from 'vitest';
import { checkEmail, companyDomainOf, emailDomainOf, normaliseEmail } from '#functions/leads/normalise';

describe('normaliseEmail', () => {
  it('trims and lower-cases, converting an IDN domain to punycode', () => {
    expect(normaliseEmail('  Ann.Lee+Webinar@Acme.CO.UK ')).toBe('ann.lee+webinar@acme.co.uk');
    expect(normaliseEmail('zoe@München.de')).toBe('zoe@xn--mnchen-3ya.de');
  });

  it('refuses what is not an address, with a reason', () => {
    expect(normaliseEmail('ann@localhost')).toBeUndefined();
    expect(normaliseEmail('Ann <ann@acme.com>')).toBeUndefined();
    expect(checkEmail('ann.acme.com')).toEqual({
      ok: false,
      reason: 'the email needs exactly one @ with text before it',
    });
  });

  it('gives the domain part of a normalised address', () => {
    expect(emailDomainOf('ann@mail.acme.co.uk')).toBe('mail.acme.co.uk');
  });
});

describe('companyDomainOf', () => {
  it.each([
    ['https://www.Acme.co.uk/x', 'acme.co.uk'],
    ['www.acme.co.uk', 'acme.co.uk'],
    [' WWW.ACME.COM. ', 'acme.com'],
    ['acme.com:8080/pricing?x=1', 'acme.com'],
    ['http://user:secret@shop.acme.com:8443/', 'acme.com'],
    ['Ann@Mail.Acme.co.uk', 'acme.co.uk'],
    ['mailto:ann@acme.com', 'acme.com'],
    ['eu.west.app.acme.io', 'acme.io'],
    ['acme.github.io', 'acme.github.io'],
    ['shop.acme.test', 'acme.test'],
    ['gmail.com', 'gmail.com'],
  ])('folds %s into %s', (input, domain) => {
    expect(companyDomainOf(input)).toBe(domain);
  });

  it('answers internationalised names in punycode, however they were typed', () => {
    expect(companyDomainOf('https://www.münchen.de/')).toBe('xn--mnchen-3ya.de');
    expect(companyDomainOf('xn--mnchen-3ya.de')).toBe('xn--mnchen-3ya.de');
    expect(companyDomainOf('ann@Пример.РФ')).toBe('xn--e1afmkfd.xn--p1ai');
    expect(companyDomainOf('пример.рф')).toBe(companyDomainOf('ann@xn--e1afmkfd.xn--p1ai'));
  });

  it.each([
    ['192.168.0.1'],
    ['http://0x7f.1/'],
    ['http://[::1]:8080/'],
    ['ann@[10.0.0.1]'],
    ['localhost'],
    ['app.localhost'],
    ['printer.local'],
    ['wiki.corp.internal'],
    ['co.uk'],
    ['https://github.io/'],
    ['acme'],
    ['acme_corp.com'],
    ['acme..com'],
    [''],
    ['   '],
    ['not an address@'],
    [`${'a'.repeat(2050)}.com`],
  ])('finds no company domain in %s', (input) => {
    expect(companyDomainOf(input)).toBeUndefined();
  });
});
