import { describe, expect, it } from 'vitest';
import {
  bpsOf,
  engagementOf,
  exceedsBps,
  leadTally,
  reachesBps,
  sendLogOf,
} from '#functions/mdf/pop/metrics';
import { formatBps } from '#functions/mdf/pop/report-html';
import type { PopLead } from '#functions/mdf/pop/schema';
import { zeroCounters } from '#functions/sending/counters';

const lead = (leadId: string, extra: Partial<PopLead> = {}): PopLead => ({
  leadId,
  email: `${leadId.toLowerCase()}@acme.example`,
  name: 'Dana Okafor',
  company: 'Acme',
  companyDomain: 'acme.example',
  status: 'new',
  qualified: false,
  eql: false,
  attribution: 'partner-sourced',
  creditBps: { firstTouch: 10_000, lastTouch: 10_000, linear: 10_000 },
  capturedAt: '2026-11-03T10:00:00.000Z',
  pipeline: null,
  won: null,
  createdAt: '2026-11-03T10:00:00.000Z',
  ...extra,
});

describe('rates in basis points', () => {
  it('floors part × 10,000 ÷ whole and answers null when there is nothing to divide by', () => {
    expect(bpsOf(300, 980)).toBe(3061); // 30.612…%
    expect(bpsOf(1, 3)).toBe(3333);
    expect(bpsOf(2, 3)).toBe(6666);
    expect(bpsOf(980, 980)).toBe(10_000);
    expect(bpsOf(0, 980)).toBe(0);
    expect(bpsOf(5, 0)).toBeNull();
  });

  it('stays exact past the float range of part × 10,000', () => {
    // 9e15 × 10,000 is far past 2^53; a float product would round.
    const max = Number.MAX_SAFE_INTEGER;
    expect(Math.floor(((max - 1) * 10_000) / max)).toBe(10_000); // what floats would say
    expect(bpsOf(max - 1, max)).toBe(9999);
    expect(bpsOf(4_503_599_627_370_497, 9_007_199_254_740_991)).toBe(5000);
  });

  it('compares a rate with a threshold exactly, strictly or inclusively', () => {
    expect(exceedsBps(50, 1000, 500)).toBe(false); // exactly 5%
    expect(exceedsBps(51, 1000, 500)).toBe(true);
    expect(reachesBps(3, 1000, 30)).toBe(true); // exactly 0.3%
    expect(reachesBps(2, 1000, 30)).toBe(false);
    expect(exceedsBps(1, 0, 500)).toBe(false);
    expect(reachesBps(1, 0, 30)).toBe(false);
  });

  it('prints basis points as a percentage without float division', () => {
    expect(formatBps(3061)).toBe('30.61%');
    expect(formatBps(5)).toBe('0.05%');
    expect(formatBps(10_000)).toBe('100.00%');
    expect(formatBps(null)).toBe('—');
  });
});

describe('send log and engagement from the counters', () => {
  it('maps the counters one to one, hard and soft bounces apart, and sends hours oldest first', () => {
    const counters = {
      ...zeroCounters(),
      queued: 1010,
      sent: 1000,
      delivered: 970,
      bounced: 20,
      softBounced: 10,
      complained: 2,
      unsubscribed: 7,
      failed: 3,
      suppressed: 7,
      opened: 500,
      uniqueOpened: 300,
      clicked: 90,
      uniqueClicked: 60,
      uniqueHumanClicked: 45,
    };
    const log = sendLogOf(counters, [
      { hour: '2026-11-03T01', sent: 400 },
      { hour: '2026-11-02T23', sent: 600 },
    ]);
    expect(log).toEqual({
      queued: 1010,
      sent: 1000,
      delivered: 970,
      hardBounced: 20,
      softBounced: 10,
      complained: 2,
      unsubscribed: 7,
      failed: 3,
      suppressed: 7,
      sendHours: [
        { hour: '2026-11-02T23', sent: 600 },
        { hour: '2026-11-03T01', sent: 400 },
      ],
      firstSendAt: '2026-11-02T23:00:00.000Z',
      lastSendAt: '2026-11-03T01:59:59.999Z',
      resolution: 'hour',
    });
    expect(engagementOf(counters)).toEqual({
      opens: 500,
      uniqueOpens: 300,
      clicks: 90,
      uniqueClicks: 60,
      uniqueHumanClicks: 45,
      rates: {
        uniqueOpenBps: 3092, // 300 / 970
        uniqueClickBps: 618,
        uniqueHumanClickBps: 463,
        complaintBps: 20,
        unsubscribeBps: 72,
        hardBounceBps: 200, // of sent
        softBounceBps: 100,
        deliveredBps: 9700,
      },
    });
  });

  it('has no rates and no send times for a campaign nothing happened to', () => {
    expect(engagementOf(zeroCounters()).rates.uniqueOpenBps).toBeNull();
    expect(sendLogOf(zeroCounters(), [])).toMatchObject({
      firstSendAt: null,
      lastSendAt: null,
      sendHours: [],
    });
  });
});

