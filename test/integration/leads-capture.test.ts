import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Principal } from '#functions/auth/principal';
import type { Campaign } from '#functions/campaigns/schema';
import { validateKit } from '#functions/kits/validate';
import { defaultAccountKeyConfig, deriveAccountKeys, hashAccount } from '#functions/leads/account-keys';
import { type CaptureDeps, captureLead, signShown } from '#functions/leads/capture';
import { loadEmailClasses } from '#functions/leads/email-classes';
import type { AccountMatches } from '#functions/leads/eql';
import type { LeadEvent } from '#functions/leads/lead-events';
import { type LeadStore, leadStore } from '#functions/leads/lead-store';
import { partnerView } from '#functions/leads/lead-views';
import { getLead, listLeads } from '#functions/leads/leads';
import { defaultQualificationConfig } from '#functions/leads/qualification';
import { tableSubmissionLimiter } from '#functions/leads/submission-limits';
import { createTokenSigner } from '#functions/sending/tokens';
import { createDocumentClient } from '#platform/dynamo';
import { NotFoundError } from '#platform/errors';
import { newId } from '#platform/ids';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { loadSampleKit } from '#test/support/kit-fixtures';
import { assertLocalEndpoint } from '#test/support/local-only';

/*
 * Lead capture against DynamoDB Local: one lead per person across submissions and partners,
 * with touches, attribution, rule results and the EQL answer; bots and bursts refused without
 * touching real submissions; each partner sees only its own part.
 */
const doc = createDocumentClient({
  region: 'us-east-1',
  endpoint: assertLocalEndpoint(inject('dynamoEndpoint')),
});
let table: Table;
let leads: LeadStore;
let deps: CaptureDeps;
const events: LeadEvent[] = [];
let now = new Date('2026-11-25T10:00:00Z');
const FORM_KEY = 'form-key-0123456789abcdefghijklmnopqrstuv';
const tokens = createTokenSigner({
  keys: { current: 'k1', keys: { k1: 'token-key-0123456789abcdefghijklmnop' } },
  clock: () => now,
});
/** What the account lists say, per domain (the account store is tested on its own). */
const lists = new Map<string, AccountMatches>();
const accountKeys = deriveAccountKeys('root-secret-0123456789abcdefghijklmnopqr', defaultAccountKeyConfig);

const campaign = (partnerId: string): Campaign => ({
  id: newId(),
  partnerId,
  name: 'Zero trust webinar',
  kitId: 'zero-trust-webinar',
  kitVersion: '1.0.0',
  kitName: 'Zero trust webinar',
  approvalRequired: false,
  slots: {},
  listId: 'L1',
  slug: `zt-${randomUUID().slice(0, 8)}`,
  status: 'sending',
  scheduledAt: null,
  submittedAt: null,
  decisions: [],
  launchedAt: now.toISOString(),
  pausedAt: null,
  pauseReason: null,
  cancelledAt: null,
  sentAt: null,
  audienceSize: 10,
  createdAt: now.toISOString(),
  createdBy: 'u',
  updatedAt: now.toISOString(),
  version: 1,
});

const form = (email: string, extra: Record<string, string> = {}) => ({
  email,
  first_name: 'Dana',
  last_name: 'Okafor',
  company: 'Acme Robotics',
  job_title: 'CISO',
  country: 'US',
  consent: 'yes',
  ...extra,
});

let address = 0;
/** A fresh client address per submission, so the per-address limit stays out of the way. */
const meta = (extra: Partial<Parameters<typeof captureLead>[3]> = {}) => {
  address += 1;
  return { clientAddress: `203.0.113.${address}`, ...extra };
};

const partner = (partnerId: string): Principal => ({
  role: 'partner',
  sub: `u-${partnerId}`,
  email: `${partnerId}@example.test`,
  name: partnerId,
  partnerId,
});
const marketing: Principal = {
  role: 'marketing',
  sub: 'm',
  email: 'm@vendor.example',
  name: 'M',
  partnerId: null,
};

beforeAll(async () => {
  const name = `leads-${randomUUID()}`;
  await ensureTable(doc, name);
  table = new Table(doc, name);
  leads = leadStore(table);
  const { kit } = await validateKit(await loadSampleKit());
  if (!kit) throw new Error('sample kit invalid');
  deps = {
    leads,
    landing: async (c) => ({
      manifest: kit.manifest,
      consent: `I agree that ${c.partnerId} may contact me about this event.`,
      page: `https://go.vendor.example/p/${c.slug}`,
    }),
    tokens,
    formKey: FORM_KEY,
    emailClasses: loadEmailClasses,
    accountKeys,
    findMatches: async (hashes) => {
      for (const [domain, matches] of lists) {
        if (hashes.some((h) => h.hash === hashAccount(accountKeys, domain).hash)) return matches;
      }
      return { vendor: { isCustomer: false, isOpportunity: false }, partnerOverlaps: [] };
    },
    rules: async () => (await leads.rules()) ?? defaultQualificationConfig,
    publish: async (event) => void events.push(event),
    limiter: tableSubmissionLimiter(() => now),
    clock: () => now,
    newId,
    logger: { warn: () => {} },
  };
});
afterAll(() => doc.destroy());

