import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditStore } from '#functions/audit/store';
import type { Campaign } from '#functions/campaigns/schema';
import { campaignStore } from '#functions/campaigns/store';
import { fundKey } from '#functions/mdf/keys';
import { newId } from '#platform/ids';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * MDF funds and pre-approval requests through the API on DynamoDB Local: allocations and their
 * balances, requests against them, decisions, and above all that concurrent approvals never
 * commit more than a fund holds.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

type Who = 'marketing' | 'auditor' | 'u-northwind-1' | 'u-globex-1' | 'u-initech-1';
const call = (path: string, as: Who, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
  api.request(path, {
    as,
    method,
    ...(body === undefined
      ? { headers }
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }),
  });

let period = 0;
/** A fresh fund for a partner (each test its own period, so the one-per-period rule never collides). */
const fund = async (partnerId: string, allocatedMinor: number, extra: Record<string, unknown> = {}) => {
  period += 1;
  const res = await call('/api/mdf/funds', 'marketing', 'POST', {
    partnerId,
    period: `FY${2030 + period}`,
    currency: 'USD',
    allocatedMinor,
    reimbursementShareBps: 5000,
    claimDeadlineDays: 60,
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.json();
};

const activity = {
  name: 'Zero trust breakfast',
  description: 'A breakfast seminar for 40 IT leads',
  startDate: '2031-02-01',
  endDate: '2031-02-01',
};
const outcomes = { leads: 40, eqls: 10, pipelineMinor: 25_000_000 };

const request = async (
  as: Who,
  fundId: string,
  plannedSpendMinor: number,
  extra: Record<string, unknown> = {},
) => {
  const res = await call('/api/mdf/requests', as, 'POST', {
    fundId,
    plannedActivity: activity,
    plannedSpendMinor,
    currency: 'USD',
    expectedOutcomes: outcomes,
    ...extra,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
};

const approve = (requestId: string, approvedMinor: number, version = 1) =>
  call(
    `/api/mdf/requests/${requestId}/decision`,
    'marketing',
    'POST',
    { decision: 'approve', approvedMinor },
    {
      'if-match': `"${version}"`,
    },
  );

const readFund = async (fundId: string) => (await call(`/api/mdf/funds/${fundId}`, 'marketing')).json();

describe('MDF funds', () => {
  it('allocates a fund with zero balances and the whole allocation remaining', async () => {
    const created = await fund('northwind', 1_000_000);
    expect(created).toMatchObject({
      partnerId: 'northwind',
      currency: 'USD',
      allocatedMinor: 1_000_000,
      reimbursementShareBps: 5000,
      committedMinor: 0,
      claimedMinor: 0,
      approvedMinor: 0,
      paidMinor: 0,
      remainingMinor: 1_000_000,
      version: 1,
    });
    expect(await readFund(created.id)).toEqual(created);
  });

  it('keeps one fund per partner, period and currency (409), but another currency is another fund', async () => {
    const first = await fund('globex', 500_000);
    const again = await call('/api/mdf/funds', 'marketing', 'POST', {
      partnerId: 'globex',
      period: first.period,
      currency: 'USD',
      allocatedMinor: 1,
      reimbursementShareBps: 5000,
    });
    expect(again.status).toBe(409);
    expect((await again.json()).detail).toBe(`globex already has a ${first.period} fund in USD`);
    const euro = await call('/api/mdf/funds', 'marketing', 'POST', {
      partnerId: 'globex',
      period: first.period,
      currency: 'EUR',
      allocatedMinor: 1,
      reimbursementShareBps: 5000,
    });
    expect(euro.status).toBe(201);
  });

  it('refuses floats, bad periods and unknown partners with 422 naming each field', async () => {
    const res = await call('/api/mdf/funds', 'marketing', 'POST', {
      partnerId: 'northwind',
      period: '2026-Q5',
      currency: 'usd',
      allocatedMinor: 100.5,
      reimbursementShareBps: 50.5,
    });
    expect(res.status).toBe(422);
    const paths = (await res.json()).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual([
      'body.allocatedMinor',
      'body.currency',
      'body.period',
      'body.reimbursementShareBps',
    ]);
    const ghost = await call('/api/mdf/funds', 'marketing', 'POST', {
      partnerId: 'no-such-partner',
      period: '2026-Q4',
      currency: 'USD',
      allocatedMinor: 1,
      reimbursementShareBps: 5000,
    });
    expect(ghost.status).toBe(422);
    expect((await ghost.json()).errors).toEqual([{ path: 'body.partnerId', message: 'no such partner' }]);
  });

  it('raises and lowers the allocation with If-Match, never below what is committed (409)', async () => {
    const f = await fund('northwind', 100_000);
    const r = await request('u-northwind-1', f.id, 100_000);
    expect((await approve(r.id, 80_000)).status).toBe(200); // commits 40_000 (50%)
    const now = await readFund(f.id);
    expect(now).toMatchObject({ committedMinor: 40_000, remainingMinor: 60_000, version: 2 });

    const tooLow = await call(
      `/api/mdf/funds/${f.id}`,
      'marketing',
      'PATCH',
      { allocatedMinor: 39_999 },
      {
        'if-match': '"2"',
      },
    );
    expect(tooLow.status).toBe(409);
    expect((await tooLow.json()).detail).toBe(
      'the allocation cannot go below what is committed (USD 400.00)',
    );
    expect(await readFund(f.id)).toEqual(now);

    const exact = await call(
      `/api/mdf/funds/${f.id}`,
      'marketing',
      'PATCH',
      { allocatedMinor: 40_000 },
      {
        'if-match': '"2"',
      },
    );
    expect(exact.status).toBe(200);
    expect(await exact.json()).toMatchObject({
      allocatedMinor: 40_000,
      committedMinor: 40_000,
      remainingMinor: 0,
      version: 3,
    });

    const stale = await call(
      `/api/mdf/funds/${f.id}`,
      'marketing',
      'PATCH',
      { allocatedMinor: 90_000 },
      {
        'if-match': '"2"',
      },
    );
    expect(stale.status).toBe(412);
    const raised = await call(
      `/api/mdf/funds/${f.id}`,
      'marketing',
      'PATCH',
      { allocatedMinor: 90_000 },
      {
        'if-match': '"3"',
      },
    );
    expect(await raised.json()).toMatchObject({ allocatedMinor: 90_000, remainingMinor: 50_000 });
  });

  it('lists funds: marketing filters by partner and period, a partner sees only its own', async () => {
    const mine = await fund('initech', 10_000);
    const theirs = await fund('globex', 10_000, { period: mine.period });
    const byPeriod = await (await call(`/api/mdf/funds?period=${mine.period}`, 'marketing')).json();
    expect(byPeriod.items.map((f: { id: string }) => f.id).sort()).toEqual([mine.id, theirs.id].sort());
    const byPartner = await (
      await call(`/api/mdf/funds?partnerId=initech&period=${mine.period}`, 'auditor')
    ).json();
    expect(byPartner.items.map((f: { id: string }) => f.id)).toEqual([mine.id]);
    const own = await (await call('/api/mdf/funds', 'u-initech-1')).json();
    expect(own.items.every((f: { partnerId: string }) => f.partnerId === 'initech')).toBe(true);
    expect(own.items.map((f: { id: string }) => f.id)).toContain(mine.id);
    const asked = await (await call('/api/mdf/funds?partnerId=globex', 'u-initech-1')).json();
    expect(asked.items).toEqual([]);
    expect((await call(`/api/mdf/funds/${theirs.id}`, 'u-initech-1')).status).toBe(404);
  });
});

describe('MDF approvals never overspend', () => {
  it('20 parallel approvals of requests worth twice the fund: exactly the ten that fit are approved', async () => {
    const f = await fund('northwind', 100_000); // at 50% a 20_000 spend commits 10_000: ten fit
    const requests = [];
    for (let i = 0; i < 20; i += 1) requests.push(await request('u-northwind-1', f.id, 20_000));

    const answers = await Promise.all(requests.map((r) => approve(r.id, 20_000)));

    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(10);
    for (const refused of answers.filter((res) => res.status === 409)) {
      expect(await refused.json()).toMatchObject({
        detail: "approving commits USD 100.00 but the fund's remaining balance is USD 0.00",
        remainingMinor: 0,
        commitmentMinor: 10_000,
        currency: 'USD',
      });
    }
    const after = await readFund(f.id);
    expect(after).toMatchObject({ allocatedMinor: 100_000, committedMinor: 100_000, remainingMinor: 0 });
    const listed = await (
      await call('/api/mdf/requests?partnerId=northwind&status=approved&limit=100', 'marketing')
    ).json();
    const approvedHere = listed.items.filter((r: { fundId: string }) => r.fundId === f.id);
    expect(approvedHere).toHaveLength(10);
    expect(
      approvedHere.reduce((sum: number, r: { committedMinor: number }) => sum + r.committedMinor, 0),
    ).toBe(100_000);
  });

  it('with uneven amounts in parallel: balances add up and every refused one did not fit', async () => {
    const f = await fund('globex', 250_000);
    const spends = [90_000, 10_000, 150_000, 30_000, 70_000, 110_000, 20_000, 60_000, 130_000, 40_000];
    const requests = [];
    for (const spend of spends) requests.push(await request('u-globex-1', f.id, spend));

    const answers = await Promise.all(requests.map((r, i) => approve(r.id, spends[i] ?? 0)));

    const after = await readFund(f.id);
    const approvedCommitments = requests.flatMap((_, i) =>
      answers[i]?.status === 200 ? [(spends[i] ?? 0) / 2] : [],
    );
    const committed = approvedCommitments.reduce((a, b) => a + b, 0);
    expect(committed).toBeLessThanOrEqual(250_000);
    expect(after).toMatchObject({ committedMinor: committed, remainingMinor: 250_000 - committed });
    answers.forEach((res, i) => {
      expect([200, 409]).toContain(res.status);
      // The balance only ever shrinks, so a request refused for it cannot fit what is left now.
      if (res.status === 409) expect((spends[i] ?? 0) / 2).toBeGreaterThan(after.remainingMinor);
    });
  });

  it('refuses an approval above the planned spend (422) and a second decision (409)', async () => {
    const f = await fund('initech', 50_000);
    const r = await request('u-initech-1', f.id, 10_000);
    const over = await approve(r.id, 10_001);
    expect(over.status).toBe(422);
    expect((await over.json()).errors).toEqual([
      { path: 'body.approvedMinor', message: 'must not exceed the planned spend, USD 100.00' },
    ]);
    const less = await approve(r.id, 7_001);
    expect(less.status).toBe(200);
    // The vendor's 50% of 70.01 is 35.005: rounded down to 35.00 in minor units.
    expect(await less.json()).toMatchObject({
      status: 'approved',
      approvedMinor: 7_001,
      committedMinor: 3_500,
      version: 2,
    });
    expect(await readFund(f.id)).toMatchObject({ committedMinor: 3_500, remainingMinor: 46_500 });
    const twice = await approve(r.id, 1, 2);
    expect(twice.status).toBe(409);
    expect((await twice.json()).detail).toBe('the request is approved; it can no longer be approved');
  });

  it('needs If-Match on decisions: 428 without, 412 when stale, and nothing changes', async () => {
    const f = await fund('initech', 50_000);
    const r = await request('u-initech-1', f.id, 10_000);
    const none = await call(`/api/mdf/requests/${r.id}/decision`, 'marketing', 'POST', {
      decision: 'reject',
      reason: 'Out of scope',
    });
    expect(none.status).toBe(428);
    expect((await approve(r.id, 10_000, 7)).status).toBe(412);
    expect(await readFund(f.id)).toMatchObject({ committedMinor: 0, version: 1 });
  });

  it('rejects with a reason and commits nothing', async () => {
    const f = await fund('northwind', 50_000);
    const r = await request('u-northwind-1', f.id, 10_000);
    const res = await call(
      `/api/mdf/requests/${r.id}/decision`,
      'marketing',
      'POST',
      { decision: 'reject', reason: 'No partner-sourced pipeline expected' },
      { 'if-match': '"1"' },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'rejected',
      rejectionReason: 'No partner-sourced pipeline expected',
      approvedMinor: null,
      committedMinor: null,
      decidedBy: { name: 'Maya Marketing' },
    });
    expect(await readFund(f.id)).toMatchObject({ committedMinor: 0, remainingMinor: 50_000 });
    const noReason = await call(
      `/api/mdf/requests/${r.id}/decision`,
      'marketing',
      'POST',
      { decision: 'reject' },
      { 'if-match': '"2"' },
    );
    expect(noReason.status).toBe(422);
  });
});

describe('MDF requests', () => {
  it('refuses a currency other than the fund’s and floats in any amount (422 naming the field)', async () => {
    const f = await fund('northwind', 50_000);
    const euro = await call('/api/mdf/requests', 'u-northwind-1', 'POST', {
      fundId: f.id,
      plannedActivity: activity,
      plannedSpendMinor: 1_000,
      currency: 'EUR',
      expectedOutcomes: outcomes,
    });
    expect(euro.status).toBe(422);
    expect((await euro.json()).errors).toEqual([
      { path: 'body.currency', message: "must be the fund's currency, USD" },
    ]);
    const floats = await call('/api/mdf/requests', 'u-northwind-1', 'POST', {
      fundId: f.id,
      plannedActivity: { ...activity, endDate: '2031-01-01' },
      plannedSpendMinor: 1_000.5,
      currency: 'USD',
      expectedOutcomes: { leads: 1.5, eqls: 1, pipelineMinor: 99.99 },
    });
    expect(floats.status).toBe(422);
    expect((await floats.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.expectedOutcomes.leads',
      'body.expectedOutcomes.pipelineMinor',
      'body.plannedActivity.endDate',
      'body.plannedSpendMinor',
    ]);
  });

  it('links an existing campaign of the partner only: another partner’s campaign or fund reads as missing', async () => {
    const at = '2030-01-01T00:00:00.000Z';
    const campaignOf = (partnerId: string): Campaign => ({
      id: newId(),
      partnerId,
      name: 'Spring webinar',
      kitId: 'zero-trust-webinar',
      kitVersion: '1.0.0',
      kitName: 'Zero trust webinar',
      approvalRequired: false,
      slots: {},
      listId: 'L1',
      slug: `mdf-${newId().toLowerCase()}`,
      status: 'draft',
      scheduledAt: null,
      submittedAt: null,
      decisions: [],
      launchedAt: null,
      pausedAt: null,
      pauseReason: null,
      cancelledAt: null,
      sentAt: null,
      audienceSize: null,
      createdAt: at,
      createdBy: 'u',
      updatedAt: at,
      version: 1,
    });
    const own = campaignOf('northwind');
    const foreign = campaignOf('globex');
    await campaignStore(api.table).create(own);
    await campaignStore(api.table).create(foreign);
    const f = await fund('northwind', 50_000);
    const linked = await request('u-northwind-1', f.id, 1_000, { campaignId: own.id });
    expect(linked).toMatchObject({ campaignId: own.id, status: 'submitted', reimbursementShareBps: 5000 });

    const res = await call('/api/mdf/requests', 'u-northwind-1', 'POST', {
      fundId: f.id,
      campaignId: foreign.id,
      plannedActivity: activity,
      plannedSpendMinor: 1_000,
      currency: 'USD',
      expectedOutcomes: outcomes,
    });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ path: 'body.campaignId', message: 'no such campaign' }]);

    const globexFund = await fund('globex', 50_000);
    const onTheirs = await call('/api/mdf/requests', 'u-northwind-1', 'POST', {
      fundId: globexFund.id,
      plannedActivity: activity,
      plannedSpendMinor: 1_000,
      currency: 'USD',
      expectedOutcomes: outcomes,
    });
    expect(onTheirs.status).toBe(422);
    expect((await onTheirs.json()).errors).toEqual([{ path: 'body.fundId', message: 'no such fund' }]);
  });

  it('a partner cannot see, list or withdraw another partner’s request (404 like a missing one)', async () => {
    const f = await fund('globex', 50_000);
    const theirs = await request('u-globex-1', f.id, 5_000);
    const missing = newId();
    for (const path of [`/api/mdf/requests/${theirs.id}`, `/api/mdf/requests/${missing}`]) {
      const res = await call(path, 'u-northwind-1');
      expect(res.status).toBe(404);
      expect((await res.json()).detail).toBe('not found');
    }
    const withdraw = await call(`/api/mdf/requests/${theirs.id}/withdraw`, 'u-northwind-1', 'POST');
    expect(withdraw.status).toBe(404);
    expect((await call(`/api/mdf/requests/${theirs.id}`, 'u-globex-1')).status).toBe(200);
    const listed = await (await call('/api/mdf/requests?limit=100', 'u-northwind-1')).json();
    expect(listed.items.some((r: { id: string }) => r.id === theirs.id)).toBe(false);
    const asked = await (await call('/api/mdf/requests?partnerId=globex', 'u-northwind-1')).json();
    expect(asked.items).toEqual([]);
    expect(await (await call(`/api/mdf/requests/${theirs.id}`, 'u-globex-1')).json()).toMatchObject({
      status: 'submitted',
    });
  });

  it('withdraws only while submitted', async () => {
    const f = await fund('initech', 50_000);
    const r = await request('u-initech-1', f.id, 5_000);
    const res = await call(`/api/mdf/requests/${r.id}/withdraw`, 'u-initech-1', 'POST');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'withdrawn', version: 2 });
    const again = await call(`/api/mdf/requests/${r.id}/withdraw`, 'u-initech-1', 'POST');
    expect(again.status).toBe(409);
    expect((await approve(r.id, 5_000, 2)).status).toBe(409);
  });

  it('queues submitted requests first, oldest first', async () => {
    const f = await fund('initech', 500_000);
    const a = await request('u-initech-1', f.id, 1_000);
    const b = await request('u-initech-1', f.id, 1_000);
    const c = await request('u-initech-1', f.id, 1_000);
    expect((await approve(a.id, 1_000)).status).toBe(200);
    const queue = await (await call('/api/mdf/requests?partnerId=initech&limit=100', 'marketing')).json();
    const ours = queue.items
      .filter((r: { fundId: string }) => r.fundId === f.id)
      .map((r: { id: string }) => r.id);
    expect(ours).toEqual([b.id, c.id, a.id]);
    const pending = await (await call('/api/mdf/requests?status=submitted&limit=100', 'auditor')).json();
    expect(pending.items.every((r: { status: string }) => r.status === 'submitted')).toBe(true);
    const times = pending.items.map((r: { createdAt: string }) => r.createdAt);
    expect(times).toEqual([...times].sort());
  });

  it('each role does exactly its part: partners cannot allocate or decide, auditors only read', async () => {
    const f = await fund('northwind', 50_000);
    const r = await request('u-northwind-1', f.id, 5_000);
    const body = {
      partnerId: 'northwind',
      period: 'FY2099',
      currency: 'USD',
      allocatedMinor: 1,
      reimbursementShareBps: 1,
    };
    const forbidden: [string, Who, string, unknown?][] = [
      ['/api/mdf/funds', 'u-northwind-1', 'POST', body],
      ['/api/mdf/funds', 'auditor', 'POST', body],
      [`/api/mdf/funds/${f.id}`, 'auditor', 'PATCH', { allocatedMinor: 1 }],
      [`/api/mdf/funds/${f.id}`, 'u-northwind-1', 'PATCH', { allocatedMinor: 1 }],
      [
        `/api/mdf/requests/${r.id}/decision`,
        'u-northwind-1',
        'POST',
        { decision: 'approve', approvedMinor: 1 },
      ],
      [`/api/mdf/requests/${r.id}/decision`, 'auditor', 'POST', { decision: 'approve', approvedMinor: 1 }],
      ['/api/mdf/requests', 'marketing', 'POST', {}],
      ['/api/mdf/requests', 'auditor', 'POST', {}],
      [`/api/mdf/requests/${r.id}/withdraw`, 'marketing', 'POST'],
      [`/api/mdf/requests/${r.id}/withdraw`, 'auditor', 'POST'],
    ];
    for (const [path, as, method, payload] of forbidden) {
      const res = await call(path, as, method, payload, { 'if-match': '"1"' });
      expect(res.status, `${as} ${method} ${path}`).toBe(403);
    }
    for (const path of [
      '/api/mdf/funds',
      `/api/mdf/funds/${f.id}`,
      '/api/mdf/requests',
      `/api/mdf/requests/${r.id}`,
    ]) {
      expect((await call(path, 'auditor')).status, path).toBe(200);
    }
    expect(await (await call(`/api/mdf/requests/${r.id}`, 'marketing')).json()).toMatchObject({
      status: 'submitted',
      version: 1,
    });
    expect((await api.table.get(fundKey(f.id)))?.allocatedMinor).toBe(50_000);
  });

  it('appends allocations, requests and decisions to the partner’s audit chain', async () => {
    const before = (await auditStore(api.table).entries('partner:initech', 100)).items.length;
    const f = await fund('initech', 40_000);
    const r = await request('u-initech-1', f.id, 8_000);
    expect((await approve(r.id, 6_000)).status).toBe(200);
    const page = await auditStore(api.table).entries('partner:initech', 100);
    const ours = page.items.slice(before);
    expect(ours.map((e) => [e.kind, e.subject])).toEqual([
      ['fund-allocation', { partnerId: 'initech', fundId: f.id }],
      ['request-filed', { partnerId: 'initech', fundId: f.id, requestId: r.id }],
      ['request-decision', { partnerId: 'initech', fundId: f.id, requestId: r.id }],
    ]);
    expect(JSON.parse(String(ours[2]?.content))).toMatchObject({
      outcome: 'approved',
      approvedMinor: 6_000,
      committedMinor: 3_000,
    });
    expect(ours[2]?.recordedBy).toEqual({
      role: 'marketing',
      sub: expect.any(String),
      name: 'Maya Marketing',
    });
  });
});
