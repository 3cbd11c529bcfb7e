import {
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  type DkimAttributes,
  GetEmailIdentityCommand,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import {
  type DomainIdentities,
  IdentityRejectedError,
  IdentityServiceBusyError,
  type IdentityStatus,
  OWNER_TAG,
} from '#functions/sending-domains/ports';
import { type DkimStatus, dkimStatusSchema } from '#functions/sending-domains/schema';
import { ConflictError, UnavailableError } from './errors';

/**
 * SES v2 domain identities: the only module that imports the identity commands. Each identity is
 * created with Easy DKIM (2048-bit keys) and tagged with the partner that owns it, because
 * identities are account-wide: a retried add by the same partner adopts its own identity, and
 * nobody adopts another's (or one made by hand). SDK errors become domain errors here.
 */
export interface SesIdentitiesOptions {
  /** Made the identity's default configuration set when given (sends name ours anyway). */
  configurationSetName?: string | undefined;
  /** Seconds a caller should wait after SES throttled us. */
  retryAfterSeconds?: number;
}

const THROTTLING = new Set(['TooManyRequestsException', 'Throttling', 'ThrottlingException']);

const statusFrom = (out: {
  VerifiedForSendingStatus?: boolean | undefined;
  DkimAttributes?: DkimAttributes | undefined;
}): IdentityStatus => {
  const parsed = dkimStatusSchema.safeParse(out.DkimAttributes?.Status);
  const dkimStatus: DkimStatus = parsed.success ? parsed.data : 'NOT_STARTED';
  return {
    verified: out.VerifiedForSendingStatus === true,
    dkimStatus,
    tokens: out.DkimAttributes?.Tokens ?? [],
  };
};

export const sesIdentities = (client: SESv2Client, options: SesIdentitiesOptions = {}): DomainIdentities => {
  const retryAfterSeconds = options.retryAfterSeconds ?? 2;

  /** SDK error → domain error; anything unknown stays as it is (a 500 without internals). */
  const translate = (error: unknown): unknown => {
    if (!(error instanceof Error)) return error;
    if (THROTTLING.has(error.name)) {
      return new IdentityServiceBusyError('SES is busy checking domains; retry shortly', retryAfterSeconds);
    }
    if (error.name === 'ConcurrentModificationException') {
      return new UnavailableError('SES is changing this identity; retry shortly');
    }
    if (error.name === 'LimitExceededException') {
      return new ConflictError('the SES account has reached its limit of identities; ask the vendor');
    }
    if (error.name === 'BadRequestException') return new IdentityRejectedError(error.message);
    return error;
  };

  const read = async (domain: string) => {
    try {
      return await client.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
    } catch (error) {
      if (error instanceof Error && error.name === 'NotFoundException') return undefined;
      throw translate(error);
    }
  };

  return {
    async createDomainIdentity(domain, ownerPartnerId) {
      try {
        const out = await client.send(
          new CreateEmailIdentityCommand({
            EmailIdentity: domain,
            DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
            Tags: [{ Key: OWNER_TAG, Value: ownerPartnerId }],
            ...(options.configurationSetName ? { ConfigurationSetName: options.configurationSetName } : {}),
          }),
        );
        return statusFrom(out);
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'AlreadyExistsException') throw translate(error);
      }
      const existing = await read(domain);
      const owner = existing?.Tags?.find((tag) => tag.Key === OWNER_TAG)?.Value;
      if (!existing || owner !== ownerPartnerId) {
        throw new ConflictError('this domain is already registered with SES outside your account');
      }
      return statusFrom(existing);
    },
    async getIdentityStatus(domain) {
      const out = await read(domain);
      return out ? statusFrom(out) : undefined;
    },
    async deleteIdentity(domain) {
      try {
        await client.send(new DeleteEmailIdentityCommand({ EmailIdentity: domain }));
      } catch (error) {
        if (error instanceof Error && error.name === 'NotFoundException') return;
        throw translate(error);
      }
    },
  };
};
