import { describe, expect, it } from 'vitest';
import type { Principal } from '#functions/auth/principal';
import { memoryTable } from '#functions/sending/memory-table';
import { domainClaimKey, sendingDomainKey } from '#functions/sending-domains/keys';
import {
  type DomainIdentities,
  IdentityServiceBusyError,
  type IdentityStatus,
} from '#functions/sending-domains/ports';
import {
  defaultCadence,
  dkimRecords,
  refreshDue,
  sendingDomainProblems,
  statusOf,
  toView,
} from '#functions/sending-domains/rules';
import {
  dkimStatuses,
  domainNameSchema,
  localPartSchema,
  type StoredSendingDomain,
  sendingDomainInputSchema,
} from '#functions/sending-domains/schema';
import { partnerFromAddress } from '#functions/sending-domains/sender';
import {
  getSendingDomain,
  removeSendingDomain,
  type SendingDomainDeps,
  saveSendingDomain,
  verifySendingDomain,
} from '#functions/sending-domains/sending-domains';
import { sendingDomainStore } from '#functions/sending-domains/store';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors';

const VENDOR = 'mail.vendor.example';

describe('sending domain keys', () => {
  it('keeps the partner’s domain in its partition and the claim under the domain', () => {
    expect(sendingDomainKey('globex')).toEqual({ pk: 'PARTNER#globex', sk: 'SENDING_DOMAIN' });
    expect(domainClaimKey('mail.globex.example')).toEqual({
      pk: 'SENDING_DOMAIN#mail.globex.example',
      sk: 'CLAIM',
    });
  });
});

