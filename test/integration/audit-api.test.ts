import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AuditDeps, appendAudit } from '#functions/audit/audit';
import { auditEntryKey } from '#functions/audit/keys';
import { auditStore } from '#functions/audit/store';
import type { DemoUser } from '#functions/local/demo-data';
import { createDocumentClient } from '#platform/dynamo';
import { assertLocalEndpoint } from '#test/support/local-only';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * The audit routes through the API on DynamoDB Local: marketing and auditors verify and read any
 * chain; a partner only its own (another partner's, or the vendor's, is a 404 like a missing one);
 * an entry edited behind the API's back shows up in the verification at that entry.
 */
let api: TestApi;
let deps: AuditDeps;
const doc = createDocumentClient({
  region: 'us-east-1',
  endpoint: assertLocalEndpoint(inject('dynamoEndpoint')),
});

const auditor = { role: 'auditor', sub: 'u-auditor-1', name: 'Ada Auditor' } as const;

beforeAll(async () => {
  api = await startTestApi();
  deps = { audit: auditStore(api.table), clock: () => new Date() };
  for (const [chain, n] of [
    ['partner:northwind', 3],
    ['partner:globex', 2],
    ['vendor', 1],
  ] as const) {
    for (let i = 1; i <= n; i += 1) {
      await appendAudit(deps, {
        chain,
        kind: 'claim-decision',
        subject: { claimId: `${chain}-c${i}` },
        content: { decision: 'approve', amountMinor: 5000 * i, currency: 'USD' },
        recordedBy: auditor,
      });
    }
  }
});
afterAll(async () => {
  await api.close();
  doc.destroy();
});

const get = async (path: string, as: DemoUser['role'] | DemoUser['id']) => {
  const res = await api.request(path, { as });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
};

describe('GET /api/audit/verify', () => {
  it('marketing and auditors verify any chain', async () => {
    for (const as of ['marketing', 'auditor'] as const) {
      expect(await get('/api/audit/verify?chain=partner:globex', as)).toMatchObject({
        status: 200,
        body: { chain: 'partner:globex', ok: true, entries: 2, head: { seq: 2 } },
      });
      expect((await get('/api/audit/verify?chain=vendor', as)).body).toMatchObject({ ok: true, entries: 1 });
    }
  });

  it('a partner verifies its own chain', async () => {
    expect(await get('/api/audit/verify?chain=partner:northwind', 'u-northwind-1')).toMatchObject({
      status: 200,
      body: { ok: true, entries: 3 },
    });
  });

  it('a partner cannot verify another partner’s chain or the vendor’s: 404 like a missing one', async () => {
    for (const chain of ['partner:northwind', 'vendor', 'partner:no-such-partner']) {
      const res = await get(`/api/audit/verify?chain=${chain}`, 'u-globex-1');
      expect(res.status).toBe(404);
      expect(res.type).toContain('application/problem+json');
    }
  });

  it('names the field when the chain is missing or malformed', async () => {
    for (const query of ['', '?chain=partner:', '?chain=PARTNER%23x', '?chain=vendor&extra=1']) {
      const res = await get(`/api/audit/verify${query}`, 'auditor');
      expect(res.status).toBe(422);
      expect(res.type).toContain('application/problem+json');
      expect(JSON.stringify(res.body.errors)).toContain('query');
    }
  });

  it('reports the entry edited behind the API’s back', async () => {
    await doc.send(
      new UpdateCommand({
        TableName: api.table.name,
        Key: auditEntryKey('partner:globex', 2),
        UpdateExpression: 'SET content = :c',
        ExpressionAttributeValues: { ':c': '{"amountMinor":99999999,"currency":"USD","decision":"approve"}' },
      }),
    );
    expect(await get('/api/audit/verify?chain=partner:globex', 'auditor')).toMatchObject({
      status: 200,
      body: { ok: false, entries: 1, firstBroken: { seq: 2, reason: 'content-hash' } },
    });
    expect((await get('/api/audit/verify?chain=partner:globex', 'u-globex-1')).body).toMatchObject({
      ok: false,
      firstBroken: { seq: 2 },
    });
  });
});

describe('GET /api/audit/entries', () => {
  it('pages through a chain oldest first, content as recorded', async () => {
    const first = await get('/api/audit/entries?chain=partner:northwind&limit=2', 'auditor');
    expect(first.status).toBe(200);
    const items = first.body.items as Record<string, unknown>[];
    expect(items.map((e) => e.seq)).toEqual([1, 2]);
    expect(items[0]).toMatchObject({
      chain: 'partner:northwind',
      kind: 'claim-decision',
      content: { decision: 'approve', amountMinor: 5000, currency: 'USD' },
      recordedBy: auditor,
    });
    const cursor = String(first.body.nextCursor);
    const second = await get(
      `/api/audit/entries?chain=partner:northwind&limit=2&cursor=${cursor}`,
      'marketing',
    );
    expect((second.body.items as Record<string, unknown>[]).map((e) => e.seq)).toEqual([3]);
  });

  it('a partner reads its own chain only; another’s answers 404, and a cursor cannot cross chains', async () => {
    expect((await get('/api/audit/entries?chain=partner:northwind', 'u-northwind-1')).status).toBe(200);
    expect((await get('/api/audit/entries?chain=partner:northwind', 'u-globex-1')).status).toBe(404);
    expect((await get('/api/audit/entries?chain=vendor', 'u-northwind-1')).status).toBe(404);
    const page = await get('/api/audit/entries?chain=partner:northwind&limit=1', 'u-northwind-1');
    const stolen = String(page.body.nextCursor);
    const crossed = await get(`/api/audit/entries?chain=partner:globex&cursor=${stolen}`, 'auditor');
    expect(crossed.status).toBe(422);
  });

  it('has no way to change an entry: only GET exists on the audit paths', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await api.request('/api/audit/entries?chain=vendor', {
        method,
        as: 'marketing',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(404);
    }
  });
});
