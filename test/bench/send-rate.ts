import { type Mailer, MailThrottledError } from '#functions/sending/mailer';
import { realTimer } from '#functions/sending/rate-limiter';
import { benchBatches, benchEngine, loadBenchKit } from './send';

/*
 * `npm run bench -- send-rate`: a 5,000-recipient campaign through the rate limiter against a
 * stub SES that enforces the account's maximum send rate (a sliding one-second window) and
 * answers throttling above it, with the account rate split between two concurrent workers (each
 * its own process-wide bucket, as two Lambda instances). In-memory table, no DynamoDB. Prints the
 * achieved rate, the largest count seen in any one-second window, and the throttles.
 */
const RECIPIENTS = 5000;
const MAX_SEND_RATE = 200;
const WORKERS = 2;

export const sendRateBench = async (): Promise<void> => {
  const kit = await loadBenchKit();
  const accepted: number[] = [];
  let throttles = 0;
  let windowStart = 0;
  const stub: Mailer = {
    async sendEmail() {
      const now = performance.now();
      while (windowStart < accepted.length && now - (accepted[windowStart] ?? 0) >= 1000) windowStart += 1;
      if (accepted.length - windowStart >= MAX_SEND_RATE) {
        throttles += 1;
        throw new MailThrottledError('Maximum sending rate exceeded');
      }
      accepted.push(now);
      return { messageId: `stub-${accepted.length}` };
    },
    getAccountSendRate: async () => ({ maxSendRate: MAX_SEND_RATE, max24HourSend: 1e6, sentLast24Hours: 0 }),
  };
  const workers = Array.from({ length: WORKERS }, () =>
    benchEngine(kit, stub, { timer: realTimer, maxSendRate: MAX_SEND_RATE, maxConcurrency: WORKERS }),
  );
  const batches = benchBatches(RECIPIENTS, 'rate-');
  const started = performance.now();
  await Promise.all(
    workers.map(async ({ engine }, w) => {
      for (let i = w; i < batches.length; i += WORKERS) {
        const batch = batches[i];
        if (!batch) continue;
        // A throttled recipient is released and its message redelivered: re-run until settled.
        for (let attempt = 0; attempt < 10 && (await engine.worker.processBatch(batch)).retry; attempt += 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  let maxWindow = 0;
  for (let i = 0, j = 0; i < accepted.length; i += 1) {
    while ((accepted[i] ?? 0) - (accepted[j] ?? 0) >= 1000) j += 1;
    maxWindow = Math.max(maxWindow, i - j + 1);
  }
  const achieved = accepted.length / seconds;
  console.log(
    `${RECIPIENTS} recipients, account rate ${MAX_SEND_RATE}/s split over ${WORKERS} workers (${MAX_SEND_RATE / WORKERS}/s each), stub SES enforcing the rate, in-memory table:`,
  );
  console.log(`  accepted        ${accepted.length} in ${seconds.toFixed(1)} s`);
  console.log(
    `  achieved rate   ${achieved.toFixed(1)}/s = ${((achieved / MAX_SEND_RATE) * 100).toFixed(1)}% of ${MAX_SEND_RATE}/s   goal ≥ 95%`,
  );
  console.log(`  max in any 1 s  ${maxWindow}   goal ≤ ${MAX_SEND_RATE}`);
  console.log(`  throttles       ${throttles}   goal 0`);
};