describe('domain validation', () => {
  const name = (value: string) => domainNameSchema.safeParse(value);

  it('trims, lower-cases and drops a trailing dot', () => {
    expect(name('  Mail.Acme.Example. ').data).toBe('mail.acme.example');
  });

  it.each([
    ['acme', 'a single label'],
    ['a_b.example', 'an underscore'],
    ['-acme.example', 'a leading hyphen'],
    ['acme..example', 'an empty label'],
    ['bücher.example', 'a Unicode label (xn-- form needed)'],
    [`${'a'.repeat(64)}.example`, 'a label over 63 characters'],
    [`${'abcdefghi.'.repeat(20)}example`, 'over 200 characters'],
  ])('refuses %s (%s)', (value) => {
    expect(name(value).success).toBe(false);
  });

  it.each([
    ['1.2.3.4', 'an IP address cannot be a sending domain'],
    ['co.uk', 'not a registrable domain'],
    ['github.io', 'not a registrable domain'],
    ['printer.local', '.local names are not in the public DNS'],
    ['mail.vendor.example', 'the vendor’s domain'],
    ['news.mail.vendor.example', 'the vendor’s domain'],
    ['vendor.example', 'the vendor’s domain'],
    ['partners.vendor.example', 'the vendor’s domain'],
  ])('refuses %s as a partner sending domain', (domain, message) => {
    const problems = sendingDomainProblems(domain, VENDOR);
    expect(problems).toEqual([{ path: 'body.domain', message: expect.stringContaining(message) }]);
  });

  it.each(['mail.acme.example', 'acme.co.uk', 'news.acme.co.uk', 'xn--bcher-kva.example', 'acme.github.io'])(
    'accepts %s',
    (domain) => {
      expect(name(domain).success).toBe(true);
      expect(sendingDomainProblems(domain, VENDOR)).toEqual([]);
    },
  );

  it('defaults the local part to news and refuses one SES would not take', () => {
    expect(sendingDomainInputSchema.parse({ domain: 'acme.example' })).toEqual({
      domain: 'acme.example',
      localPart: 'news',
      useForSending: false,
    });
    expect(localPartSchema.parse(' Events ')).toBe('events');
    for (const bad of ['', 'a b', 'news@x', '.news', 'news.', 'a..b', 'x'.repeat(65), 'ñews']) {
      expect(localPartSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('status mapping', () => {
  it.each([
    [true, 'SUCCESS', 'verified'],
    [false, 'SUCCESS', 'pending'],
    [false, 'PENDING', 'pending'],
    [false, 'NOT_STARTED', 'pending'],
    [false, 'TEMPORARY_FAILURE', 'pending'],
    [true, 'TEMPORARY_FAILURE', 'pending'],
    [false, 'FAILED', 'failed'],
  ] as const)('verified=%s, DKIM %s → %s', (verified, dkimStatus, expected) => {
    expect(statusOf({ verified, dkimStatus })).toBe(expected);
  });

  it('covers every DKIM status SES has', () => {
    expect([...dkimStatuses].sort()).toEqual([
      'FAILED',
      'NOT_STARTED',
      'PENDING',
      'SUCCESS',
      'TEMPORARY_FAILURE',
    ]);
  });

  it('turns each DKIM token into the CNAME record SES asks for', () => {
    expect(dkimRecords('mail.acme.example', ['abc123', 'def456'])).toEqual([
      { name: 'abc123._domainkey.mail.acme.example', type: 'CNAME', value: 'abc123.dkim.amazonses.com' },
      { name: 'def456._domainkey.mail.acme.example', type: 'CNAME', value: 'def456.dkim.amazonses.com' },
    ]);
  });
});

const stored = (over: Partial<StoredSendingDomain> = {}): StoredSendingDomain => ({
  partnerId: 'globex',
  domain: 'mail.globex.example',
  status: 'pending',
  dkimStatus: 'PENDING',
  tokens: ['t1', 't2', 't3'],
  localPart: 'news',
  useForSending: false,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:00.000Z',
  checkedAt: '2026-11-24T12:00:00.000Z',
  version: 1,
  ...over,
});

describe('the partner From address', () => {
  it('is the partner’s only when its domain is verified and chosen for sending', () => {
    expect(partnerFromAddress(stored({ status: 'verified', useForSending: true }))).toBe(
      'news@mail.globex.example',
    );
    expect(partnerFromAddress(stored({ status: 'verified', useForSending: false }))).toBeUndefined();
    expect(partnerFromAddress(stored({ status: 'pending', useForSending: true }))).toBeUndefined();
    expect(partnerFromAddress(stored({ status: 'failed', useForSending: true }))).toBeUndefined();
    expect(partnerFromAddress(undefined)).toBeUndefined();
    expect(toView(stored({ status: 'verified', useForSending: true })).sendingFrom).toBe('partner-domain');
    expect(toView(stored({ useForSending: true })).sendingFrom).toBe('vendor-domain');
  });

  it('asks SES again after 10 s while pending and after an hour once final', () => {
    const at = (seconds: number) => new Date(Date.parse('2026-11-24T12:00:00.000Z') + seconds * 1000);
    expect(refreshDue(stored(), at(9), defaultCadence)).toBe(false);
    expect(refreshDue(stored(), at(10), defaultCadence)).toBe(true);
    expect(refreshDue(stored({ status: 'verified' }), at(3599), defaultCadence)).toBe(false);
    expect(refreshDue(stored({ status: 'failed' }), at(3600), defaultCadence)).toBe(true);
  });
});

/** SES as a stub: statuses by domain, calls counted, faults on demand. */
const fakeSes = () => {
  const owners = new Map<string, string>();
  const statuses = new Map<string, IdentityStatus>();
  const calls: string[] = [];
  let busy = false;
  const identities: DomainIdentities = {
    async createDomainIdentity(domain, owner) {
      calls.push(`create ${domain}`);
      if (busy) throw new IdentityServiceBusyError('busy', 2);
      const existing = owners.get(domain);
      if (existing !== undefined && existing !== owner) throw new ConflictError('someone else’s');
      owners.set(domain, owner);
      const status = statuses.get(domain) ?? {
        verified: false,
        dkimStatus: 'PENDING',
        tokens: ['a', 'b', 'c'],
      };
      statuses.set(domain, status);
      return status;
    },
    async getIdentityStatus(domain) {
      calls.push(`get ${domain}`);
      if (busy) throw new IdentityServiceBusyError('busy', 2);
      return statuses.get(domain);
    },
    async deleteIdentity(domain) {
      calls.push(`delete ${domain}`);
      if (busy) throw new IdentityServiceBusyError('busy', 2);
      owners.delete(domain);
      statuses.delete(domain);
    },
  };
  return {
    identities,
    calls,
    verify: (domain: string) =>
      statuses.set(domain, { verified: true, dkimStatus: 'SUCCESS', tokens: ['a', 'b', 'c'] }),
    setBusy: (value: boolean) => {
      busy = value;
    },
  };
};

const world = () => {
  let now = Date.parse('2026-11-24T12:00:00.000Z');
  const ses = fakeSes();
  const table = memoryTable();
  const deps: SendingDomainDeps = {
    store: sendingDomainStore(table),
    identities: ses.identities,
    clock: () => new Date(now),
    vendorDomain: VENDOR,
  };
  const globex: Principal = { role: 'partner', sub: 'g', email: 'g@x', name: 'G', partnerId: 'globex' };
  return {
    deps,
    ses,
    table,
    globex,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

const input = (over: Partial<{ domain: string; localPart: string; useForSending: boolean }> = {}) => ({
  domain: 'mail.globex.example',
  localPart: 'news',
  useForSending: false,
  ...over,
});

describe('sending domain use-cases', () => {
  it('reads the stored status without asking SES more often than every 10 s while pending', async () => {
    const w = world();
    await saveSendingDomain(w.deps, 'globex', input());
    w.ses.verify('mail.globex.example');

    expect((await getSendingDomain(w.deps, w.globex, 'globex')).status).toBe('pending');
    w.advance(5_000);
    expect((await getSendingDomain(w.deps, w.globex, 'globex')).status).toBe('pending');
    expect(w.ses.calls).toEqual(['create mail.globex.example']);
    w.advance(5_000);
    expect((await getSendingDomain(w.deps, w.globex, 'globex')).status).toBe('verified');
    expect(w.ses.calls).toEqual(['create mail.globex.example', 'get mail.globex.example']);
  });

  it('answers the stored status when SES throttles a read, and the throttle when asked to check now', async () => {
    const w = world();
    await saveSendingDomain(w.deps, 'globex', input());
    w.advance(60_000);
    w.ses.setBusy(true);

    const read = await getSendingDomain(w.deps, w.globex, 'globex');
    expect(read).toMatchObject({ status: 'pending', checkedAt: '2026-11-24T12:00:00.000Z' });
    await expect(verifySendingDomain(w.deps, 'globex')).rejects.toBeInstanceOf(IdentityServiceBusyError);
    expect((await w.deps.store.get('globex'))?.version).toBe(1);
  });

  it('refuses to use an unverified domain for sending (409), then allows it once verified', async () => {
    const w = world();
    await expect(saveSendingDomain(w.deps, 'globex', input({ useForSending: true }))).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await w.deps.store.get('globex')).toBeUndefined();
    await saveSendingDomain(w.deps, 'globex', input());
    await expect(saveSendingDomain(w.deps, 'globex', input({ useForSending: true }))).rejects.toThrow(
      /not verified \(DKIM PENDING\)/,
    );

    w.ses.verify('mail.globex.example');
    await verifySendingDomain(w.deps, 'globex');
    const chosen = await saveSendingDomain(
      w.deps,
      'globex',
      input({ localPart: 'events', useForSending: true }),
    );
    expect(chosen).toMatchObject({
      fromAddress: 'events@mail.globex.example',
      sendingFrom: 'partner-domain',
    });
  });

  it('keeps one domain per partner and each domain to one partner', async () => {
    const w = world();
    await saveSendingDomain(w.deps, 'globex', input());

    await expect(saveSendingDomain(w.deps, 'globex', input({ domain: 'globex.example' }))).rejects.toThrow(
      /remove mail\.globex\.example/,
    );
    await expect(saveSendingDomain(w.deps, 'initech', input())).rejects.toThrow(/another partner/);
    expect(await w.deps.store.get('initech')).toBeUndefined();
  });

  it('validates the domain against the vendor’s before touching SES', async () => {
    const w = world();
    await expect(
      saveSendingDomain(w.deps, 'globex', input({ domain: 'x.vendor.example' })),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(w.ses.calls).toEqual([]);
  });

  it('stores nothing when SES throttles the create', async () => {
    const w = world();
    w.ses.setBusy(true);
    await expect(saveSendingDomain(w.deps, 'globex', input())).rejects.toBeInstanceOf(
      IdentityServiceBusyError,
    );
    expect(w.table.items.size).toBe(0);
  });

  it('removes the SES identity, then the domain and its claim; another partner may then add it', async () => {
    const w = world();
    await saveSendingDomain(w.deps, 'globex', input());
    await removeSendingDomain(w.deps, 'globex');

    expect(w.ses.calls.at(-1)).toBe('delete mail.globex.example');
    expect(w.table.items.size).toBe(0);
    await expect(removeSendingDomain(w.deps, 'globex')).rejects.toBeInstanceOf(NotFoundError);
    expect((await saveSendingDomain(w.deps, 'initech', input())).partnerId).toBe('initech');
  });

  it('marks a domain failed when its SES identity disappeared', async () => {
    const w = world();
    await saveSendingDomain(w.deps, 'globex', input());
    await w.ses.identities.deleteIdentity('mail.globex.example');
    expect(await verifySendingDomain(w.deps, 'globex')).toMatchObject({
      status: 'failed',
      dkimStatus: 'NOT_STARTED',
    });
  });
});
