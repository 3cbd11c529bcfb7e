import type { StoredSendingDomain } from './schema';

/**
 * The From address of a partner's own domain when campaigns may use it (verified and chosen),
 * otherwise undefined: the send worker then uses the vendor's domain. Kept apart from rules.ts
 * so the worker's bundle does not carry the Public Suffix List.
 */
export const partnerFromAddress = (domain: StoredSendingDomain | undefined): string | undefined =>
  domain?.status === 'verified' && domain.useForSending ? `${domain.localPart}@${domain.domain}` : undefined;
