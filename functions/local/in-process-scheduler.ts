/**
 * EventBridge Scheduler's one-time schedules, in this process: `at` a time, invoke a target
 * with a payload (the same handler the scheduler's Lambda target runs in AWS). Names are
 * unique, as in EventBridge: scheduling a name again replaces it. Timers are chained so a
 * far-off date does not overflow setTimeout's 24.8-day limit.
 */
export type ScheduleTarget = (payload: string) => Promise<void>;

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class InProcessScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly failures: { name: string; error: unknown }[] = [];

  constructor(
    private readonly target: ScheduleTarget,
    private readonly now: () => number = Date.now,
  ) {}

  schedule(name: string, at: Date, payload: string): void {
    this.cancel(name);
    const arm = () => {
      const wait = at.getTime() - this.now();
      const timer = setTimeout(
        () => {
          if (at.getTime() > this.now()) return arm();
          this.timers.delete(name);
          this.target(payload).catch((error: unknown) => this.failures.push({ name, error }));
        },
        Math.max(0, Math.min(wait, MAX_TIMEOUT_MS)),
      );
      this.timers.set(name, timer);
    };
    arm();
  }

  cancel(name: string): boolean {
    const timer = this.timers.get(name);
    if (timer) clearTimeout(timer);
    return this.timers.delete(name);
  }

  pending(): string[] {
    return [...this.timers.keys()];
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
