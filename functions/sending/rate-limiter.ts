import type { AccountSendRate, Mailer } from './mailer';
import { MailThrottledError } from './mailer';
import type { Logger } from './ports';

/**
 * Pacing sends under the SES account's maximum send rate. Each worker process gets
 * `maxSendRate ÷ maxConcurrency` (the CDK sets the worker's reserved concurrency to the same
 * number), so all workers together stay under the account's rate.
 */
export interface Timer {
  /** Milliseconds, monotonic. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realTimer: Timer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The provider reads a send a few ms after our grant (other work runs on the event loop in
 * between); the window guard leaves that much room so the provider never counts one too many.
 */
const GUARD_MARGIN_MS = 10;

/**
 * A token bucket of capacity 1 in its GCRA form: grants follow a 1/rate grid (theoretical
 * arrival time), in arrival order, and may come up to `toleranceMs` early so a timer that woke
 * a millisecond late does not push every later grant back. A hard guard on the actual grant
 * times keeps at most `rate` grants in any one-second window, whatever the timers do.
 */
export class TokenBucket {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly windowLimit: number;
  private readonly windowMs: number;
  private theoretical = Number.NEGATIVE_INFINITY;
  private readonly recent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    private readonly timer: Timer,
  ) {
    if (!(ratePerSecond > 0)) throw new Error('a rate must be positive');
    this.intervalMs = 1000 / ratePerSecond;
    this.toleranceMs = Math.min(this.intervalMs / 2, 4);
    this.windowLimit = Math.max(1, Math.floor(ratePerSecond));
    this.windowMs = (this.windowLimit * 1000) / ratePerSecond;
  }

  take(): Promise<void> {
    const turn = this.queue.then(() => this.grant());
    this.queue = turn;
    return turn;
  }

  private async grant(): Promise<void> {
    for (;;) {
      const now = this.timer.now();
      const gridWait = this.theoretical - this.toleranceMs - now;
      const oldest = this.recent.length >= this.windowLimit ? (this.recent[0] ?? now) : undefined;
      const windowWait = oldest === undefined ? 0 : oldest + this.windowMs + GUARD_MARGIN_MS - now;
      const wait = Math.max(gridWait, windowWait);
      if (wait <= 0) {
        this.theoretical = Math.max(now, this.theoretical) + this.intervalMs;
        this.recent.push(now);
        if (this.recent.length > this.windowLimit) this.recent.shift();
        return;
      }
      await this.timer.sleep(Math.ceil(wait));
    }
  }
}

export const perWorkerRate = (account: Pick<AccountSendRate, 'maxSendRate'>, maxConcurrency: number) =>
  account.maxSendRate / Math.max(1, maxConcurrency);

/**
 * The account's send rate, read once per process (GetAccount) and kept; never per send. An
 * `override` (config) skips GetAccount; if GetAccount fails, a conservative `fallback` applies.
 */
export const accountSendRate = (
  mailer: Pick<Mailer, 'getAccountSendRate'>,
  options: { override?: number | undefined; fallback: number; logger: Logger },
): (() => Promise<number>) => {
  let memo: Promise<number> | undefined;
  return () => {
    memo ??= options.override
      ? Promise.resolve(options.override)
      : mailer.getAccountSendRate().then(
          (rate) => rate.maxSendRate,
          (error: unknown) => {
            options.logger.warn('GetAccount failed; sending at the fallback rate', {
              error: error instanceof Error ? error.message : String(error),
              fallback: options.fallback,
            });
            return options.fallback;
          },
        );
    return memo;
  };
};

export interface Backoff {
  /** Attempts in all, the first included. */
  attempts: number;
  baseMs: number;
  capMs: number;
  random: () => number;
}

/** Full jitter (AWS Architecture Blog): a uniform wait in [0, min(cap, base · 2^retry)). */
export const fullJitterDelay = (retry: number, backoff: Pick<Backoff, 'baseMs' | 'capMs' | 'random'>) =>
  Math.floor(backoff.random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** retry));

/**
 * Runs `send` after taking a token; on throttling waits a jittered backoff and tries again, up to
 * `attempts`. Still throttled after that: MailThrottledError (the caller releases the claim and
 * lets SQS redeliver). Other errors pass through untouched.
 */
export const sendPaced = async <T>(
  send: () => Promise<T>,
  deps: { bucket: Pick<TokenBucket, 'take'>; backoff: Backoff; sleep: (ms: number) => Promise<void> },
  onThrottle: () => void = () => {},
): Promise<T> => {
  for (let attempt = 0; ; attempt += 1) {
    await deps.bucket.take();
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof MailThrottledError)) throw error;
      onThrottle();
      if (attempt + 1 >= deps.backoff.attempts) throw error;
      await deps.sleep(fullJitterDelay(attempt, deps.backoff));
    }
  }
};
