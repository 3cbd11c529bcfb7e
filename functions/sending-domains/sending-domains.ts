import type { Principal } from '#functions/auth/principal';
import { partnerIdInScope } from '#functions/auth/tenancy';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '#platform/errors';
import { type DomainIdentities, IdentityRejectedError, IdentityServiceBusyError } from './ports';
import {
  checkSendingDomain,
  defaultCadence,
  type RefreshCadence,
  refreshDue,
  statusOf,
  toView,
} from './rules';
import type { SendingDomain, SendingDomainInput, StoredSendingDomain } from './schema';
import type { SendingDomainStore } from './store';

export interface SendingDomainDeps {
  store: SendingDomainStore;
  identities: DomainIdentities;
  clock: () => Date;
  /** The vendor's SES sending domain (`SENDER_DOMAIN`): never a partner's. */
  vendorDomain: string;
  cadence?: RefreshCadence;
}

const mustExist = (found: StoredSendingDomain | undefined): StoredSendingDomain => {
  if (!found) throw new NotFoundError('no sending domain');
  return found;
};

/**
 * Asks SES again and stores what it says. Two readers refreshing at once both ask SES, but only
 * one write wins; the other returns what was stored.
 */
const refresh = async (
  deps: SendingDomainDeps,
  current: StoredSendingDomain,
): Promise<StoredSendingDomain> => {
  const identity = await deps.identities.getIdentityStatus(current.domain);
  const checkedAt = deps.clock().toISOString();
  const changes = identity
    ? {
        status: statusOf(identity),
        dkimStatus: identity.dkimStatus,
        tokens: identity.tokens.length > 0 ? identity.tokens : current.tokens,
        checkedAt,
      }
    : // Deleted in SES behind our back: nothing can be sent from it until it is added again.
      { status: 'failed' as const, dkimStatus: 'NOT_STARTED' as const, checkedAt };
  try {
    return await deps.store.update(current.partnerId, current.version, changes);
  } catch (error) {
    if (error instanceof PreconditionFailedError) return mustExist(await deps.store.get(current.partnerId));
    throw error;
  }
};

/**
 * A read refreshes a status SES has not been asked about for a while (10 s while pending, an
 * hour once final), so the portal can poll without hammering SES, which throttles identity
 * look-ups to about one a second. When SES throttles a read, the stored status is answered.
 */
const fresh = async (deps: SendingDomainDeps, current: StoredSendingDomain): Promise<StoredSendingDomain> => {
  if (!refreshDue(current, deps.clock(), deps.cadence ?? defaultCadence)) return current;
  try {
    return await refresh(deps, current);
  } catch (error) {
    if (error instanceof IdentityServiceBusyError) return current;
    throw error;
  }
};

/** A partner's sending domain as the caller may see it (partner users: only their own). */
export const getSendingDomain = async (
  deps: SendingDomainDeps,
  principal: Principal,
  partnerId: string,
): Promise<SendingDomain> =>
  toView(await fresh(deps, mustExist(await deps.store.get(partnerIdInScope(principal, partnerId)))));

/** "Check now": asks SES whatever the cadence; throttling is answered (503, Retry-After). */
export const verifySendingDomain = async (
  deps: SendingDomainDeps,
  partnerId: string,
): Promise<SendingDomain> => toView(await refresh(deps, mustExist(await deps.store.get(partnerId))));

const addDomain = async (
  deps: SendingDomainDeps,
  partnerId: string,
  input: SendingDomainInput,
): Promise<StoredSendingDomain> => {
  if (input.useForSending) {
    throw new ConflictError(
      'a new domain is not verified yet: add it, publish its DKIM records, then choose it for sending',
    );
  }
  const owner = await deps.store.claimOwner(input.domain);
  if (owner !== undefined && owner !== partnerId) {
    throw new ConflictError('this domain is already registered by another partner');
  }
  let identity: Awaited<ReturnType<DomainIdentities['createDomainIdentity']>>;
  try {
    identity = await deps.identities.createDomainIdentity(input.domain, partnerId);
  } catch (error) {
    if (error instanceof IdentityRejectedError) {
      throw new ValidationError('SES refused the domain', [{ path: 'body.domain', message: error.message }]);
    }
    throw error;
  }
  const now = deps.clock().toISOString();
  const domain: StoredSendingDomain = {
    partnerId,
    domain: input.domain,
    status: statusOf(identity),
    dkimStatus: identity.dkimStatus,
    tokens: identity.tokens,
    localPart: input.localPart,
    useForSending: false,
    createdAt: now,
    updatedAt: now,
    checkedAt: now,
    version: 1,
  };
  // A lost race (another partner, or this one twice) is a ConflictError; the SES identity stays
  // tagged with its owner, so a retry by the same partner adopts it.
  await deps.store.create(domain);
  return domain;
};

const changeSettings = async (
  deps: SendingDomainDeps,
  current: StoredSendingDomain,
  input: SendingDomainInput,
): Promise<StoredSendingDomain> => {
  const latest = await fresh(deps, current);
  if (input.useForSending && latest.status !== 'verified') {
    throw new ConflictError(
      `${latest.domain} is not verified (DKIM ${latest.dkimStatus}): publish its CNAME records and check again before using it`,
    );
  }
  if (latest.localPart === input.localPart && latest.useForSending === input.useForSending) return latest;
  return deps.store.update(latest.partnerId, latest.version, {
    localPart: input.localPart,
    useForSending: input.useForSending,
    updatedAt: deps.clock().toISOString(),
  });
};

/**
 * Adds the partner's domain (creating its SES identity) or, for the domain already added, sets
 * the From local part and whether campaigns use it; one domain per partner.
 */
export const saveSendingDomain = async (
  deps: SendingDomainDeps,
  partnerId: string,
  input: SendingDomainInput,
): Promise<SendingDomain> => {
  checkSendingDomain(input.domain, deps.vendorDomain);
  for (let attempt = 0; ; attempt += 1) {
    const current = await deps.store.get(partnerId);
    if (!current) return toView(await addDomain(deps, partnerId, input));
    if (current.domain !== input.domain) {
      throw new ConflictError(`remove ${current.domain} before adding another domain (one per partner)`);
    }
    try {
      return toView(await changeSettings(deps, current, input));
    } catch (error) {
      // A status refresh landed in between: read again once.
      if (!(error instanceof PreconditionFailedError) || attempt > 0) throw error;
    }
  }
};

/** Deletes the SES identity, then the domain: campaigns send from the vendor's domain again. */
export const removeSendingDomain = async (deps: SendingDomainDeps, partnerId: string): Promise<string> => {
  const current = mustExist(await deps.store.get(partnerId));
  await deps.identities.deleteIdentity(current.domain);
  await deps.store.remove(partnerId, current.domain);
  return current.domain;
};
