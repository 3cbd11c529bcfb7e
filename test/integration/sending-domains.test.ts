import {
  CreateEmailIdentityCommand,
  GetEmailIdentityCommand,
  type SESv2Client,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '#functions/local/free-port';
import { type IdentitiesEmulator, startIdentitiesEmulator } from '#functions/local/ses-identities-emulator';
import { domainClaimKey, sendingDomainKey } from '#functions/sending-domains/keys';
import { sesIdentities } from '#platform/ses-identities';
import { createSesClient } from '#platform/ses-mailer';
import { assertLocalEndpoint } from '#test/support/local-only';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * Partner sending domains end to end: the API on DynamoDB Local, the SES identity emulator
 * through the real SESv2Client (domains verify 1.5 s after they are added), and
 * aws-sdk-client-mock only to inject SES throttling.
 */
const VERIFY_AFTER_MS = 1_500;
let api: TestApi;
let ses: IdentitiesEmulator;
let client: SESv2Client;

beforeAll(async () => {
  ses = await startIdentitiesEmulator({
    port: await freePort(),
    upstream: assertLocalEndpoint(inject('sesEndpoint')),
    verifyAfterMs: VERIFY_AFTER_MS,
  });
  client = createSesClient({ region: 'us-east-1', endpoint: ses.endpoint });
  api = await startTestApi({
    sendingDomains: {
      identities: sesIdentities(client, { retryAfterSeconds: 3 }),
      vendorDomain: 'mail.vendor.example',
      // Every read asks the emulator: the 10 s cadence itself is unit-tested.
      cadence: { pendingMs: 0, finalMs: 0 },
    },
  });
});
afterAll(async () => {
  await api.close();
  client.destroy();
  await ses.stop();
});

type Who = Parameters<TestApi['token']>[0];
const put = (body: unknown, as: Who = 'u-northwind-1') =>
  api.request('/api/sending-domain', {
    as,
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const read = (as: Who = 'u-northwind-1') => api.request('/api/sending-domain', { as });
const verify = (as: Who = 'u-northwind-1') =>
  api.request('/api/sending-domain/verify', { as, method: 'POST' });

const problemOf = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return res.json();
};

const untilVerified = async (as: Who) => {
  for (let i = 0; i < 60; i += 1) {
    const body = await (await verify(as)).json();
    if (body.status !== 'pending') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the domain never left pending');
};

describe('a partner’s own sending domain', () => {
  it('is added with its DKIM CNAME records, pending until SES verifies it', async () => {
    expect(await problemOf(await read(), 404)).toMatchObject({ type: '/problems/not-found' });

    const res = await put({ domain: ' Mail.Northwind.Example. ' });
    expect(res.status).toBe(200);
    const added = await res.json();
    const tokens = (
      await client.send(new GetEmailIdentityCommand({ EmailIdentity: 'mail.northwind.example' }))
    ).DkimAttributes?.Tokens;
    expect(tokens).toHaveLength(3);
    expect(added).toMatchObject({
      partnerId: 'northwind',
      domain: 'mail.northwind.example',
      status: 'pending',
      dkimStatus: 'PENDING',
      localPart: 'news',
      fromAddress: 'news@mail.northwind.example',
      useForSending: false,
      sendingFrom: 'vendor-domain',
      records: (tokens ?? []).map((token) => ({
        name: `${token}._domainkey.mail.northwind.example`,
        type: 'CNAME',
        value: `${token}.dkim.amazonses.com`,
      })),
    });
    expect((await (await read()).json()).status).toBe('pending');
  });

  it('can be used for sending once verified', async () => {
    expect(await untilVerified('u-northwind-1')).toMatchObject({ status: 'verified', dkimStatus: 'SUCCESS' });
    const chosen = await put({ domain: 'mail.northwind.example', localPart: 'Events', useForSending: true });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toMatchObject({
      localPart: 'events',
      fromAddress: 'events@mail.northwind.example',
      useForSending: true,
      sendingFrom: 'partner-domain',
    });
    // The send worker reads the same stored item.
    expect(await api.table.get(sendingDomainKey('northwind'))).toMatchObject({
      status: 'verified',
      useForSending: true,
      localPart: 'events',
    });
  });

  it('is read by marketing and auditors, and by no other partner', async () => {
    for (const as of ['marketing', 'auditor'] as const) {
      const res = await api.request('/api/partners/northwind/sending-domain', { as });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ domain: 'mail.northwind.example', status: 'verified' });
    }
    await problemOf(await api.request('/api/partners/northwind/sending-domain', { as: 'u-globex-1' }), 404);
    expect(
      (await api.request('/api/partners/northwind/sending-domain', { as: 'u-northwind-1' })).status,
    ).toBe(200);
  });

  it('cannot be seen, claimed, checked or removed by another partner', async () => {
    // Globex's own (empty) sending domain, whatever Northwind has.
    await problemOf(await read('u-globex-1'), 404);
    await problemOf(await verify('u-globex-1'), 404);
    await problemOf(await api.request('/api/sending-domain', { as: 'u-globex-1', method: 'DELETE' }), 404);
    const claimed = await problemOf(await put({ domain: 'mail.northwind.example' }, 'u-globex-1'), 409);
    expect(claimed.detail).toMatch(/another partner/);
    await problemOf(await read('u-globex-1'), 404);
    expect((await (await read()).json()).useForSending).toBe(true);
  });

  it('is managed by partner users only', async () => {
    await problemOf(await put({ domain: 'mail.northwind.example' }, 'marketing'), 403);
    await problemOf(await api.request('/api/sending-domain', { as: 'auditor' }), 403);
  });

  it('is one per partner', async () => {
    const res = await problemOf(await put({ domain: 'news.northwind.example' }), 409);
    expect(res.detail).toMatch(/remove mail\.northwind\.example/);
  });

  it('names invalid domains and local parts (422), never creating an SES identity', async () => {
    for (const domain of ['10.0.0.1', 'co.uk', 'mail.vendor.example', 'x.vendor.example', 'printer.local']) {
      const body = await problemOf(await put({ domain }, 'u-initech-1'), 422);
      expect(
        body.errors.map((e: { path: string }) => e.path),
        domain,
      ).toEqual(['body.domain']);
    }
    const body = await problemOf(
      await put({ domain: 'initech.example', localPart: 'a b', extra: 1 }, 'u-initech-1'),
      422,
    );
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.extra', 'body.localPart']);
    await problemOf(await read('u-initech-1'), 404);
  });

  it('cannot use a domain that never verifies (409) or whose verification failed', async () => {
    expect((await put({ domain: 'pending.initech.example' }, 'u-initech-1')).status).toBe(200);
    await new Promise((r) => setTimeout(r, VERIFY_AFTER_MS + 50));
    expect(await (await verify('u-initech-1')).json()).toMatchObject({
      status: 'pending',
      dkimStatus: 'PENDING',
    });
    const early = await problemOf(
      await put({ domain: 'pending.initech.example', useForSending: true }, 'u-initech-1'),
      409,
    );
    expect(early.detail).toMatch(/not verified \(DKIM PENDING\)/);
    expect((await (await read('u-initech-1')).json()).useForSending).toBe(false);

    expect((await put({ domain: 'failed.globex.example' }, 'u-globex-1')).status).toBe(200);
    expect(await untilVerified('u-globex-1')).toMatchObject({ status: 'failed', dkimStatus: 'FAILED' });
    await problemOf(await put({ domain: 'failed.globex.example', useForSending: true }, 'u-globex-1'), 409);
  });

  it('is removed with its SES identity; campaigns fall back to the vendor domain and the domain is free again', async () => {
    const res = await api.request('/api/sending-domain', { as: 'u-northwind-1', method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ removed: 'mail.northwind.example', sendingFrom: 'vendor-domain' });

    await problemOf(await read(), 404);
    expect(await api.table.get(sendingDomainKey('northwind'))).toBeUndefined();
    expect(await api.table.get(domainClaimKey('mail.northwind.example'))).toBeUndefined();
    await expect(
      client.send(new GetEmailIdentityCommand({ EmailIdentity: 'mail.northwind.example' })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
    await problemOf(await api.request('/api/sending-domain', { as: 'u-northwind-1', method: 'DELETE' }), 404);
  });
});

describe('SES throttling (injected)', () => {
  const throttled = () =>
    new TooManyRequestsException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } });

  it('answers "check now" with 503 and Retry-After, keeps the stored status, and a plain read still answers', async () => {
    // Globex's failed.globex.example, added above.
    const before = await api.table.get(sendingDomainKey('globex'));
    const mock = mockClient(client);
    mock.on(GetEmailIdentityCommand).rejects(throttled());
    try {
      const res = await verify('u-globex-1');
      const body = await problemOf(res, 503);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(body).toMatchObject({ type: '/problems/unavailable', retryAfterSeconds: 3 });

      const stale = await read('u-globex-1');
      expect(stale.status).toBe(200);
      expect(await stale.json()).toMatchObject({ status: 'failed', checkedAt: before?.checkedAt });
      expect(await api.table.get(sendingDomainKey('globex'))).toEqual(before);
    } finally {
      mock.restore();
    }
  });

  it('stores nothing when SES throttles the add', async () => {
    const mock = mockClient(client);
    mock.on(CreateEmailIdentityCommand).rejects(throttled());
    try {
      // Northwind removed its domain above.
      const res = await put({ domain: 'mail.contoso.example' });
      await problemOf(res, 503);
      expect(res.headers.get('retry-after')).toBe('3');
    } finally {
      mock.restore();
    }
    expect(await api.table.get(domainClaimKey('mail.contoso.example'))).toBeUndefined();
    await problemOf(await read(), 404);
    expect((await put({ domain: 'mail.contoso.example' })).status).toBe(200);
  });
});
