import { describe, expect, it } from 'vitest';
import { approvalOf, canMove, formatMoney, remainingOf, shareOf } from '#functions/mdf/money';
import { createFundSchema, createRequestSchema, decisionSchema, periodSchema } from '#functions/mdf/schema';

describe('the vendor’s share of a spend', () => {
  it('is floor(amount × bps / 10 000) in minor units', () => {
    expect(shareOf(20_000, 5000)).toBe(10_000);
    expect(shareOf(7_001, 5000)).toBe(3_500); // 35.005 rounds down to 35.00
    expect(shareOf(999, 3333)).toBe(332); // 332.9667
    expect(shareOf(1, 9999)).toBe(0);
    expect(shareOf(12_345, 10_000)).toBe(12_345);
    expect(shareOf(0, 5000)).toBe(0);
  });

  it('stays exact where a float product would not (10^13 × 7 777 exceeds 2^53)', () => {
    // 10_000_000_000_000 × 7777 = 77_770_000_000_000_000, past Number.MAX_SAFE_INTEGER.
    expect(shareOf(10_000_000_000_001, 7777)).toBe(7_777_000_000_000);
    expect(shareOf(9_999_999_999_999, 3)).toBe(2_999_999_999);
  });

  it('never commits more than the share of what was approved', () => {
    for (let amount = 1; amount < 3000; amount += 7) {
      for (const bps of [1, 2500, 3333, 5000, 6667, 9999, 10_000]) {
        const share = shareOf(amount, bps);
        expect(Number.isInteger(share)).toBe(true);
        expect(share * 10_000).toBeLessThanOrEqual(amount * bps);
        expect((share + 1) * 10_000).toBeGreaterThan(amount * bps);
      }
    }
  });
});

describe('approvals of a request', () => {
  const request = { plannedSpendMinor: 10_000, reimbursementShareBps: 5000 };

  it('approves up to the planned spend and commits the share of the approved amount', () => {
    expect(approvalOf(request, 10_000)).toEqual({ approvedMinor: 10_000, committedMinor: 5_000 });
    expect(approvalOf(request, 3)).toEqual({ approvedMinor: 3, committedMinor: 1 });
  });

  it('refuses more than planned, nothing, and fractions', () => {
    expect(() => approvalOf(request, 10_001)).toThrow(RangeError);
    expect(() => approvalOf(request, 0)).toThrow(RangeError);
    expect(() => approvalOf(request, 100.5)).toThrow(RangeError);
  });

  it('remaining is allocated minus committed', () => {
    expect(remainingOf({ allocatedMinor: 100_000, committedMinor: 40_000 })).toBe(60_000);
  });
});

describe('request status transitions', () => {
  it('only a submitted request is decided or withdrawn, and only once', () => {
    expect(canMove('submitted', 'approved')).toBe(true);
    expect(canMove('submitted', 'rejected')).toBe(true);
    expect(canMove('submitted', 'withdrawn')).toBe(true);
    expect(canMove('submitted', 'submitted')).toBe(false);
    for (const from of ['approved', 'rejected', 'withdrawn'] as const) {
      for (const to of ['submitted', 'approved', 'rejected', 'withdrawn'] as const) {
        expect(canMove(from, to), `${from} → ${to}`).toBe(false);
      }
    }
  });
});

describe('money in messages', () => {
  it('formats minor units by the currency’s exponent, without float division', () => {
    expect(formatMoney(123_456, 'USD')).toBe('USD 1,234.56');
    expect(formatMoney(5, 'USD')).toBe('USD 0.05');
    expect(formatMoney(0, 'EUR')).toBe('EUR 0.00');
    expect(formatMoney(1_500, 'JPY')).toBe('JPY 1,500');
    expect(formatMoney(1_234, 'BHD')).toBe('BHD 1.234');
    expect(formatMoney(-250, 'USD')).toBe('USD -2.50');
  });
});

describe('MDF schemas', () => {
  const fund = {
    partnerId: 'northwind',
    period: '2026-Q4',
    currency: 'USD',
    allocatedMinor: 100,
    reimbursementShareBps: 5000,
  };

  it('refuses a float amount anywhere, naming the field', () => {
    const bad = createFundSchema.safeParse({ ...fund, allocatedMinor: 100.5, reimbursementShareBps: 50.5 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'allocatedMinor',
      'reimbursementShareBps',
    ]);
    const decision = decisionSchema.safeParse({ decision: 'approve', approvedMinor: 1.25 });
    expect(decision.error?.issues.map((i) => i.path.join('.'))).toEqual(['approvedMinor']);
  });

  it('accepts quarters, halves and fiscal years as periods, nothing else', () => {
    for (const ok of ['2026-Q1', '2026-Q4', '2027-H2', 'FY2027'])
      expect(periodSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['2026-Q5', '2026-Q0', 'FY27', '2026', 'Q4-2026', '2026-q4'])
      expect(periodSchema.safeParse(bad).success, bad).toBe(false);
  });

  it('defaults the claim deadline to 60 days', () => {
    expect(createFundSchema.parse(fund).claimDeadlineDays).toBe(60);
  });

  it('needs an amount to approve and a reason to reject, and only those', () => {
    const paths = (body: unknown) =>
      decisionSchema.safeParse(body).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths({ decision: 'approve' })).toEqual(['approvedMinor']);
    expect(paths({ decision: 'reject' })).toEqual(['reason']);
    expect(paths({ decision: 'reject', reason: 'No budget', approvedMinor: 5 })).toEqual(['approvedMinor']);
    expect(paths({ decision: 'approve', approvedMinor: 5 })).toEqual([]);
  });

  it('refuses an activity that ends before it starts', () => {
    const parsed = createRequestSchema.safeParse({
      fundId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
      plannedActivity: { name: 'Webinar', description: 'x', startDate: '2026-02-02', endDate: '2026-02-01' },
      plannedSpendMinor: 100,
      currency: 'USD',
      expectedOutcomes: { leads: 1, eqls: 1, pipelineMinor: 1 },
    });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['plannedActivity.endDate']);
  });
});
