import { parse } from 'tldts';
import { type FieldError, ValidationError } from '#platform/errors';
import type { IdentityStatus } from './ports';
import type { DkimRecord, DomainStatus, SendingDomain, StoredSendingDomain } from './schema';
import { partnerFromAddress } from './sender';

/** Top-level names that never reach the public DNS: SES could never verify them. */
const PRIVATE_TLDS = new Set([
  'local',
  'localhost',
  'internal',
  'invalid',
  'arpa',
  'onion',
  'lan',
  'home',
  'corp',
]);

const registrable = (hostname: string): string | null =>
  parse(hostname, { allowPrivateDomains: true }).domain;

/**
 * The domain rules that need more than a pattern: a registrable name under a public suffix (not
 * the suffix itself, not an IP, not a private TLD), and never the vendor's own domain or any name
 * under the vendor's registrable domain (partners would otherwise send as the vendor).
 */
export const sendingDomainProblems = (domain: string, vendorDomain: string): FieldError[] => {
  const at = (message: string): FieldError[] => [{ path: 'body.domain', message }];
  const parsed = parse(domain, { allowPrivateDomains: true });
  if (parsed.isIp) return at('an IP address cannot be a sending domain');
  if (parsed.hostname !== domain || parsed.domain === null) {
    return at('not a registrable domain (a public suffix such as co.uk cannot be verified)');
  }
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (PRIVATE_TLDS.has(tld)) return at(`.${tld} names are not in the public DNS`);
  const vendor = vendorDomain.toLowerCase();
  const vendorRoot = registrable(vendor) ?? vendor;
  if (domain === vendor || domain.endsWith(`.${vendor}`) || parsed.domain === vendorRoot) {
    return at('this is the vendor’s domain: campaigns already send from it by default');
  }
  return [];
};

export const checkSendingDomain = (domain: string, vendorDomain: string): void => {
  const problems = sendingDomainProblems(domain, vendorDomain);
  if (problems.length > 0) throw new ValidationError('the domain cannot be used for sending', problems);
};

/** SES's answer → our status: verified only when SES may send from it and DKIM succeeded. */
export const statusOf = (identity: Pick<IdentityStatus, 'verified' | 'dkimStatus'>): DomainStatus => {
  if (identity.verified && identity.dkimStatus === 'SUCCESS') return 'verified';
  if (identity.dkimStatus === 'FAILED') return 'failed';
  return 'pending';
};

/** Easy DKIM: one CNAME per token, `{token}._domainkey.{domain}` → `{token}.dkim.amazonses.com`. */
export const dkimRecords = (domain: string, tokens: readonly string[]): DkimRecord[] =>
  tokens.map((token) => ({
    name: `${token}._domainkey.${domain}`,
    type: 'CNAME',
    value: `${token}.dkim.amazonses.com`,
  }));

/** How often a read asks SES again: often while pending, rarely once final (DNS can still change). */
export interface RefreshCadence {
  pendingMs: number;
  finalMs: number;
}

export const defaultCadence: RefreshCadence = { pendingMs: 10_000, finalMs: 60 * 60_000 };

export const refreshDue = (domain: StoredSendingDomain, now: Date, cadence: RefreshCadence): boolean =>
  now.getTime() - Date.parse(domain.checkedAt) >=
  (domain.status === 'pending' ? cadence.pendingMs : cadence.finalMs);

export const toView = (domain: StoredSendingDomain): SendingDomain => ({
  partnerId: domain.partnerId,
  domain: domain.domain,
  status: domain.status,
  dkimStatus: domain.dkimStatus,
  records: dkimRecords(domain.domain, domain.tokens),
  localPart: domain.localPart,
  fromAddress: `${domain.localPart}@${domain.domain}`,
  useForSending: domain.useForSending,
  sendingFrom: partnerFromAddress(domain) ? 'partner-domain' : 'vendor-domain',
  createdAt: domain.createdAt,
  updatedAt: domain.updatedAt,
  checkedAt: domain.checkedAt,
});
