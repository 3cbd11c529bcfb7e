import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetAccountCommand,
  GetEmailIdentityCommand,
  ListEmailIdentitiesCommand,
  SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '#functions/local/free-port';
import { type IdentitiesEmulator, startIdentitiesEmulator } from '#functions/local/ses-identities-emulator';
import { ConflictError } from '#platform/errors';
import { sesIdentities } from '#platform/ses-identities';
import { createSesClient } from '#platform/ses-mailer';
import { assertLocalEndpoint } from '#test/support/local-only';

/*
 * The local SES identity API (functions/local/ses-identities-emulator.ts) through the real
 * SESv2Client: the request and response shapes the SDK serialises and parses, errors it names,
 * the simulated verification, persistence across restarts, and the proxy to aws-ses-v2-local.
 */
const VERIFY_AFTER_MS = 60_000;
let clockMs = Date.parse('2026-11-24T12:00:00Z');
let scratch: string;
let emulator: IdentitiesEmulator;
let port: number;
let client: SESv2Client;

const start = async () =>
  startIdentitiesEmulator({
    port,
    upstream: assertLocalEndpoint(inject('sesEndpoint')),
    verifyAfterMs: VERIFY_AFTER_MS,
    dataFile: join(scratch, 'identities.json'),
    now: () => clockMs,
  });

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ck-ses-identities-'));
  port = await freePort();
  emulator = await start();
  client = createSesClient({ region: 'us-east-1', endpoint: emulator.endpoint });
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const create = (domain: string, owner = 'globex') =>
  client.send(
    new CreateEmailIdentityCommand({
      EmailIdentity: domain,
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      Tags: [{ Key: 'channelkit:partner', Value: owner }],
    }),
  );
const get = (domain: string) => client.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
};

describe('the SES identity emulator, through SESv2Client', () => {
  it('creates an Easy DKIM domain identity that verifies a while later', async () => {
    const created = await create('mail.globex.example');

    expect(created).toMatchObject({
      IdentityType: 'DOMAIN',
      VerifiedForSendingStatus: false,
      DkimAttributes: {
        Status: 'PENDING',
        SigningEnabled: true,
        NextSigningKeyLength: 'RSA_2048_BIT',
        Tokens: [expect.stringMatching(/^[0-9a-f]{32}$/), expect.any(String), expect.any(String)],
      },
    });
    expect(await get('mail.globex.example')).toMatchObject({
      VerifiedForSendingStatus: false,
      VerificationStatus: 'PENDING',
      Tags: [{ Key: 'channelkit:partner', Value: 'globex' }],
    });
    clockMs += VERIFY_AFTER_MS;
    expect(await get('MAIL.globex.example')).toMatchObject({
      VerifiedForSendingStatus: true,
      VerificationStatus: 'SUCCESS',
      DkimAttributes: { Status: 'SUCCESS', Tokens: created.DkimAttributes?.Tokens },
    });
  });

  it('never verifies pending.* and fails failed.* (documented simulation rules)', async () => {
    await create('pending.initech.example');
    await create('failed.initech.example');
    clockMs += VERIFY_AFTER_MS;

    expect((await get('pending.initech.example')).DkimAttributes?.Status).toBe('PENDING');
    expect(await get('failed.initech.example')).toMatchObject({
      VerifiedForSendingStatus: false,
      DkimAttributes: { Status: 'FAILED' },
    });
  });

  it('answers errors the SDK names: AlreadyExists, NotFound, BadRequest', async () => {
    expect(await errorOf(create('mail.globex.example'))).toMatchObject({
      name: 'AlreadyExistsException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await errorOf(get('nowhere.example'))).toMatchObject({
      name: 'NotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    expect(
      await errorOf(client.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'nowhere.example' }))),
    ).toMatchObject({ name: 'NotFoundException' });
    expect(await errorOf(create('not a domain'))).toMatchObject({ name: 'BadRequestException' });
  });

  it('lists and deletes identities, and keeps them across a restart', async () => {
    const listed = await client.send(new ListEmailIdentitiesCommand({}));
    expect(listed.EmailIdentities?.map((i) => i.IdentityName).sort()).toEqual([
      'failed.initech.example',
      'mail.globex.example',
      'pending.initech.example',
    ]);
    await client.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'failed.initech.example' }));

    await emulator.stop();
    client.destroy();
    emulator = await start();
    client = createSesClient({ region: 'us-east-1', endpoint: emulator.endpoint });
    expect((await get('mail.globex.example')).VerifiedForSendingStatus).toBe(true);
    expect(await errorOf(get('failed.initech.example'))).toMatchObject({ name: 'NotFoundException' });
  });

  it('passes sending and the account to aws-ses-v2-local unchanged', async () => {
    const account = await client.send(new GetAccountCommand({}));
    expect(account.SendQuota?.MaxSendRate).toBeGreaterThan(0);
    const subject = `proxied ${Date.now()}`;
    const sent = await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'news@mail.globex.example',
        Destination: { ToAddresses: ['someone@example.com'] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'hello' } } } },
      }),
    );
    expect(sent.MessageId).toEqual(expect.any(String));
    const store = await (await fetch(`${emulator.endpoint}/store`)).json();
    expect(JSON.stringify(store)).toContain(subject);
  });
});

describe('the SES identity adapter (platform/ses-identities.ts) against the emulator', () => {
  it('adopts its own identity on a retried add and refuses one owned by another partner', async () => {
    const adapter = sesIdentities(client);
    const first = await adapter.createDomainIdentity('news.adopt.example', 'northwind');
    const again = await adapter.createDomainIdentity('news.adopt.example', 'northwind');

    expect(again.tokens).toEqual(first.tokens);
    await expect(adapter.createDomainIdentity('news.adopt.example', 'globex')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('reads status, treats a missing identity as absent and deleting it twice as done', async () => {
    const adapter = sesIdentities(client);
    expect(await adapter.getIdentityStatus('news.adopt.example')).toEqual({
      verified: false,
      dkimStatus: 'PENDING',
      tokens: expect.arrayContaining([expect.any(String)]),
    });
    await adapter.deleteIdentity('news.adopt.example');
    await adapter.deleteIdentity('news.adopt.example');
    expect(await adapter.getIdentityStatus('news.adopt.example')).toBeUndefined();
  });

  it('works behind startSesLocal, the emulator npm start and the tests run', async () => {
    const shared = new SESv2Client({
      region: 'us-east-1',
      endpoint: assertLocalEndpoint(inject('sesEndpoint')),
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const adapter = sesIdentities(shared);
      const domain = `shared-${Date.now()}.example`;
      expect((await adapter.createDomainIdentity(domain, 'globex')).tokens).toHaveLength(3);
      await adapter.deleteIdentity(domain);
    } finally {
      shared.destroy();
    }
  });
});
