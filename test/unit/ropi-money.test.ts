import { describe, expect, it } from 'vitest';
import { costPer, moneyFigures, ratio } from '#functions/reports/ropi-money';

describe('ROPI ratios', () => {
  it('divides exactly and rounds down to two places', () => {
    expect(ratio(42_500, 10_000)).toBe('4.25');
    expect(ratio(1, 3)).toBe('0.33');
    expect(ratio(2, 3)).toBe('0.66');
    expect(ratio(0, 500)).toBe('0.00');
    expect(ratio(10_000, 10_000)).toBe('1.00');
  });

  it('is null when nothing was paid, not infinite', () => {
    expect(ratio(125_000, 0)).toBeNull();
  });

  it('stays exact where float arithmetic would not', () => {
    // 0.1 + 0.2 style drift: (2^53 - 1) / 3 in floats loses the last digits.
    expect(ratio(Number.MAX_SAFE_INTEGER, 3)).toBe('3002399751580330.33');
    expect(ratio(Number.MAX_SAFE_INTEGER, 1)).toBe('9007199254740991.00');
    // 29 / 100 in floats is 0.28999999999999998; floor at 2 places must still say 0.29.
    expect(ratio(29, 100)).toBe('0.29');
  });

  it('refuses floats and negative amounts', () => {
    expect(() => ratio(1.5, 10)).toThrow(RangeError);
    expect(() => ratio(-1, 10)).toThrow(RangeError);
    expect(() => costPer(100, 0.5)).toThrow(RangeError);
  });
});

describe('cost per lead and per EQL', () => {
  it('is MDF paid ÷ count in minor units, rounded down', () => {
    expect(costPer(100_000, 3)).toBe(33_333);
    expect(costPer(500_000, 10)).toBe(50_000);
  });

  it('is null when nothing was paid or there is nothing to divide by', () => {
    expect(costPer(0, 10)).toBeNull();
    expect(costPer(100_000, 0)).toBeNull();
  });
});

describe('a row per currency', () => {
  it('never mixes currencies: revenue in EUR against MDF paid in USD gives no EUR ratio', () => {
    const figures = moneyFigures(
      {
        USD: { paidMinor: 200_000, pipelineMinor: 1_000_000, wonMinor: 850_000 },
        EUR: { paidMinor: 0, pipelineMinor: 0, wonMinor: 400_000 },
      },
      { leads: 8, eqls: 3 },
    );
    expect(figures).toEqual([
      {
        currency: 'EUR',
        paidMinor: 0,
        pipelineMinor: 0,
        wonMinor: 400_000,
        wonRopi: null,
        pipelineRopi: null,
        costPerLeadMinor: null,
        costPerEqlMinor: null,
      },
      {
        currency: 'USD',
        paidMinor: 200_000,
        pipelineMinor: 1_000_000,
        wonMinor: 850_000,
        wonRopi: '4.25',
        pipelineRopi: '5.00',
        costPerLeadMinor: 25_000,
        costPerEqlMinor: 66_666,
      },
    ]);
  });
});
