import {
  AlreadyExistsException,
  BadRequestException,
  ConcurrentModificationException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  LimitExceededException,
  NotFoundException,
  SESv2Client,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { IdentityRejectedError, IdentityServiceBusyError } from '#functions/sending-domains/ports';
import { ConflictError, UnavailableError } from '#platform/errors';
import { sesIdentities } from '#platform/ses-identities';
import { createSesClient } from '#platform/ses-mailer';

// Call shapes and faults only; real identities go to the emulator (integration tests).
const client = createSesClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
const mock = mockClient(SESv2Client);
const identities = sesIdentities(client, { retryAfterSeconds: 4 });
const meta = { $metadata: {}, message: 'x' };
const dkim = { Status: 'PENDING' as const, Tokens: ['t1', 't2', 't3'] };

beforeEach(() => {
  mock.reset();
});

describe('SES identities adapter', () => {
  it('creates an Easy DKIM 2048-bit identity tagged with its owner', async () => {
    mock.on(CreateEmailIdentityCommand).resolves({ VerifiedForSendingStatus: false, DkimAttributes: dkim });

    expect(await identities.createDomainIdentity('mail.acme.example', 'acme')).toEqual({
      verified: false,
      dkimStatus: 'PENDING',
      tokens: ['t1', 't2', 't3'],
    });
    expect(mock.commandCalls(CreateEmailIdentityCommand)[0]?.args[0].input).toEqual({
      EmailIdentity: 'mail.acme.example',
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      Tags: [{ Key: 'channelkit:partner', Value: 'acme' }],
    });
  });

  it('names the configuration set when given one', async () => {
    mock.on(CreateEmailIdentityCommand).resolves({ DkimAttributes: dkim });
    await sesIdentities(client, { configurationSetName: 'channelkit-dev' }).createDomainIdentity(
      'a.example',
      'a',
    );
    expect(mock.commandCalls(CreateEmailIdentityCommand)[0]?.args[0].input).toMatchObject({
      ConfigurationSetName: 'channelkit-dev',
    });
  });

  it('adopts an existing identity with the same owner and refuses one with another or none', async () => {
    mock.on(CreateEmailIdentityCommand).rejects(new AlreadyExistsException(meta));
    mock
      .on(GetEmailIdentityCommand)
      .resolvesOnce({
        VerifiedForSendingStatus: true,
        DkimAttributes: { ...dkim, Status: 'SUCCESS' },
        Tags: [{ Key: 'channelkit:partner', Value: 'acme' }],
      })
      .resolvesOnce({ DkimAttributes: dkim, Tags: [{ Key: 'channelkit:partner', Value: 'globex' }] })
      .resolvesOnce({ DkimAttributes: dkim });

    expect(await identities.createDomainIdentity('mail.acme.example', 'acme')).toEqual({
      verified: true,
      dkimStatus: 'SUCCESS',
      tokens: ['t1', 't2', 't3'],
    });
    await expect(identities.createDomainIdentity('mail.acme.example', 'acme')).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(identities.createDomainIdentity('mail.acme.example', 'acme')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('turns throttling into a retryable error carrying Retry-After', async () => {
    mock.on(GetEmailIdentityCommand).rejects(new TooManyRequestsException(meta));
    const error = await identities.getIdentityStatus('mail.acme.example').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(IdentityServiceBusyError);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ status: 503, retryAfterSeconds: 4 });
  });

  it('maps the other SES faults to domain errors', async () => {
    mock
      .on(CreateEmailIdentityCommand)
      .rejectsOnce(new BadRequestException(meta))
      .rejectsOnce(new LimitExceededException(meta))
      .rejectsOnce(new ConcurrentModificationException(meta));

    await expect(identities.createDomainIdentity('x.example', 'a')).rejects.toBeInstanceOf(
      IdentityRejectedError,
    );
    await expect(identities.createDomainIdentity('x.example', 'a')).rejects.toBeInstanceOf(ConflictError);
    await expect(identities.createDomainIdentity('x.example', 'a')).rejects.toBeInstanceOf(UnavailableError);
  });

  it('reads a missing identity as absent, deletes a missing one quietly, and keeps unknown DKIM states safe', async () => {
    mock.on(GetEmailIdentityCommand).rejectsOnce(new NotFoundException(meta)).resolvesOnce({});
    mock.on(DeleteEmailIdentityCommand).rejects(new NotFoundException(meta));

    expect(await identities.getIdentityStatus('gone.example')).toBeUndefined();
    expect(await identities.getIdentityStatus('odd.example')).toEqual({
      verified: false,
      dkimStatus: 'NOT_STARTED',
      tokens: [],
    });
    await expect(identities.deleteIdentity('gone.example')).resolves.toBeUndefined();
  });
});
