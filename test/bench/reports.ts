import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#functions/auth/principal';
import type { Campaign } from '#functions/campaigns/schema';
import { campaignStore } from '#functions/campaigns/store';
import { startDynamoLocal } from '#functions/local/emulators';
import { freePort } from '#functions/local/free-port';
import { partnerStore } from '#functions/partners/store';
import { AGGREGATE_TYPE, aggregateReader } from '#functions/reports/aggregates';
import {
  campaignAggregateKey,
  countedKey,
  moneyAttribute,
  partnerAggregateKey,
  programAggregateKey,
} from '#functions/reports/ropi-keys';
import { type RopiDeps, ropiCampaignReport, ropiReport } from '#functions/reports/ropi-report';
import { counterKeys } from '#functions/sending/counters';
import { createDocumentClient } from '#platform/dynamo';
import { newId } from '#platform/ids';
import { type BatchWriteRequest, Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { median } from './harness';

/*
 * `npm run bench -- reports`: the ROPI reports on DynamoDB Local with a program as it would be
 * after 1,000 sends and after 100,000 sends: the same 20 partners with 5 campaigns each, the
 * campaign counters and the report aggregates written directly (as the send engine and the
 * lead-effects updater leave them), plus each lead's "counted" item (per-lead items a report
 * must never read: 1 lead per 10 sends). Each report's latency (p50/p95) and its DynamoDB
 * requests at both sizes, their ratio, and the floor: a bare GetItem and a bare Query on the
 * same DynamoDB Local in the same run.
 */
const PARTNERS = 20;
const CAMPAIGNS_PER_PARTNER = 5;
const SENDS_PER_LEAD = 10;
const RUNS = 60;
const WARMUP = 5;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const marketing: Principal = {
  role: 'marketing',
  sub: 'b',
  email: 'b@vendor.example',
  name: 'B',
  partnerId: null,
};

const campaignOf = (partnerId: string, i: number, at: string): Campaign => ({
  id: newId(),
  partnerId,
  name: `Campaign ${i}`,
  kitId: 'zero-trust-webinar',
  kitVersion: '1.0.0',
  kitName: 'Zero trust webinar',
  approvalRequired: false,
  slots: {},
  listId: 'L1',
  slug: `bench-${newId().toLowerCase()}`,
  status: 'sent',
  scheduledAt: null,
  submittedAt: null,
  decisions: [],
  launchedAt: at,
  pausedAt: null,
  pauseReason: null,
  cancelledAt: null,
  sentAt: at,
  audienceSize: 0,
  createdAt: at,
  createdBy: 'bench',
  updatedAt: at,
  version: 1,
});

/** Counters and aggregates for `sends` spread over the campaigns, as the writers would leave them. */
const seed = async (table: Table, campaigns: readonly Campaign[], sends: number) => {
  const now = new Date().toISOString();
  const partners = [...new Set(campaigns.map((c) => c.partnerId))];
  for (const id of partners) {
    await partnerStore(table).create({
      id,
      name: `Partner ${id}`,
      tier: 'gold',
      region: 'NA',
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
  }
  for (const c of campaigns) await campaignStore(table).create(c);
  const perCampaign = Math.floor(sends / campaigns.length);
  const leadsPerCampaign = Math.floor(perCampaign / SENDS_PER_LEAD);
  const row = (leads: number, paidMinor: number) => ({
    type: AGGREGATE_TYPE,
    version: 1,
    leads,
    eqls: Math.floor(leads / 4),
    sourced: Math.floor((leads * 3) / 4),
    influenced: leads - Math.floor((leads * 3) / 4),
    [moneyAttribute('paid', 'USD')]: paidMinor,
    [moneyAttribute('pipeline', 'USD')]: leads * 2_500_00,
    [moneyAttribute('won', 'USD')]: leads * 40_000,
  });
  const writes: BatchWriteRequest[] = [];
  for (const c of campaigns) {
    writes.push({
      put: { ...counterKeys.total(c.id), type: 'campaign-counters', version: 1, sent: perCampaign },
    });
    writes.push({ put: { ...campaignAggregateKey(c.partnerId, c.id), ...row(leadsPerCampaign, 1_000_000) } });
  }
  for (const id of partners) {
    writes.push({
      put: { ...partnerAggregateKey(id), ...row(leadsPerCampaign * CAMPAIGNS_PER_PARTNER, 5_000_000) },
    });
  }
  const leads = leadsPerCampaign * campaigns.length;
  writes.push({ put: { ...programAggregateKey(), ...row(leads, 5_000_000 * partners.length) } });
  for (let i = 0; i < leads; i += 1) {
    writes.push({
      put: { ...countedKey(newId()), type: 'ropi-counted', version: 1, leadVersion: 1, levels: [] },
    });
  }
  await table.batchWrite(writes, { concurrency: 4 });
  return leads;
};

interface Timing {
  p50: number;
  p95: number;
}

/**
 * Times several subjects in turns (a, b, c, a, b, c, …) after a shared warm-up, so a slower
 * first few hundred requests (JIT, DynamoDB Local's own warm-up) favour none of them.
 */
const timeInTurns = async (subjects: readonly (() => Promise<unknown>)[]): Promise<Timing[]> => {
  for (let i = 0; i < WARMUP; i += 1) for (const once of subjects) await once();
  const values: number[][] = subjects.map(() => []);
  for (let i = 0; i < RUNS; i += 1) {
    for (const [j, once] of subjects.entries()) {
      const started = performance.now();
      await once();
      values[j]?.push(performance.now() - started);
    }
  }
  return values.map((v) => ({ p50: median(v), p95: percentile(v, 95) }));
};

const requestsOf = async (counter: { requests: number }, once: () => Promise<unknown>) => {
  const before = counter.requests;
  await once();
  return counter.requests - before;
};

const fmt = (ms: number) => `${ms.toFixed(2).padStart(7)} ms`;

/** Each report at both sizes with its requests and the ratio line, then the floors. */
const printResults = async (
  counter: { requests: number },
  small: RopiDeps,
  large: RopiDeps,
  reports: readonly [string, (deps: RopiDeps) => Promise<unknown>][],
  floors: readonly [string, () => Promise<unknown>][],
  timings: readonly Timing[],
) => {
  console.log(`DynamoDB Local, ${RUNS} runs each after ${WARMUP} warm-up, all subjects in turns:`);
  for (const [i, [label, run]] of reports.entries()) {
    const s = timings[2 * i];
    const l = timings[2 * i + 1];
    if (!s || !l) continue;
    const sr = await requestsOf(counter, () => run(small));
    const lr = await requestsOf(counter, () => run(large));
    console.log(`  ${label}`);
    console.log(`    1k sends    p50 ${fmt(s.p50)}   p95 ${fmt(s.p95)}   ${sr} DynamoDB requests`);
    console.log(`    100k sends  p50 ${fmt(l.p50)}   p95 ${fmt(l.p95)}   ${lr} DynamoDB requests`);
    console.log(
      `    ratio 100k/1k: ${(l.p50 / s.p50).toFixed(2)}x p50 latency, ${(l.p95 / s.p95).toFixed(2)}x p95, ${(lr / sr).toFixed(2)}x DynamoDB requests   goal: requests 1.00x, latency ≈ 1x`,
    );
  }
  for (const [i, [label]] of floors.entries()) {
    const f = timings[2 * reports.length + i];
    if (f) console.log(`  floor: ${label.padEnd(38)} p50 ${fmt(f.p50)}   p95 ${fmt(f.p95)}   1 request`);
  }
  const program = timings[1];
  const query = timings[2 * reports.length + 1];
  if (program && query) {
    console.log(
      `  program report at 100k sends vs the bare Query: ${(program.p50 / query.p50).toFixed(1)}x p50 (it reads the partner list, the aggregates, each partner's campaigns and their counters)`,
    );
  }
};

export const reportsBench = async (): Promise<void> => {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  const doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  const counter = { requests: 0 };
  doc.middlewareStack.add(
    (next) => async (args) => {
      counter.requests += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  try {
    const at = new Date().toISOString();
    const partnerIds = Array.from({ length: PARTNERS }, (_, i) => `partner-${String(i).padStart(2, '0')}`);
    const campaigns = partnerIds.flatMap((p) =>
      Array.from({ length: CAMPAIGNS_PER_PARTNER }, (_, i) => campaignOf(p, i, at)),
    );
    const partnerUser: Principal = {
      role: 'partner',
      sub: 'p',
      email: 'p@partner.example',
      name: 'P',
      partnerId: partnerIds[0] ?? '',
    };
    const sizes = [1_000, 100_000] as const;
    const programs = [];
    for (const sends of sizes) {
      const name = `bench-reports-${sends}`;
      await ensureTable(doc, name);
      const table = new Table(doc, name);
      const leads = await seed(table, campaigns, sends);
      const deps: RopiDeps = {
        aggregates: aggregateReader(table),
        partners: partnerStore(table),
        campaigns: campaignStore(table),
        clock: () => new Date(),
      };
      // The report reads what was seeded, so the two programs really differ in what they hold.
      const check = await ropiReport(deps, marketing);
      if (check.program?.sends !== sends || check.program.leads !== leads) {
        throw new Error(`the seeded program reads wrong: ${JSON.stringify(check.program)}`);
      }
      programs.push({ sends, leads, name, deps });
      console.log(
        `  seeded ${sends.toLocaleString('en')} sends: ${leads.toLocaleString('en')} leads (and their per-lead items), ${PARTNERS} partners, ${campaigns.length} campaigns`,
      );
    }
    const [small, large] = programs;
    if (!small || !large) throw new Error('two programs expected');
    const reports: [string, (deps: RopiDeps) => Promise<unknown>][] = [
      [`program + ${PARTNERS} partner rows (marketing)`, (deps) => ropiReport(deps, marketing)],
      ['one partner’s row (partner)', (deps) => ropiReport(deps, partnerUser)],
      [
        `one partner’s ${CAMPAIGNS_PER_PARTNER} campaigns (partner)`,
        (deps) => ropiCampaignReport(deps, partnerUser),
      ],
    ];
    const floors: [string, () => Promise<unknown>][] = [
      [
        'bare GetItem (the program item)',
        () =>
          doc.send(
            new GetCommand({ TableName: large.name, Key: programAggregateKey(), ConsistentRead: true }),
          ),
      ],
      [
        'bare Query (program + partner items)',
        () =>
          doc.send(
            new QueryCommand({
              TableName: large.name,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': 'ROPI' },
              ConsistentRead: true,
            }),
          ),
      ],
    ];
    const timings = await timeInTurns([
      ...reports.flatMap(([, run]) => [() => run(small.deps), () => run(large.deps)]),
      ...floors.map(([, run]) => run),
    ]);
    await printResults(counter, small.deps, large.deps, reports, floors, timings);
  } finally {
    doc.destroy();
    await dynamo.stop();
  }
};
