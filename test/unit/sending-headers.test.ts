import { describe, expect, it } from 'vitest';
import {
  displayName,
  encodedWords,
  fromHeader,
  HeaderInjectionError,
  headerValue,
  listUnsubscribeHeaders,
} from '#functions/sending/headers';

const decode = (words: string) =>
  words
    .split(' ')
    .map((w) => {
      const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(w);
      if (!m?.[1]) throw new Error(`not an encoded-word: ${w}`);
      return Buffer.from(m[1], 'base64').toString('utf8');
    })
    .join('');

describe('List-Unsubscribe headers (RFC 8058)', () => {
  it('names exactly one https URI, then the mailto, and the exact one-click value', () => {
    expect(
      listUnsubscribeHeaders({
        url: 'https://go.vendor.example/u/k1.u~abc',
        mailtoAddress: 'unsubscribe@mail.vendor.example',
        token: 'k1.u~abc',
      }),
    ).toEqual([
      {
        name: 'List-Unsubscribe',
        value:
          '<https://go.vendor.example/u/k1.u~abc>, <mailto:unsubscribe@mail.vendor.example?subject=unsubscribe-k1.u~abc>',
      },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });

  it('refuses a non-https URL (plain http only on loopback, for the embedded runtime)', () => {
    const base = { mailtoAddress: 'unsubscribe@mail.vendor.example', token: 'abc' };
    expect(() => listUnsubscribeHeaders({ ...base, url: 'http://go.vendor.example/u/abc' })).toThrow(
      HeaderInjectionError,
    );
    expect(listUnsubscribeHeaders({ ...base, url: 'http://localhost:3000/u/abc' })[0]?.value).toBe(
      '<http://localhost:3000/u/abc>, <mailto:unsubscribe@mail.vendor.example?subject=unsubscribe-abc>',
    );
  });

  it('refuses a token or URL that could break out of the header', () => {
    const base = { url: 'https://x.example/u/t', mailtoAddress: 'unsubscribe@x.example' };
    expect(() => listUnsubscribeHeaders({ ...base, token: 'a>, <https://evil.example' })).toThrow(
      HeaderInjectionError,
    );
    expect(() =>
      listUnsubscribeHeaders({ ...base, token: 't', url: 'https://x.example/u/t\r\nBcc: a@b.c' }),
    ).toThrow(HeaderInjectionError);
  });
});

describe('From header', () => {
  it('quotes the partner and vendor as an RFC 5322 quoted-string', () => {
    expect(
      fromHeader({
        partnerName: 'Nora at Northwind',
        vendorName: 'Vendor',
        address: 'partners@mail.vendor.example',
      }),
    ).toBe('"Nora at Northwind via Vendor" <partners@mail.vendor.example>');
  });

  it('escapes quotes and backslashes, and keeps specials like <>,;@ inside the quotes', () => {
    expect(displayName('Ann "The Boss" O\\Neil, <CEO>; a@b')).toBe(
      '"Ann \\"The Boss\\" O\\\\Neil, <CEO>; a@b"',
    );
  });

  it('encodes a non-ASCII name as RFC 2047 encoded-words of at most 75 characters, split between characters', () => {
    expect(displayName('Société Générale via Vendor')).toBe(
      '=?UTF-8?B?U29jacOpdMOpIEfDqW7DqXJhbGUgdmlhIFZlbmRvcg==?=',
    );
    const long = `${'Müller & Söhne Ünïcødé Großhandel '.repeat(3)}日本語の会社 🚀`;
    const words = encodedWords(long);
    for (const word of words.split(' ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(decode(words)).toBe(long);
  });

  it.each([
    ['CR LF and a Bcc', 'Evil Corp\r\nBcc: everyone@example.com'],
    ['a bare LF', 'Evil\nX-Header: 1'],
    ['a bare CR', 'Evil\rCorp'],
    ['NUL', 'Evil\u0000Corp'],
    ['TAB', 'Evil\tCorp'],
    ['DEL', 'Evil\u007fCorp'],
    ['a C1 control (NEL)', 'Evil\u0085Corp'],
    ['a Unicode line separator', 'Evil\u2028Corp'],
  ])('refuses a hostile brand name with %s', (_what, name) => {
    expect(() =>
      fromHeader({ partnerName: name, vendorName: 'Vendor', address: 'p@mail.vendor.example' }),
    ).toThrow(HeaderInjectionError);
  });

  it('refuses a hostile vendor name and an address that is not a plain addr-spec', () => {
    expect(() =>
      fromHeader({ partnerName: 'A', vendorName: 'V\r\nTo: x@y.z', address: 'p@x.example' }),
    ).toThrow(HeaderInjectionError);
    for (const address of ['p@x.example>, <q@y.example', 'a b@x.example', 'p@x.example\r\n', 'ü@x.example']) {
      expect(() => fromHeader({ partnerName: 'A', vendorName: 'V', address })).toThrow(HeaderInjectionError);
    }
  });

  it('passes ordinary values through untouched', () => {
    expect(headerValue('Subject', 'Zero Trust in 45 minutes — Feb 17')).toBe(
      'Zero Trust in 45 minutes — Feb 17',
    );
  });
});
