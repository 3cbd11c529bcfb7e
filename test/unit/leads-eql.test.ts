import { describe, expect, it } from 'vitest';
import { type AccountHash, deriveAccountKeys } from '#functions/leads/account-keys';
import { hashAccountList, parseAccountList, type StoredAccount } from '#functions/leads/account-lists';
import { emailClassesFrom } from '#functions/leads/email-classes';
import { type AccountMatches, decideEql, decideLeadEql, type FindAccountMatches } from '#functions/leads/eql';
import { defaultQualificationConfig, qualify } from '#functions/leads/qualification';

const hashes: AccountHash[] = [{ kid: 'a1', hash: 'AAAAAAAAAAAAAAAAAAAAAA' }];
const noVendor = { isCustomer: false, isOpportunity: false };

describe('decideEql', () => {
  it('is an EQL when a partner has the account as a customer and the vendor does not have it', () => {
    expect(
      decideEql({
        leadDomainHashes: hashes,
        domain: 'acme.co.uk',
        vendor: noVendor,
        partnerOverlaps: [{ partnerId: 'partner-a', kinds: ['customer'] }],
      }),
    ).toEqual({
      eql: true,
      reasons: [
        'acme.co.uk is neither a vendor customer nor an open vendor opportunity',
        'acme.co.uk is a customer of partner partner-a',
      ],
      overlaps: [{ partnerId: 'partner-a', kind: 'customer' }],
    });
  });

  it('names every partner and kind that overlaps, in a stable order, each once', () => {
    const decision = decideEql({
      leadDomainHashes: hashes,
      vendor: noVendor,
      partnerOverlaps: [
        { partnerId: 'partner-b', kinds: ['opportunity', 'customer'] },
        { partnerId: 'partner-a', kinds: ['opportunity'] },
        { partnerId: 'partner-b', kinds: ['customer'] },
        { partnerId: 'partner-c', kinds: [] },
      ],
    });
    expect(decision.eql).toBe(true);
    expect(decision.overlaps).toEqual([
      { partnerId: 'partner-a', kind: 'opportunity' },
      { partnerId: 'partner-b', kind: 'customer' },
      { partnerId: 'partner-b', kind: 'opportunity' },
    ]);
    expect(decision.reasons.slice(1)).toEqual([
      'the account is an open opportunity of partner partner-a',
      'the account is a customer of partner partner-b',
      'the account is an open opportunity of partner partner-b',
    ]);
  });

  it('is not an EQL when the account is already a vendor open opportunity, though partners overlap', () => {
    expect(
      decideEql({
        leadDomainHashes: hashes,
        domain: 'acme.co.uk',
        vendor: { isCustomer: false, isOpportunity: true },
        partnerOverlaps: [{ partnerId: 'partner-a', kinds: ['customer'] }],
      }),
    ).toEqual({
      eql: false,
      reasons: ['acme.co.uk is already an open vendor opportunity'],
      overlaps: [{ partnerId: 'partner-a', kind: 'customer' }],
    });
  });

  it('is not an EQL when the account is already a vendor customer', () => {
    const decision = decideEql({
      leadDomainHashes: hashes,
      domain: 'acme.co.uk',
      vendor: { isCustomer: true, isOpportunity: true },
      partnerOverlaps: [{ partnerId: 'partner-a', kinds: ['opportunity'] }],
    });
    expect(decision.eql).toBe(false);
    expect(decision.reasons).toEqual([
      'acme.co.uk is already a vendor customer',
      'acme.co.uk is already an open vendor opportunity',
    ]);
  });

  it('is not an EQL without a partner overlap', () => {
    expect(
      decideEql({ leadDomainHashes: hashes, domain: 'acme.co.uk', vendor: noVendor, partnerOverlaps: [] }),
    ).toEqual({
      eql: false,
      reasons: [
        'acme.co.uk is neither a vendor customer nor an open vendor opportunity',
        "acme.co.uk is on no partner's customer or open-opportunity list",
      ],
      overlaps: [],
    });
  });

  it('is never an EQL without a company domain, whatever the lists say', () => {
    expect(
      decideEql({
        leadDomainHashes: [],
        noAccountReason: 'gmail.com is a free-mail domain, listed in email-providers/common',
        vendor: noVendor,
        partnerOverlaps: [{ partnerId: 'partner-a', kinds: ['customer'] }],
      }),
    ).toEqual({
      eql: false,
      reasons: [
        'the lead has no company domain to match: gmail.com is a free-mail domain, listed in email-providers/common',
      ],
      overlaps: [],
    });
  });
});

/**
 * The "done when" cases end to end at the domain level: lists uploaded as CSV, stored
 * as hashes, a lead qualified and decided, with an in-memory stand-in for the store's lookup.
 */
