import { describe, expect, it } from 'vitest';
import type { Lead } from '#functions/leads/lead-schema';
import { aggregateOf, paidAggregateActions } from '#functions/reports/aggregates';
import { contributionsOf, deltaOf, type LevelCounts } from '#functions/reports/ropi-counts';
import {
  appliedKey,
  campaignAggregateKey,
  countedKey,
  partnerAggregateKey,
  programAggregateKey,
} from '#functions/reports/ropi-keys';
import { incrementActionParams } from '#platform/table';

type Counted = Pick<Lead, 'touches' | 'partnerIds' | 'attribution' | 'eql' | 'pipeline' | 'won'>;

const credit = { 'first-touch': [], 'last-touch': [], linear: [] };
/** Touched by Northwind's webinar first, then Globex's offer: Northwind sourced, Globex influenced. */
const shared = (overrides: Partial<Counted> = {}): Counted => ({
  touches: [
    { kind: 'form-submit', at: '2026-11-25T10:05:00.000Z', partnerId: 'globex', campaignId: 'G1' },
    { kind: 'email-click', at: '2026-11-25T10:00:00.000Z', partnerId: 'northwind', campaignId: 'N1' },
    { kind: 'landing-visit', at: '2026-11-25T10:01:00.000Z', partnerId: 'northwind', campaignId: 'N2' },
  ],
  partnerIds: ['northwind', 'globex'],
  attribution: {
    kind: 'partner-sourced',
    firstPartnerId: 'northwind',
    partnerIds: ['northwind', 'globex'],
    reasons: [],
    credit,
  },
  eql: { eql: false, reasons: [], overlaps: [], decidedAt: '2026-11-25T10:05:00.000Z' },
  pipeline: null,
  won: null,
  ...overrides,
});

const byKey = (levels: LevelCounts[]) =>
  Object.fromEntries(levels.map((l) => [`${l.key.pk}|${l.key.sk}`, l.counts]));

describe('keys', () => {
  it('are exactly these', () => {
    expect(programAggregateKey()).toEqual({ pk: 'ROPI', sk: 'PROGRAM' });
    expect(partnerAggregateKey('northwind')).toEqual({ pk: 'ROPI', sk: 'PARTNER#northwind' });
    expect(campaignAggregateKey('northwind', 'C1')).toEqual({ pk: 'ROPI#northwind', sk: 'CAMPAIGN#C1' });
    expect(countedKey('L1')).toEqual({ pk: 'ROPI_LEAD#L1', sk: 'COUNTED' });
    expect(appliedKey({ leadId: 'L1', version: 12, kind: 'lead-status-changed' })).toEqual({
      pk: 'ROPI_LEAD#L1',
      sk: 'APPLIED#00000012#lead-status-changed',
    });
  });
});

describe("a lead's contribution", () => {
  it('counts the program once, each partner, and each partner campaign, sourced by the first partner touch', () => {
    expect(byKey(contributionsOf(shared()))).toEqual({
      'ROPI|PROGRAM': { leads: 1, sourced: 1 },
      'ROPI|PARTNER#northwind': { leads: 1, sourced: 1 },
      'ROPI|PARTNER#globex': { leads: 1, influenced: 1 },
      'ROPI#northwind|CAMPAIGN#N1': { leads: 1, sourced: 1 },
      'ROPI#northwind|CAMPAIGN#N2': { leads: 1, influenced: 1 },
      'ROPI#globex|CAMPAIGN#G1': { leads: 1, influenced: 1 },
    });
  });

  it('is influenced for every partner when the first touch was not a partner’s', () => {
    const lead = shared({
      attribution: {
        kind: 'partner-influenced',
        firstPartnerId: 'northwind',
        partnerIds: ['northwind', 'globex'],
        reasons: [],
        credit,
      },
    });
    const counts = byKey(contributionsOf(lead));
    expect(counts['ROPI|PROGRAM']).toEqual({ leads: 1, influenced: 1 });
    expect(counts['ROPI|PARTNER#northwind']).toEqual({ leads: 1, influenced: 1 });
    expect(counts['ROPI#northwind|CAMPAIGN#N1']).toEqual({ leads: 1, influenced: 1 });
  });

  it('carries EQL, pipeline and won money per currency into every row', () => {
    const lead = shared({
      eql: { eql: true, reasons: [], overlaps: [], decidedAt: '2026-11-25T10:05:00.000Z' },
      pipeline: { amountMinor: 900_000, currency: 'USD' },
      won: { amountMinor: 750_000, currency: 'EUR' },
    });
    for (const level of contributionsOf(lead)) {
      expect(level.counts).toMatchObject({
        leads: 1,
        eqls: 1,
        pipelineMinor_USD: 900_000,
        wonMinor_EUR: 750_000,
      });
    }
  });
});

