/**
 * Webhook retries: each failed attempt waits longer, doubling from a minute up to an hour, with
 * jitter (half the wait fixed, half random) so a CRM coming back is not hit by every delivery at
 * once. After MAX_ATTEMPTS the delivery is logged as failed and its message dead-lettered (the
 * queue's maxReceiveCount is the same number). The waits add up to between about one and two hours.
 */
export const MAX_ATTEMPTS = 8;
export const BASE_DELAY_SECONDS = 60;
export const MAX_DELAY_SECONDS = 3600;

/** The wait after attempt `attempt` (1-based) failed, before the next one, in whole seconds. */
export const retryDelaySeconds = (attempt: number, random: () => number = Math.random): number => {
  const exponential = Math.min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** Math.max(0, attempt - 1));
  const half = exponential / 2;
  return Math.max(1, Math.round(half + random() * half));
};

/** The longest waits, attempt by attempt (docs and tests): 60, 120, 240, … 3600. */
export const backoffCeilings = (): number[] =>
  Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelaySeconds(i + 1, () => 1));
