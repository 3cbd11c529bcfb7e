/**
 * ROPI arithmetic, pure and exact. Money is integer minor units in one currency at a time; the
 * ratios are computed with BigInt and reported as decimal strings, so no amount ever passes
 * through a float, and nothing here adds two currencies (callers pass one currency's figures).
 */

const checked = (value: number, name: string): bigint => {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer (minor units or a count)`);
  }
  return BigInt(value);
};

/** Digits after the point in a reported ratio: "4.25" means 4.25× what was paid. */
export const RATIO_PLACES = 2;

/**
 * `numerator ÷ denominator` as a decimal string with `places` digits, rounded down (a return is
 * never overstated): ratio(42_500, 10_000) = "4.25". Null when the denominator is zero (no MDF
 * paid in this currency: there is no return to speak of, not an infinite one).
 */
export const ratio = (
  numerator: number,
  denominator: number,
  places: number = RATIO_PLACES,
): string | null => {
  const top = checked(numerator, 'numerator');
  const bottom = checked(denominator, 'denominator');
  if (bottom === 0n) return null;
  const scale = 10n ** BigInt(places);
  const scaled = (top * scale) / bottom;
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(places, '0');
  return places > 0 ? `${whole}.${fraction}` : `${whole}`;
};

/**
 * What each lead (or EQL) cost in MDF paid: floor(paid ÷ count) in minor units. Null when nothing
 * was paid or there is nothing to divide by.
 */
export const costPer = (paidMinor: number, count: number): number | null => {
  const paid = checked(paidMinor, 'paidMinor');
  const n = checked(count, 'count');
  if (paid === 0n || n === 0n) return null;
  return Number(paid / n);
};

export interface CurrencyTotals {
  paidMinor: number;
  pipelineMinor: number;
  wonMinor: number;
}

export interface MoneyFigures extends CurrencyTotals {
  currency: string;
  /** Won revenue ÷ MDF paid, both in this currency. */
  wonRopi: string | null;
  /** Pipeline ÷ MDF paid, both in this currency. */
  pipelineRopi: string | null;
  costPerLeadMinor: number | null;
  costPerEqlMinor: number | null;
}

/**
 * One row's figures per currency, in currency order. Each currency stands alone: revenue in EUR
 * against MDF paid in USD gives no ratio (null), never a converted one. Lead and EQL counts are
 * currency-free, so the cost per lead is given in every currency something was paid in.
 */
export const moneyFigures = (
  totals: Readonly<Record<string, CurrencyTotals>>,
  counts: { leads: number; eqls: number },
): MoneyFigures[] =>
  Object.keys(totals)
    .sort()
    .flatMap((currency) => {
      const t = totals[currency];
      if (!t) return [];
      return [
        {
          currency,
          paidMinor: t.paidMinor,
          pipelineMinor: t.pipelineMinor,
          wonMinor: t.wonMinor,
          wonRopi: ratio(t.wonMinor, t.paidMinor),
          pipelineRopi: ratio(t.pipelineMinor, t.paidMinor),
          costPerLeadMinor: costPer(t.paidMinor, counts.leads),
          costPerEqlMinor: costPer(t.paidMinor, counts.eqls),
        },
      ];
    });
