import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Campaign } from '#functions/campaigns/schema';
import { campaignStore } from '#functions/campaigns/store';
import { freePort } from '#functions/local/free-port';
import { startRuntime, TABLE_NAME } from '#functions/local/runtime';
import { createDocumentClient } from '#platform/dynamo';
import { newId } from '#platform/ids';
import { Table } from '#platform/table';
import { median } from './harness';

/*
 * `npm run bench -- leads`: the landing form's POST on the embedded runtime (DynamoDB Local,
 * the real app over HTTP), next to a bare Hono route on the same machine that parses the same
 * form and does one PutItem on the same DynamoDB Local: the floor. Latency one request at a
 * time (p50/p99) and throughput with 8 in flight. Every post is a new person from a new
 * address, so each is a full capture (rate limits, dedupe, account lookup, the lead's
 * transaction) and none is refused.
 */
const SEQUENTIAL = 300;
const CONCURRENT = 600;
const IN_FLIGHT = 8;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const form = (i: number, run: string) =>
  new URLSearchParams({
    email: `person${i}-${run}@acme-${i % 97}.example`,
    first_name: 'Dana',
    last_name: 'Okafor',
    company: 'Acme',
    job_title: 'CISO',
    country: 'US',
    consent: 'yes',
  }).toString();

/** Latencies of `count` posts one after another, then req/s with IN_FLIGHT at a time. */
const drive = async (url: string, run: string) => {
  let n = 0;
  const once = async () => {
    n += 1;
    const started = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'cloudfront-viewer-address': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}:443`,
      },
      body: form(n, run),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 50; i += 1) await once();
  const latencies: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) latencies.push(await once());
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (sent < CONCURRENT) {
        sent += 1;
        await once();
      }
    }),
  );
  const perSecond = (CONCURRENT / (performance.now() - started)) * 1000;
  return { p50: median(latencies), p99: percentile(latencies, 99), perSecond };
};

export const leadsBench = async (): Promise<void> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-bench-leads-'));
  const runtime = await startRuntime({ port: await freePort(), dataDir, fresh: true, quiet: true });
  const doc = createDocumentClient({ region: 'us-east-1', endpoint: runtime.dynamoEndpoint });
  const floorPort = await freePort();
  const floorApp = new Hono().post('/put', async (c) => {
    const fields = Object.fromEntries(new URLSearchParams(await c.req.text()));
    await doc.send(
      new PutCommand({ TableName: TABLE_NAME, Item: { pk: `BENCH#${newId()}`, sk: 'FORM', ...fields } }),
    );
    return c.html('<p>Thank you</p>');
  });
  const floorServer = serve({ port: floorPort, hostname: '127.0.0.1', fetch: floorApp.fetch });
  try {
    const now = new Date().toISOString();
    const campaign: Campaign = {
      id: newId(),
      partnerId: 'northwind',
      name: 'Bench',
      kitId: 'zero-trust-webinar',
      kitVersion: '1.0.0',
      kitName: 'Zero trust webinar',
      approvalRequired: false,
      slots: {},
      listId: newId(),
      slug: `bench-${Date.now().toString(36)}`,
      status: 'sending',
      scheduledAt: null,
      submittedAt: null,
      decisions: [],
      launchedAt: now,
      pausedAt: null,
      pauseReason: null,
      cancelledAt: null,
      sentAt: null,
      audienceSize: 0,
      createdAt: now,
      createdBy: 'bench',
      updatedAt: now,
      version: 1,
    };
    await campaignStore(new Table(doc, TABLE_NAME)).create(campaign);
    const base = runtime.url.replace('localhost', '127.0.0.1');
    const floor = await drive(`http://127.0.0.1:${floorPort}/put`, 'floor');
    const subject = await drive(`${base}/p/${campaign.slug}`, 'form');
    const row = (label: string, r: typeof floor) =>
      `  ${label.padEnd(40)} p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   ${Math.round(
        r.perSecond,
      )
        .toString()
        .padStart(5)} req/s (${IN_FLIGHT} in flight)`;
    console.log(
      `${SEQUENTIAL} sequential posts, then ${CONCURRENT} with ${IN_FLIGHT} in flight; DynamoDB Local:`,
    );
    console.log(row('lead form POST /p/{slug} (embedded runtime)', subject));
    console.log(row('floor: bare Hono route + one PutItem', floor));
    console.log(
      `  ratio ${(subject.p50 / floor.p50).toFixed(2)}x p50 latency, ${(floor.perSecond / subject.perSecond).toFixed(2)}x throughput   goal ≤ 2x`,
    );
  } finally {
    floorServer.close();
    doc.destroy();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};
