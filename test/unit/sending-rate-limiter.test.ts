import { describe, expect, it } from 'vitest';
import { MailRejectedError, MailThrottledError } from '#functions/sending/mailer';
import { silentLogger } from '#functions/sending/ports';
import {
  accountSendRate,
  fullJitterDelay,
  perWorkerRate,
  sendPaced,
  type Timer,
  TokenBucket,
} from '#functions/sending/rate-limiter';

/** A fake clock: sleeping moves time forward, nothing waits for real. */
const fakeTimer = (): Timer & { at: number } => {
  const timer = {
    at: 0,
    now: () => timer.at,
    sleep: async (ms: number) => {
      timer.at += ms;
    },
  };
  return timer;
};

const maxInAnyWindow = (times: number[], windowMs: number) => {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j += 1;
    max = Math.max(max, i - j + 1);
  }
  return max;
};

describe('token bucket', () => {
  it.each([1, 7, 14, 50])('never grants more than %i per second in any one-second window', async (rate) => {
    const timer = fakeTimer();
    const bucket = new TokenBucket(rate, timer);
    const grants: number[] = [];
    // Many callers at once, as a worker's parallel lanes are.
    await Promise.all(
      Array.from({ length: rate * 10 }, async () => {
        await bucket.take();
        grants.push(timer.now());
      }),
    );
    grants.sort((a, b) => a - b);
    expect(maxInAnyWindow(grants, 1000)).toBeLessThanOrEqual(rate);
    // …and keeps up: 10 s of tokens in about 10 s.
    expect(grants.at(-1)).toBeLessThanOrEqual(10_000 + 10 * Math.ceil(1000 / rate));
  });

  it('keeps to the 1/rate grid after an idle spell: no burst, at most a few ms early', async () => {
    const timer = fakeTimer();
    const bucket = new TokenBucket(10, timer);
    await bucket.take();
    timer.at += 5_000;
    const grants: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await bucket.take();
      grants.push(timer.now());
    }
    expect(grants).toEqual([5000, 5096, 5196, 5296, 5396]);
  });

  it('does not let late timers push the schedule back (or forward past the rate)', async () => {
    let at = 0;
    // Every sleep wakes 3 ms late, as busy event loops do.
    const late: Timer = {
      now: () => at,
      sleep: async (ms) => {
        at += ms + 3;
      },
    };
    const bucket = new TokenBucket(100, late);
    const grants: number[] = [];
    await Promise.all(
      Array.from({ length: 1000 }, async () => {
        await bucket.take();
        grants.push(at);
      }),
    );
    expect(maxInAnyWindow(grants, 1000)).toBeLessThanOrEqual(100);
    expect(grants.at(-1)).toBeLessThan(10_300);
  });

  it('splits the account rate between the worker’s concurrent instances', () => {
    expect(perWorkerRate({ maxSendRate: 14 }, 2)).toBe(7);
    expect(perWorkerRate({ maxSendRate: 14 }, 0)).toBe(14);
  });

  it('reads the account rate once per process, with a fallback when GetAccount fails', async () => {
    let calls = 0;
    const mailer = {
      getAccountSendRate: async () => {
        calls += 1;
        return { maxSendRate: 40, max24HourSend: 1, sentLast24Hours: 0 };
      },
    };
    const rate = accountSendRate(mailer, { fallback: 1, logger: silentLogger });
    expect([await rate(), await rate(), await rate()]).toEqual([40, 40, 40]);
    expect(calls).toBe(1);
    const failing = accountSendRate(
      { getAccountSendRate: () => Promise.reject(new Error('no account')) },
      { fallback: 2, logger: silentLogger },
    );
    expect(await failing()).toBe(2);
    expect(await accountSendRate(mailer, { override: 9, fallback: 1, logger: silentLogger })()).toBe(9);
  });
});

describe('full-jitter backoff', () => {
  it('waits uniformly in [0, min(cap, base·2^retry))', () => {
    const backoff = { baseMs: 100, capMs: 2_000 };
    expect(fullJitterDelay(0, { ...backoff, random: () => 0 })).toBe(0);
    expect(fullJitterDelay(0, { ...backoff, random: () => 0.999 })).toBe(99);
    expect(fullJitterDelay(3, { ...backoff, random: () => 0.999 })).toBe(799);
    expect(fullJitterDelay(10, { ...backoff, random: () => 0.999 })).toBe(1998);
    for (let retry = 0; retry < 12; retry += 1) {
      const delay = fullJitterDelay(retry, { ...backoff, random: Math.random });
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(2_000, 100 * 2 ** retry));
    }
  });

  it('retries throttling a bounded number of times, then gives up with the throttling error', async () => {
    const timer = fakeTimer();
    const slept: number[] = [];
    const deps = {
      bucket: { take: async () => {} },
      backoff: { attempts: 4, baseMs: 100, capMs: 2_000, random: () => 0.5 },
      sleep: async (ms: number) => {
        slept.push(ms);
        await timer.sleep(ms);
      },
    };
    let calls = 0;
    const throttled = async () => {
      calls += 1;
      throw new MailThrottledError('Maximum sending rate exceeded');
    };
    await expect(sendPaced(throttled, deps)).rejects.toBeInstanceOf(MailThrottledError);
    expect(calls).toBe(4);
    expect(slept).toEqual([50, 100, 200]);

    let tries = 0;
    const recovers = async () => {
      tries += 1;
      if (tries < 3) throw new MailThrottledError('slow down');
      return 'ok';
    };
    expect(await sendPaced(recovers, deps)).toBe('ok');
  });

  it('does not retry a permanent rejection', async () => {
    let calls = 0;
    const rejected = async () => {
      calls += 1;
      throw new MailRejectedError('Email address is not verified', 'MessageRejected');
    };
    const deps = {
      bucket: { take: async () => {} },
      backoff: { attempts: 5, baseMs: 1, capMs: 1, random: () => 0 },
      sleep: async () => {},
    };
    await expect(sendPaced(rejected, deps)).rejects.toBeInstanceOf(MailRejectedError);
    expect(calls).toBe(1);
  });
});
