import { type AccountHash, type AccountKeys, hashAccountUnderAllKeys } from './account-keys';
import type { AccountKind } from './account-lists';
import { type BusinessEmailPolicy, businessDomainOf, type EmailClasses } from './email-classes';

/**
 * Ecosystem-qualified lead, in the account-mapping sense the term was coined for: the lead's
 * account (its company domain) is neither a customer nor an open opportunity of the vendor
 * already, and is a customer or open opportunity of at least one partner. A lead records which
 * partners overlap and how, never a partner's list.
 */
export interface PartnerOverlap {
  partnerId: string;
  kinds: readonly AccountKind[];
}

export interface AccountMatches {
  vendor: { isCustomer: boolean; isOpportunity: boolean };
  partnerOverlaps: readonly PartnerOverlap[];
}

export interface EqlInput extends AccountMatches {
  /** The account's hashes under every active key; empty when the lead has no company domain. */
  leadDomainHashes: readonly AccountHash[];
  /** The company domain, only to name it in the reasons. */
  domain?: string | undefined;
  /** Why the lead has no company domain (e.g. "gmail.com is a free-mail domain …"). */
  noAccountReason?: string | undefined;
}

export interface EqlOverlap {
  partnerId: string;
  kind: AccountKind;
}

export interface EqlDecision {
  eql: boolean;
  reasons: string[];
  /** Every partner list the account is on, by partner then kind; listed also when not an EQL. */
  overlaps: EqlOverlap[];
}

const kindOrder: Record<AccountKind, number> = { customer: 0, opportunity: 1 };
const asWords: Record<AccountKind, string> = { customer: 'a customer', opportunity: 'an open opportunity' };

const overlapsOf = (partners: readonly PartnerOverlap[]): EqlOverlap[] => {
  const unique = new Map<string, EqlOverlap>();
  for (const { partnerId, kinds } of partners) {
    for (const kind of kinds) unique.set(`${partnerId} ${kind}`, { partnerId, kind });
  }
  return [...unique.values()].sort(
    (a, b) =>
      (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0) ||
      kindOrder[a.kind] - kindOrder[b.kind],
  );
};

/** Decides from what the account lists say; every answer names the condition that decided it. */
export const decideEql = (input: EqlInput): EqlDecision => {
  if (input.leadDomainHashes.length === 0) {
    const why = input.noAccountReason ? `: ${input.noAccountReason}` : '';
    return { eql: false, reasons: [`the lead has no company domain to match${why}`], overlaps: [] };
  }
  const account = input.domain ?? 'the account';
  const overlaps = overlapsOf(input.partnerOverlaps);
  const vendorReasons = [
    ...(input.vendor.isCustomer ? [`${account} is already a vendor customer`] : []),
    ...(input.vendor.isOpportunity ? [`${account} is already an open vendor opportunity`] : []),
  ];
  if (vendorReasons.length > 0) return { eql: false, reasons: vendorReasons, overlaps };
  const notVendor = `${account} is neither a vendor customer nor an open vendor opportunity`;
  if (overlaps.length === 0) {
    return {
      eql: false,
      reasons: [notVendor, `${account} is on no partner's customer or open-opportunity list`],
      overlaps,
    };
  }
  return {
    eql: true,
    reasons: [
      notVendor,
      ...overlaps.map((o) => `${account} is ${asWords[o.kind]} of partner ${o.partnerId}`),
    ],
    overlaps,
  };
};

/** Looks the hashes up in the stored lists (vendor's and every partner's); a store adapter. */
export type FindAccountMatches = (hashes: readonly AccountHash[]) => Promise<AccountMatches>;

export interface LeadEqlDeps {
  emailClasses: EmailClasses;
  keys: AccountKeys;
  /** The qualification config's businessEmail settings: both answers judge personal domains alike. */
  policy: BusinessEmailPolicy;
  findMatches: FindAccountMatches;
}

/**
 * The EQL decision for a lead's address: its company domain (none for free-mail, disposable
 * or invalid addresses, which are never EQLs), hashed under every active key, looked up, decided.
 */
export const decideLeadEql = async (email: string, deps: LeadEqlDeps): Promise<EqlDecision> => {
  const business = businessDomainOf(email, deps.emailClasses, deps.policy);
  if (!business.ok) {
    return decideEql({
      leadDomainHashes: [],
      noAccountReason: business.reason,
      vendor: { isCustomer: false, isOpportunity: false },
      partnerOverlaps: [],
    });
  }
  const hashes = hashAccountUnderAllKeys(deps.keys, business.domain);
  const matches = await deps.findMatches(hashes);
  return decideEql({ ...matches, leadDomainHashes: hashes, domain: business.domain });
};
