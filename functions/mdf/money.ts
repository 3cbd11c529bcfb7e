import type { Fund, MdfRequest, RequestStatus } from './schema';

/**
 * Money rules, pure. Amounts are integer minor units; products go through BigInt so no
 * intermediate ever leaves the exact integer range, and nothing here is ever a float.
 */

/**
 * The vendor's part of a spend: floor(amount × share / 10 000).
 *
 * Why the share applies at commit time (not at claim time): the fund holds the vendor's money,
 * and approving a $10,000 activity at 50% co-funding can only ever cost the vendor $5,000. If
 * approval committed the full spend, half of every commitment would be money that can never be
 * paid, and the fund would read "exhausted" while half of it was still free. So the commitment
 * is the vendor's maximum liability, and `remaining` is what marketing can still promise.
 * Rounded down in minor units: the vendor never commits (or later pays) more than its share;
 * the fraction of a cent stays with the partner. A claim later pays at most the commitment.
 */
export const shareOf = (amountMinor: number, shareBps: number): number =>
  Number((BigInt(amountMinor) * BigInt(shareBps)) / 10_000n);

/** What is still free to commit (also stored as `remainingMinor`, kept equal by every write). */
export const remainingOf = (fund: Pick<Fund, 'allocatedMinor' | 'committedMinor'>): number =>
  fund.allocatedMinor - fund.committedMinor;

/** Minor-unit digits of a currency (2 for USD, 0 for JPY, 3 for BHD), from the platform's ICU data. */
const exponentOf = (currency: string): number => {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
};

/** `USD 1,234.56` from 123456 minor units, by string arithmetic (no float division). */
export const formatMoney = (amountMinor: number, currency: string): string => {
  const digits = exponentOf(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const text = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${currency} ${sign}${whole}${fraction}`;
};

/** Which moves a request may make: only a submitted request is decided or withdrawn, once. */
const transitions: Record<RequestStatus, readonly RequestStatus[]> = {
  submitted: ['approved', 'rejected', 'withdrawn'],
  approved: [],
  rejected: [],
  withdrawn: [],
};
export const canMove = (from: RequestStatus, to: RequestStatus): boolean => transitions[from].includes(to);

/** The request as approved: spend approved (≤ planned) and the commitment it takes from the fund. */
export const approvalOf = (
  request: Pick<MdfRequest, 'plannedSpendMinor' | 'reimbursementShareBps'>,
  approvedMinor: number,
): { approvedMinor: number; committedMinor: number } => {
  if (
    !Number.isSafeInteger(approvedMinor) ||
    approvedMinor < 1 ||
    approvedMinor > request.plannedSpendMinor
  ) {
    throw new RangeError('approvedMinor must be a positive integer no larger than the planned spend');
  }
  return { approvedMinor, committedMinor: shareOf(approvedMinor, request.reimbursementShareBps) };
};