describe('lead tally', () => {
  it('sums won revenue and pipeline per currency in minor units and never adds two currencies together', () => {
    const tally = leadTally(10);
    const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    tally.add(lead('L1', { status: 'won', pipeline: usd(1_000_000), won: usd(1_250_000) }));
    tally.add(lead('L2', { status: 'won', won: usd(99) }));
    tally.add(
      lead('L3', {
        status: 'won',
        pipeline: { amountMinor: 400_000, currency: 'EUR' },
        won: { amountMinor: 500_000, currency: 'EUR' },
      }),
    );
    tally.add(lead('L4', { status: 'opportunity', pipeline: usd(7) }));
    tally.add(lead('L5', { status: 'lost', pipeline: usd(30), won: null }));
    // Accepted but never an opportunity: its stray amount is not pipeline.
    tally.add(lead('L6', { status: 'accepted', pipeline: usd(1) }));
    const result = tally.result();
    expect(result.won).toEqual({
      leads: 3,
      revenue: [
        { currency: 'EUR', amountMinor: 500_000, leads: 1 },
        { currency: 'USD', amountMinor: 1_250_099, leads: 2 },
      ],
    });
    // Pipeline generated: the opportunity amounts of every lead that reached opportunity.
    expect(result.pipeline).toEqual({
      leads: 5,
      amounts: [
        { currency: 'EUR', amountMinor: 400_000, leads: 1 },
        { currency: 'USD', amountMinor: 1_000_037, leads: 3 },
      ],
    });
    expect(result.byStatus).toEqual({ accepted: 1, lost: 1, opportunity: 1, won: 3 });
  });

  it('refuses a revenue total it cannot add exactly rather than rounding it', () => {
    const tally = leadTally(10);
    tally.add(
      lead('L1', { status: 'won', won: { amountMinor: Number.MAX_SAFE_INTEGER - 1, currency: 'USD' } }),
    );
    expect(() => tally.add(lead('L2', { status: 'won', won: { amountMinor: 5, currency: 'USD' } }))).toThrow(
      RangeError,
    );
  });

  it('counts every lead but lists only the cap lowest ids, whatever order they come in', () => {
    const ids = Array.from({ length: 25 }, (_, i) => `L${String(i).padStart(3, '0')}`);
    const forwards = leadTally(10);
    const backwards = leadTally(10);
    for (const id of ids) forwards.add(lead(id, { eql: id.endsWith('1') }));
    for (const id of [...ids].reverse()) backwards.add(lead(id, { eql: id.endsWith('1') }));
    const a = forwards.result();
    expect(a).toEqual(backwards.result());
    expect(a.total).toBe(25);
    expect(a.eqls).toBe(3); // L001, L011, L021
    expect(a.eqlRateBps).toBe(1200);
    expect(a.items.map((l) => l.leadId)).toEqual(ids.slice(0, 10));
    expect(a.omitted).toBe(15);
  });

  it('counts a lead seen twice (on two pages) once', () => {
    const tally = leadTally(10);
    tally.add(lead('L1'));
    tally.add(lead('L1'));
    expect(tally.result().total).toBe(1);
  });

  it('finds the first capture among leads left out of the list too', () => {
    const tally = leadTally(1);
    tally.add(lead('L1', { capturedAt: '2026-11-05T00:00:00.000Z' }));
    tally.add(lead('L9', { capturedAt: '2026-11-02T00:00:00.000Z' }));
    tally.add(lead('L5', { capturedAt: null }));
    expect(tally.result().items.map((l) => l.leadId)).toEqual(['L1']);
    expect(tally.firstCapturedAt()).toBe('2026-11-02T00:00:00.000Z');
  });
});