describe('deltas between what was counted and the lead now', () => {
  it('are zero when nothing changed (a redelivered event moves nothing)', () => {
    expect(deltaOf(contributionsOf(shared()), contributionsOf(shared()))).toEqual([]);
  });

  it('count the whole lead the first time', () => {
    expect(deltaOf([], contributionsOf(shared()))).toEqual(contributionsOf(shared()));
  });

  it('add only what changed: becoming an EQL later counts it once, an opportunity adds pipeline', () => {
    const before = contributionsOf(shared());
    const after = contributionsOf(
      shared({
        eql: { eql: true, reasons: [], overlaps: [], decidedAt: '2026-11-25T11:00:00.000Z' },
        pipeline: { amountMinor: 500_000, currency: 'USD' },
      }),
    );
    const delta = deltaOf(before, after);
    expect(delta).toHaveLength(6);
    for (const level of delta) expect(level.counts).toEqual({ eqls: 1, pipelineMinor_USD: 500_000 });
  });

  it('move money when an amount changes and take a row away when the lead leaves it', () => {
    const before = contributionsOf(shared({ pipeline: { amountMinor: 500_000, currency: 'USD' } }));
    const after = contributionsOf({
      ...shared({ pipeline: { amountMinor: 400_000, currency: 'USD' } }),
      touches: shared().touches.filter((t) => t.campaignId !== 'N2'),
    });
    const delta = byKey(deltaOf(before, after));
    expect(delta['ROPI|PROGRAM']).toEqual({ pipelineMinor_USD: -100_000 });
    expect(delta['ROPI#northwind|CAMPAIGN#N2']).toEqual({
      leads: -1,
      influenced: -1,
      pipelineMinor_USD: -500_000,
    });
  });
});

describe('MDF paid', () => {
  it('adds to the program, the partner and the campaign rows in the payment’s transaction', () => {
    expect(
      paidAggregateActions({
        partnerId: 'northwind',
        campaignId: 'C1',
        currency: 'USD',
        paidMinor: 250_000,
        at: '2026-12-01T09:00:00.000Z',
      }),
    ).toEqual([
      { increment: { pk: 'ROPI', sk: 'PROGRAM' }, type: 'ropi-aggregate', add: { paidMinor_USD: 250_000 } },
      {
        increment: { pk: 'ROPI', sk: 'PARTNER#northwind' },
        type: 'ropi-aggregate',
        add: { paidMinor_USD: 250_000 },
      },
      {
        increment: { pk: 'ROPI#northwind', sk: 'CAMPAIGN#C1' },
        type: 'ropi-aggregate',
        add: { paidMinor_USD: 250_000 },
      },
    ]);
  });

  it('without a campaign moves program and partner only; nothing paid moves nothing; bad input is refused', () => {
    const base = { partnerId: 'globex', campaignId: null, currency: 'EUR', at: '2026-12-01T09:00:00.000Z' };
    expect(
      paidAggregateActions({ ...base, paidMinor: 1 }).map((a) => ('increment' in a ? a.increment.sk : '')),
    ).toEqual(['PROGRAM', 'PARTNER#globex']);
    expect(paidAggregateActions({ ...base, paidMinor: 0 })).toEqual([]);
    expect(() => paidAggregateActions({ ...base, paidMinor: 10.5 })).toThrow(RangeError);
    expect(() => paidAggregateActions({ ...base, paidMinor: 10, currency: 'usd' })).toThrow(RangeError);
  });
});

describe('the increment action', () => {
  it('ADDs each counter and creates the item if absent, with no condition', () => {
    expect(incrementActionParams({ type: 'ropi-aggregate', add: { leads: 1, paidMinor_USD: -5 } })).toEqual({
      UpdateExpression: 'SET #type = if_not_exists(#type, :type) ADD #a0 :a0, #a1 :a1',
      ExpressionAttributeNames: { '#type': 'type', '#a0': 'leads', '#a1': 'paidMinor_USD' },
      ExpressionAttributeValues: { ':type': 'ropi-aggregate', ':a0': 1, ':a1': -5 },
    });
  });
});

describe('reading an aggregate item', () => {
  it('keeps each currency apart and ignores other attributes', () => {
    expect(
      aggregateOf({
        pk: 'ROPI',
        sk: 'PROGRAM',
        type: 'ropi-aggregate',
        leads: 4,
        eqls: 2,
        sourced: 3,
        influenced: 1,
        paidMinor_USD: 100,
        wonMinor_USD: 450,
        pipelineMinor_EUR: 700,
        version: 9,
      }),
    ).toEqual({
      leads: 4,
      eqls: 2,
      sourced: 3,
      influenced: 1,
      money: {
        USD: { paidMinor: 100, pipelineMinor: 0, wonMinor: 450 },
        EUR: { paidMinor: 0, pipelineMinor: 700, wonMinor: 0 },
      },
    });
  });
});
