import { describe, expect, it } from 'vitest';
import { httpPoster } from '#functions/leads/effects/http-post';
import {
  AWS_URL_POLICY,
  checkWebhookUrl,
  guardedLookup,
  isPublicAddress,
  RefusedAddressError,
  type Resolver,
} from '#functions/leads/effects/url-guard';

const LOCAL = { allowLoopbackHttp: true };
const refusal = (url: string, policy = AWS_URL_POLICY) => {
  const check = checkWebhookUrl(url, policy);
  return check.ok ? undefined : check.reason;
};

describe('webhook URLs in AWS (the SSRF guard)', () => {
  it('accepts an https URL on a public name or a public address', () => {
    expect(checkWebhookUrl('https://hooks.crm.example.com/channelkit?x=1', AWS_URL_POLICY)).toMatchObject({
      ok: true,
    });
    expect(checkWebhookUrl('https://93.184.216.34:8443/in', AWS_URL_POLICY)).toMatchObject({ ok: true });
    expect(checkWebhookUrl('https://[2606:4700::6810:84e5]/in', AWS_URL_POLICY)).toMatchObject({ ok: true });
  });

  it('refuses anything but https', () => {
    expect(refusal('http://hooks.crm.example.com/in')).toBe('the URL must use https');
    expect(refusal('ftp://hooks.crm.example.com/in')).toBe('the URL must use https');
    expect(refusal('not a url')).toBe('not an absolute URL');
  });

  it.each([
    ['https://127.0.0.1/', '127.0.0.1'],
    ['https://10.0.0.5/', '10.0.0.5'],
    ['https://172.20.1.1/', '172.20.1.1'],
    ['https://192.168.1.10/', '192.168.1.10'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['https://100.64.0.1/', '100.64.0.1'],
    ['https://0.0.0.0/', '0.0.0.0'],
    ['https://[::1]/', '::1'],
    ['https://[fd00::1]/', 'fd00::1'],
    ['https://[fe80::1]/', 'fe80::1'],
    ['https://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['https://0x7f.0.0.1/', '127.0.0.1'],
    ['https://2130706433/', '127.0.0.1'],
  ])('refuses %s (a reserved address, however it is written)', (url, address) => {
    expect(refusal(url)).toBe(`${address} is a private, loopback or reserved address`);
  });

  it.each([
    'https://localhost/',
    'https://api.localhost/',
    'https://crm.internal/',
    'https://printer.local/',
    'https://intranet/',
  ])('refuses %s (a name only a private network knows)', (url) => {
    expect(refusal(url)).toMatch(/is not a public host name$/);
  });

  it('refuses credentials in the URL (the signature is what authenticates us)', () => {
    expect(refusal('https://user:secret@hooks.crm.example.com/')).toMatch(/^credentials in the URL/);
  });

  it('classifies addresses: public unicast only', () => {
    expect(['8.8.8.8', '2606:4700::1', '::ffff:8.8.8.8'].map(isPublicAddress)).toEqual([true, true, true]);
    expect(
      ['127.0.0.1', '10.1.2.3', '::1', 'fc00::1', '::ffff:10.0.0.1', '2002:7f00::1', 'nope'].map(
        isPublicAddress,
      ),
    ).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('webhook URLs with the embedded runtime’s loopback flag', () => {
  it('allows http and https to this machine only', () => {
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook', LOCAL)).toMatchObject({ ok: true });
    expect(checkWebhookUrl('http://localhost:8080/hook', LOCAL)).toMatchObject({ ok: true });
    expect(checkWebhookUrl('http://[::1]:8080/hook', LOCAL)).toMatchObject({ ok: true });
    expect(refusal('http://10.0.0.1/hook', LOCAL)).toBe('the URL must use https');
    expect(refusal('https://192.168.0.1/hook', LOCAL)).toMatch(/private, loopback or reserved/);
  });
});

/** A resolver that answers every name with these addresses. */
const resolvesTo =
  (...addresses: string[]): Resolver =>
  (_host, _options, callback) =>
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
const resolve = (policy: typeof AWS_URL_POLICY, resolver: Resolver, all = false) =>
  new Promise<{ error: Error | null; address: unknown }>((done) =>
    guardedLookup(policy, resolver)('hooks.crm.example.com', { all }, (error, address) =>
      done({ error, address }),
    ),
  );

describe('the connection-time lookup', () => {
  it('connects to a name that resolves to public addresses only', async () => {
    expect(await resolve(AWS_URL_POLICY, resolvesTo('93.184.216.34'))).toEqual({
      error: null,
      address: '93.184.216.34',
    });
    expect(
      (await resolve(AWS_URL_POLICY, resolvesTo('93.184.216.34', '2606:4700::1'), true)).address,
    ).toHaveLength(2);
  });

  it('refuses a name that resolves (also) to an internal address: DNS cannot re-point it', async () => {
    const { error } = await resolve(AWS_URL_POLICY, resolvesTo('93.184.216.34', '169.254.169.254'));

    expect(error).toBeInstanceOf(RefusedAddressError);
    expect(error?.message).toBe(
      'hooks.crm.example.com resolves to 169.254.169.254, a private, loopback or reserved address',
    );
    expect((await resolve(AWS_URL_POLICY, resolvesTo('127.0.0.1'))).error).toBeInstanceOf(
      RefusedAddressError,
    );
    expect((await resolve(LOCAL, resolvesTo('127.0.0.1'))).error).toBeNull();
  });

  it('never opens a connection to a refused URL', async () => {
    const post = httpPoster({ timeoutMs: 1000, policy: AWS_URL_POLICY });

    expect(await post('https://169.254.169.254/latest', '{}', {})).toEqual({
      statusCode: null,
      durationMs: 0,
      error: 'refused: 169.254.169.254 is a private, loopback or reserved address',
      responseBody: null,
    });
  });
});
