import { describe, expect, it } from 'vitest';
import { deriveAccountKeys, hashAccount } from '#functions/leads/account-keys';
import { hashAccountList, MAX_REPORTED_ERRORS, parseAccountList } from '#functions/leads/account-lists';
import { ValidationError } from '#platform/errors';

const csv = (text: string) => new TextEncoder().encode(text);

describe('parseAccountList', () => {
  it('reads a header, normalises websites and domains, and keeps names', async () => {
    const list = await parseAccountList(
      csv('\uFEFFCompany Name,Website\r\nAcme Ltd,https://www.Acme.co.uk/about\r\nGlobex,globex.com\r\n'),
      { kind: 'customer' },
    );
    expect(list).toEqual({
      hasHeader: true,
      accounts: [
        { domain: 'acme.co.uk', name: 'Acme Ltd', kind: 'customer', line: 2 },
        { domain: 'globex.com', name: 'Globex', kind: 'customer', line: 3 },
      ],
      errors: [],
      rejected: 0,
      duplicates: 0,
      rowsRead: 2,
    });
  });

  it('reports rows with no usable domain by line, and keeps going', async () => {
    const list = await parseAccountList(
      csv(
        'name,domain\nAcme,acme.com\nNo Site,\nHome Lab,192.168.1.10\n\nInitech,initech.com\nBroken,"co.uk"\n',
      ),
      { kind: 'opportunity' },
    );
    expect(list.accounts.map((a) => [a.domain, a.line])).toEqual([
      ['acme.com', 2],
      ['initech.com', 6],
    ]);
    expect(list.errors).toEqual([
      { line: 3, reason: 'no-domain', message: 'no domain or website' },
      { line: 4, reason: 'no-domain', message: '"192.168.1.10" names no company domain' },
      { line: 7, reason: 'no-domain', message: '"co.uk" names no company domain' },
    ]);
    expect(list.rejected).toBe(3);
    expect(list.rowsRead).toBe(5);
  });

  it('merges repeats of an account (same domain and kind), a later name filling a blank one', async () => {
    const list = await parseAccountList(
      csv('domain,name\nacme.com,\nwww.acme.com,Acme Inc\nhttps://shop.acme.com,Acme Shop\n'),
      { kind: 'customer' },
    );
    expect(list.accounts).toEqual([{ domain: 'acme.com', name: 'Acme Inc', kind: 'customer', line: 2 }]);
    expect(list.duplicates).toBe(2);
  });

  it('takes the kind from a column, the upload’s kind filling blanks; unknown kinds are row errors', async () => {
    const text =
      'Account,Website,Type\nAcme,acme.com,Customer\nGlobex,globex.com,Open Opportunity\nInitech,initech.com,\nHooli,hooli.com,partner\nAcme,acme.com,opportunity\n';
    const list = await parseAccountList(csv(text), { kind: 'customer' });
    expect(list.accounts.map((a) => [a.domain, a.kind])).toEqual([
      ['acme.com', 'customer'],
      ['globex.com', 'opportunity'],
      ['initech.com', 'customer'],
      ['acme.com', 'opportunity'],
    ]);
    expect(list.errors).toEqual([
      { line: 5, reason: 'unknown-kind', message: '"partner" is neither customer nor opportunity' },
    ]);
    const noDefault = await parseAccountList(csv(text));
    expect(noDefault.errors).toContainEqual({
      line: 4,
      reason: 'missing-kind',
      message: 'no kind: customer or opportunity',
    });
  });

  it('falls back from a blank domain column to the website column', async () => {
    const list = await parseAccountList(csv('Name,Domain,Website\nAcme,,https://acme.io\n'), {
      kind: 'customer',
    });
    expect(list.accounts).toEqual([{ domain: 'acme.io', name: 'Acme', kind: 'customer', line: 2 }]);
  });

  it('reads a headerless file by finding the domain column on the first row', async () => {
    const list = await parseAccountList(csv('Acme Ltd;acme.co.uk\nGlobex;www.globex.com\n'), {
      kind: 'opportunity',
      delimiter: ';',
    });
    expect(list.hasHeader).toBe(false);
    expect(list.accounts).toEqual([
      { domain: 'acme.co.uk', name: 'Acme Ltd', kind: 'opportunity', line: 1 },
      { domain: 'globex.com', name: 'Globex', kind: 'opportunity', line: 2 },
    ]);
  });

  it('takes a first row holding a domain as data, even when a cell reads like a column name', async () => {
    const list = await parseAccountList(csv('Account,account.io\nGlobex,globex.com\n'), { kind: 'customer' });
    expect(list.hasHeader).toBe(false);
    expect(list.accounts.map((a) => [a.name, a.domain, a.line])).toEqual([
      ['Account', 'account.io', 1],
      ['Globex', 'globex.com', 2],
    ]);
  });

  it('reports only the first errors of a badly broken file but counts them all', async () => {
    const rows = Array.from({ length: MAX_REPORTED_ERRORS + 5 }, (_, i) => `Row ${i},not a domain`);
    const list = await parseAccountList(csv(`name,domain\n${rows.join('\n')}\n`), { kind: 'customer' });
    expect(list.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(list.rejected).toBe(MAX_REPORTED_ERRORS + 5);
  });

  it.each([
    [
      'a file with no domain column',
      'name,city\nAcme,Paris\n',
      { kind: 'customer' as const },
      'no domain or website column',
    ],
    ['a headerless file with no domain', 'Acme,Paris\n', { kind: 'customer' as const }, 'neither a header'],
    ['a list whose kind is not said', 'domain\nacme.com\n', {}, 'customers or opportunities'],
    ['an empty file', '\n\n', { kind: 'customer' as const }, 'no rows'],
    [
      'a broken quote',
      'domain\n"acme.com\n',
      { kind: 'customer' as const },
      'line 2: a quoted field is never closed',
    ],
  ])('refuses %s as a validation error', async (_, text, options, message) => {
    const failure = parseAccountList(csv(text), options);
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(failure).rejects.toThrow(message);
  });

  it('refuses bytes that are not UTF-8', async () => {
    await expect(
      parseAccountList(new Uint8Array([0x64, 0x6f, 0xff, 0x0a]), { kind: 'customer' }),
    ).rejects.toThrow('not UTF-8');
  });
});

describe('hashAccountList', () => {
  it('keeps only the kind and the keyed hash of each domain, nothing readable', async () => {
    const keys = deriveAccountKeys('root-secret-0123456789abcdef0123456789', {
      primary: 'a1',
      active: ['a1'],
    });
    const list = await parseAccountList(csv('name,domain\nAcme Secret Customer,acme.com\n'), {
      kind: 'customer',
    });
    const stored = hashAccountList(keys, list.accounts);
    expect(stored).toEqual([{ ...hashAccount(keys, 'acme.com'), kind: 'customer' }]);
    const text = JSON.stringify(stored).toLowerCase();
    expect(text).not.toContain('acme');
    expect(text).not.toContain('secret');
  });
});
