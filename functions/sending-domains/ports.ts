import { UnavailableError } from '#platform/errors';
import type { DkimStatus } from './schema';

/** The tag naming the partner that owns an SES identity (infra scopes TagResource to it). */
export const OWNER_TAG = 'channelkit:partner';

/** What SES says about a domain identity. */
export interface IdentityStatus {
  /** SES may send from it (VerifiedForSendingStatus). */
  verified: boolean;
  dkimStatus: DkimStatus;
  /** The Easy DKIM tokens: each becomes a CNAME record the partner adds to DNS. */
  tokens: string[];
}

/**
 * SES domain identities (functions/platform/ses-identities.ts in AWS and against the local
 * emulator). Identities are account-wide, so each is tagged with the partner that owns it.
 */
export interface DomainIdentities {
  /**
   * Creates an Easy DKIM identity owned by `ownerPartnerId`. An identity that already exists
   * with the same owner is adopted (a retried add); any other existing one is a ConflictError.
   */
  createDomainIdentity(domain: string, ownerPartnerId: string): Promise<IdentityStatus>;
  /** The identity's status, or undefined when SES has no such identity. */
  getIdentityStatus(domain: string): Promise<IdentityStatus | undefined>;
  /** Deletes the identity; a missing one is not an error. */
  deleteIdentity(domain: string): Promise<void>;
}

/** SES throttled us (identity look-ups are limited to about one a second): retry after a while. */
export class IdentityServiceBusyError extends UnavailableError {
  override name = 'IdentityServiceBusyError';
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail, undefined, { retryAfterSeconds });
  }
}

/** SES refused the domain itself (BadRequest): the caller's input, not our fault. */
export class IdentityRejectedError extends Error {
  override name = 'IdentityRejectedError';
}
