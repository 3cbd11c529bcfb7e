import { describe, expect, it } from 'vitest';
import type { Lead } from '#functions/leads/lead-schema';
import { leadSchema } from '#functions/leads/lead-schema';
import type { LeadStore } from '#functions/leads/lead-store';
import { decideLead, decisionSchema } from '#functions/leads/leads';

const at = '2026-11-25T10:00:00.000Z';
const stored: Lead = {
  id: '01JD0000000000000000000000',
  email: 'ada@acme.example',
  fields: {},
  companyDomain: 'acme.example',
  touches: [],
  consents: [],
  campaignIds: [],
  partnerIds: [],
  attribution: {
    kind: 'none',
    partnerIds: [],
    reasons: [],
    credit: { 'first-touch': [], 'last-touch': [], linear: [] },
  },
  qualification: { qualified: true, configVersion: 1, rules: [] },
  eql: { eql: false, reasons: [], overlaps: [], decidedAt: at },
  engaged: false,
  status: 'accepted',
  statusReason: null,
  won: null,
  submissions: 1,
  createdAt: at,
  updatedAt: at,
  version: 1,
};

const notUsed = async (): Promise<never> => {
  throw new Error('decideLead does not use this');
};

/** A one-lead store: enough for decideLead (get, then replace at the version read). */
const oneLead = (lead: Lead) => {
  let current = lead;
  const leads: LeadStore = {
    get: async () => current,
    replace: async (next, expected) => {
      if (expected !== current.version) throw new Error('version moved');
      current = { ...next, version: expected + 1 };
      return current;
    },
    leadIdForEmail: notUsed,
    create: notUsed,
    listAll: notUsed,
    listForPartner: notUsed,
    listForCampaign: notUsed,
    countOverlaps: notUsed,
    overlapCounts: notUsed,
    rules: notUsed,
    saveRules: notUsed,
  };
  return {
    deps: {
      leads,
      publish: async () => undefined,
      clock: () => new Date(at),
      logger: { warn: () => undefined },
    },
  };
};

describe('the opportunity’s amount (pipeline)', () => {
  it('is optional, but an amount needs its currency and a currency its amount', () => {
    expect(decisionSchema.safeParse({ action: 'opportunity' }).success).toBe(true);
    expect(
      decisionSchema.safeParse({ action: 'opportunity', amountMinor: 500_000, currency: 'USD' }).success,
    ).toBe(true);
    expect(decisionSchema.safeParse({ action: 'opportunity', amountMinor: 500_000 }).success).toBe(false);
    expect(decisionSchema.safeParse({ action: 'opportunity', currency: 'USD' }).success).toBe(false);
    expect(
      decisionSchema.safeParse({ action: 'opportunity', amountMinor: 10.5, currency: 'USD' }).success,
    ).toBe(false);
  });

  it('is stored as the lead’s pipeline and kept when the lead is won', async () => {
    const { deps } = oneLead(stored);
    const opened = await decideLead(
      deps,
      stored.id,
      { action: 'opportunity', amountMinor: 500_000, currency: 'USD' },
      1,
    );
    expect(opened.pipeline).toEqual({ amountMinor: 500_000, currency: 'USD' });
    const won = await decideLead(
      deps,
      stored.id,
      { action: 'won', amountMinor: 450_000, currency: 'USD' },
      2,
    );
    expect(won).toMatchObject({
      status: 'won',
      pipeline: { amountMinor: 500_000, currency: 'USD' },
      won: { amountMinor: 450_000, currency: 'USD' },
    });
  });

  it('parses leads stored before it existed', () => {
    expect(leadSchema.parse(stored).pipeline).toBeUndefined();
  });
});