describe('capturing leads', () => {
  it('stores a lead with its touches, consent as shown, rule results and attribution, and announces it', async () => {
    const c = campaign('northwind');
    const shown = signShown(FORM_KEY, c.id, new Date(now.getTime() - 90_000));
    const out = await captureLead(
      deps,
      c,
      form('Dana.Okafor@Acme-Robotics.example', { utm_source: 'newsletter' }),
      meta({ shownToken: shown, utm: { source: 'newsletter' } }),
    );
    expect(out.kind).toBe('captured');
    if (out.kind !== 'captured') return;
    const lead = out.lead;
    expect(lead.email).toBe('dana.okafor@acme-robotics.example');
    expect(lead.companyDomain).toBe('acme-robotics.example');
    expect(lead.touches.map((t) => [t.kind, t.at])).toEqual([
      ['landing-visit', new Date(now.getTime() - 90_000).toISOString()],
      ['form-submit', now.toISOString()],
    ]);
    expect(lead.consents[0]).toMatchObject({
      given: true,
      text: 'I agree that northwind may contact me about this event.',
      shownAt: new Date(now.getTime() - 90_000).toISOString(),
      campaignId: c.id,
    });
    expect(lead.qualification.qualified).toBe(true);
    expect(lead.status).toBe('qualified');
    expect(lead.attribution).toMatchObject({ kind: 'partner-sourced', firstPartnerId: 'northwind' });
    expect(lead.eql.eql).toBe(false);
    expect(await leads.get(lead.id)).toEqual(lead);
    expect(events.at(-1)).toMatchObject({
      kind: 'lead-captured',
      leadId: lead.id,
      partnerIds: ['northwind'],
    });
  });

  it('merges a repeat submission into the same lead; a second one for the same campaign fails notDuplicate', async () => {
    const c = campaign('northwind');
    const first = await captureLead(deps, c, form('repeat@acme.example'), meta());
    now = new Date(now.getTime() + 60_000);
    const second = await captureLead(deps, c, form('REPEAT@acme.example', { job_title: 'CTO' }), meta());
    expect(first.kind).toBe('captured');
    expect(second.kind).toBe('merged');
    if (first.kind !== 'captured' || second.kind !== 'merged') return;
    expect(second.lead.id).toBe(first.lead.id);
    expect(second.lead.submissions).toBe(2);
    expect(second.lead.fields.job_title).toBe('CTO');
    expect(second.lead.touches.filter((t) => t.kind === 'form-submit')).toHaveLength(2);
    expect(second.lead.qualification.rules.find((r) => r.rule === 'notDuplicate')?.outcome).toBe('failed');
  });

  it('makes one lead of a person reached by two partners, crediting both under each model', async () => {
    const a = campaign('northwind');
    const b = campaign('globex');
    const email = `shared-${randomUUID().slice(0, 6)}@initech.example`;
    const click = tokens.sign({
      campaignId: a.id,
      recipientKey: 'abcdefghijklmnopqrstuv',
      purpose: 'click',
      link: 0,
    });
    await captureLead(deps, a, form(email), meta({ clickToken: click }));
    now = new Date(now.getTime() + 3_600_000);
    const out = await captureLead(deps, b, form(email), meta());
    if (out.kind !== 'merged') throw new Error(`expected a merge, got ${out.kind}`);
    expect(out.lead.partnerIds).toEqual(['northwind', 'globex']);
    expect(out.lead.engaged).toBe(true);
    expect(out.lead.attribution.kind).toBe('partner-sourced');
    expect(out.lead.attribution.firstPartnerId).toBe('northwind');
    expect(out.lead.attribution.credit['first-touch']).toEqual([{ partnerId: 'northwind', share: 10_000 }]);
    expect(out.lead.attribution.credit['last-touch']).toEqual([{ partnerId: 'globex', share: 10_000 }]);
    // Northwind: click, visit, submit; Globex: visit, submit.
    expect(out.lead.attribution.credit.linear).toEqual([
      { partnerId: 'northwind', share: 6_000 },
      { partnerId: 'globex', share: 4_000 },
    ]);

    // Each partner sees the lead, and only its own part of it.
    const globexView = partnerView(out.lead, 'globex');
    expect(globexView.touches.every((t) => t.partnerId === 'globex')).toBe(true);
    expect(globexView.attribution.kind).toBe('partner-influenced');
    expect(JSON.stringify(globexView)).not.toContain('northwind');
    const { lead: fromApi } = await getLead(
      { leads, publish: async () => {}, clock: () => now, logger: { warn: () => {} } },
      partner('globex'),
      out.lead.id,
    );
    expect(fromApi).toEqual(globexView);
  });

  it('fails a free-mail lead on businessEmail, saying why', async () => {
    const out = await captureLead(
      deps,
      campaign('northwind'),
      form(`someone${randomUUID().slice(0, 4)}@gmail.com`),
      meta(),
    );
    if (out.kind !== 'captured') throw new Error(out.kind);
    const rule = out.lead.qualification.rules.find((r) => r.rule === 'businessEmail');
    expect(rule?.outcome).toBe('failed');
    expect(rule?.reason).toContain('gmail.com');
    expect(out.lead.status).toBe('not-qualified');
    expect(out.lead.eql.eql).toBe(false);
  });

  it('marks an EQL when a partner has the account and the vendor does not, naming the overlap', async () => {
    lists.set('umbrella.example', {
      vendor: { isCustomer: false, isOpportunity: false },
      partnerOverlaps: [{ partnerId: 'northwind', kinds: ['customer'] }],
    });
    const out = await captureLead(deps, campaign('northwind'), form('ceo@umbrella.example'), meta());
    if (out.kind !== 'captured') throw new Error(out.kind);
    expect(out.lead.eql).toMatchObject({
      eql: true,
      overlaps: [{ partnerId: 'northwind', kind: 'customer' }],
    });
    expect(events.at(-1)).toMatchObject({ leadId: out.lead.id, becameEql: true });
    // Counted once for the partner whose list it is on: a repeat submission adds nothing.
    expect(await leads.overlapCounts('northwind')).toEqual({ leads: 1, eqls: 1 });
    await captureLead(deps, campaign('northwind'), form('ceo@umbrella.example'), meta());
    expect(await leads.overlapCounts('northwind')).toEqual({ leads: 1, eqls: 1 });
    expect(await leads.overlapCounts('globex')).toEqual({ leads: 0, eqls: 0 });
  });

  it('stores nothing for a filled honeypot, and refuses invalid fields naming them', async () => {
    const c = campaign('northwind');
    expect(
      await captureLead(deps, c, form('bot@acme.example', { website_url: 'http://spam.example' }), meta()),
    ).toEqual({
      kind: 'bot',
    });
    expect(await leads.leadIdForEmail('bot@acme.example')).toBeUndefined();
    const invalid = await captureLead(
      deps,
      c,
      form('not-an-email', { country: 'XX', first_name: '' }),
      meta(),
    );
    expect(invalid).toEqual({
      kind: 'invalid',
      errors: [
        { path: 'body.email', message: 'is not an email address' },
        { path: 'body.first_name', message: 'is required' },
        { path: 'body.country', message: 'is not one of the choices' },
      ],
    });
  });

  it('refuses a burst from one address without affecting another address', async () => {
    const c = campaign('northwind');
    const burst = { clientAddress: '198.51.100.7' };
    const outcomes = [];
    for (let i = 0; i < 7; i += 1)
      outcomes.push((await captureLead(deps, c, form(`burst${i}@acme.example`), burst)).kind);
    expect(outcomes).toEqual([
      'captured',
      'captured',
      'captured',
      'captured',
      'captured',
      'limited',
      'limited',
    ]);
    expect(await leads.leadIdForEmail('burst5@acme.example')).toBeUndefined();
    expect(
      (await captureLead(deps, c, form('real@acme.example'), { clientAddress: '198.51.100.8' })).kind,
    ).toBe('captured');
  });
});

describe('lead tenancy', () => {
  it('lists and shows a partner only the leads its campaigns touched', async () => {
    const out = await captureLead(
      deps,
      campaign('northwind'),
      form(`only-nw-${randomUUID().slice(0, 6)}@acme.example`),
      meta(),
    );
    if (out.kind !== 'captured') throw new Error(out.kind);
    const leadDeps = { leads, publish: async () => {}, clock: () => now, logger: { warn: () => {} } };
    await expect(getLead(leadDeps, partner('globex'), out.lead.id)).rejects.toBeInstanceOf(NotFoundError);
    const globexInbox = await listLeads(leadDeps, partner('globex'), { limit: 100 });
    expect(globexInbox.items.map((l) => l.leadId)).not.toContain(out.lead.id);
    const northwindInbox = await listLeads(leadDeps, partner('northwind'), { limit: 100 });
    expect(northwindInbox.items.map((l) => l.leadId)).toContain(out.lead.id);
    const all = await listLeads(leadDeps, marketing, { limit: 100 });
    expect(all.items.map((l) => l.leadId)).toContain(out.lead.id);
  });
});