describe('a lead against uploaded account lists', () => {
  const keys = deriveAccountKeys('root-secret-0123456789abcdef0123456789', { primary: 'a1', active: ['a1'] });
  const emailClasses = emailClassesFrom({
    freeMailCommon: ['gmail.com'],
    freeMailAll: ['gmail.com'],
    disposable: [],
  });
  const policy = defaultQualificationConfig.rules.businessEmail;
  const csv = (text: string) => new TextEncoder().encode(text);

  const stored = async (owner: string, text: string) =>
    hashAccountList(keys, (await parseAccountList(csv(text))).accounts).map((entry) => ({ owner, ...entry }));

  const lists = async () => [
    ...(await stored('vendor', 'domain,type\nglobex.com,opportunity\ninitech.com,customer\n')),
    ...(await stored(
      'partner-a',
      'company,website,status\nAcme,https://www.acme.co.uk,customer\nGlobex,globex.com,customer\n',
    )),
    ...(await stored('partner-b', 'domain,kind\nacme.co.uk,opportunity\n')),
  ];

  /** What a store adapter does: match any of the hashes, group by owner. */
  const lookupIn =
    (entries: (StoredAccount & { owner: string })[]): FindAccountMatches =>
    async (wanted) => {
      const hits = entries.filter((e) => wanted.some((w) => w.kid === e.kid && w.hash === e.hash));
      const vendorKinds = hits.filter((h) => h.owner === 'vendor').map((h) => h.kind);
      const partners = new Map<string, StoredAccount['kind'][]>();
      for (const hit of hits.filter((h) => h.owner !== 'vendor')) {
        partners.set(hit.owner, [...(partners.get(hit.owner) ?? []), hit.kind]);
      }
      const matches: AccountMatches = {
        vendor: {
          isCustomer: vendorKinds.includes('customer'),
          isOpportunity: vendorKinds.includes('opportunity'),
        },
        partnerOverlaps: [...partners].map(([partnerId, kinds]) => ({ partnerId, kinds })),
      };
      return matches;
    };

  const decide = async (email: string) =>
    decideLeadEql(email, { emailClasses, keys, policy, findMatches: lookupIn(await lists()) });

  it('makes a business lead on partners’ lists an EQL naming each partner and kind', async () => {
    const decision = await decide('Ann.Lee@Mail.Acme.co.uk');
    expect(decision).toEqual({
      eql: true,
      reasons: [
        'acme.co.uk is neither a vendor customer nor an open vendor opportunity',
        'acme.co.uk is a customer of partner partner-a',
        'acme.co.uk is an open opportunity of partner partner-b',
      ],
      overlaps: [
        { partnerId: 'partner-a', kind: 'customer' },
        { partnerId: 'partner-b', kind: 'opportunity' },
      ],
    });
    // Partner A's other customer (globex.com) appears nowhere in this lead's answer.
    expect(JSON.stringify(decision)).not.toMatch(/globex|initech/);
  });

  it('does not make an account the vendor already works an EQL', async () => {
    const decision = await decide('bo@globex.com');
    expect(decision.eql).toBe(false);
    expect(decision.reasons).toEqual(['globex.com is already an open vendor opportunity']);
  });

  it('leaves a qualified business lead with no overlap a non-EQL', async () => {
    const lead = {
      email: 'cy@hooli.com',
      fields: { first_name: 'Cy', last_name: 'Ng', company: 'Hooli' },
      consent: { given: true, text: 'I agree to be contacted.' },
    };
    const qualification = qualify(lead, defaultQualificationConfig, { duplicate: false, emailClasses });
    expect(qualification.qualified).toBe(true);
    const decision = await decide(lead.email);
    expect(decision.eql).toBe(false);
    expect(decision.reasons[1]).toBe("hooli.com is on no partner's customer or open-opportunity list");
  });

  it('never looks up a free-mail lead, and says why it is not an EQL', async () => {
    let lookedUp = false;
    const decision = await decideLeadEql('ann@gmail.com', {
      emailClasses,
      keys,
      policy,
      findMatches: async () => {
        lookedUp = true;
        return { vendor: noVendor, partnerOverlaps: [{ partnerId: 'partner-a', kinds: ['customer'] }] };
      },
    });
    expect(lookedUp).toBe(false);
    expect(decision).toEqual({
      eql: false,
      reasons: [
        'the lead has no company domain to match: gmail.com is a free-mail domain, listed in email-providers/common',
      ],
      overlaps: [],
    });
  });

  it('matches lists hashed under the old key while keys rotate', async () => {
    const entries = await lists();
    const rotated = deriveAccountKeys('root-secret-0123456789abcdef0123456789', {
      primary: 'a2',
      active: ['a1', 'a2'],
    });
    const decision = await decideLeadEql('ann@acme.co.uk', {
      emailClasses,
      keys: rotated,
      policy,
      findMatches: lookupIn(entries),
    });
    expect(decision.eql).toBe(true);
  });
});
