import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InProcessScheduler } from '#functions/local/in-process-scheduler';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-24T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('InProcessScheduler', () => {
  it('invokes the target at the time with the payload, once', async () => {
    const fired: string[] = [];
    const scheduler = new InProcessScheduler(async (payload) => void fired.push(payload));
    scheduler.schedule('launch-1', new Date('2026-11-24T12:05:00Z'), '{"campaign":"1"}');
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired).toEqual(['{"campaign":"1"}']);
    expect(scheduler.pending()).toEqual([]);
  });

  it('replaces a schedule of the same name and cancels on request', async () => {
    const fired: string[] = [];
    const scheduler = new InProcessScheduler(async (payload) => void fired.push(payload));
    scheduler.schedule('a', new Date('2026-11-24T12:01:00Z'), 'old');
    scheduler.schedule('a', new Date('2026-11-24T12:02:00Z'), 'new');
    scheduler.schedule('b', new Date('2026-11-24T12:01:00Z'), 'cancelled');
    expect(scheduler.cancel('b')).toBe(true);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(fired).toEqual(['new']);
  });

  it('waits out dates beyond setTimeout’s 24.8-day limit', async () => {
    const fired: string[] = [];
    const scheduler = new InProcessScheduler(async (payload) => void fired.push(payload));
    scheduler.schedule('far', new Date('2027-01-24T12:00:00Z'), 'late');
    await vi.advanceTimersByTimeAsync(30 * 24 * 3600_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(32 * 24 * 3600_000);
    expect(fired).toEqual(['late']);
  });

  it('records a failing target instead of crashing', async () => {
    const scheduler = new InProcessScheduler(async () => {
      throw new Error('boom');
    });
    scheduler.schedule('x', new Date('2026-11-24T12:00:01Z'), 'p');
    await vi.advanceTimersByTimeAsync(1000);
    expect(scheduler.failures.map((f) => f.name)).toEqual(['x']);
  });
});
