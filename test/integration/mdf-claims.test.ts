import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditEntryKey } from '#functions/audit/keys';
import { fundKey } from '#functions/mdf/keys';
import { createDocumentClient } from '#platform/dynamo';
import { minimalPdf, minimalPng } from '#test/support/invoice-fixtures';
import { loadSampleKit, zipOf } from '#test/support/kit-fixtures';
import { assertLocalEndpoint } from '#test/support/local-only';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * MDF claims through the API on DynamoDB Local and the write-once evidence folder: invoices judged
 * by content, claims refused above the approved amount or after the deadline, the POP pack frozen
 * and hashed into the audit chain, auditor decisions appended (corrections name what they
 * correct), payment, the fund's balances moving with each step, tamper detection, and tenancy.
 */
let api: TestApi;
const doc = createDocumentClient({
  region: 'us-east-1',
  endpoint: assertLocalEndpoint(inject('dynamoEndpoint')),
});
type Who = 'marketing' | 'auditor' | 'u-northwind-1' | 'u-globex-1';
const call = (path: string, as: Who, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
  api.request(path, {
    as,
    method,
    ...(body === undefined
      ? { headers }
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }),
  });
const ok = async (res: Response, status = 200) => {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text);
};

const today = new Date().toISOString().slice(0, 10);
const campaigns: Record<string, string> = {};

/** A launched campaign of the partner's own (kit published once, a list with one contact). */
const launchedCampaign = async (as: 'u-northwind-1' | 'u-globex-1') => {
  const list = await ok(await call('/api/lists', as, 'POST', { name: `Claims ${Math.random()}` }), 201);
  const campaign = await ok(
    await call('/api/campaigns', as, 'POST', {
      name: 'Zero trust webinar',
      kitId: 'zero-trust-webinar',
      listId: list.id,
    }),
    201,
  );
  await ok(await call(`/api/campaigns/${campaign.id}/launch`, as, 'POST'), 200);
  return campaign.id as string;
};

let period = 0;
const fund = async (partnerId: string, extra: Record<string, unknown> = {}) => {
  period += 1;
  return ok(
    await call('/api/mdf/funds', 'marketing', 'POST', {
      partnerId,
      period: `FY${2040 + period}`,
      currency: 'USD',
      allocatedMinor: 10_000_000,
      reimbursementShareBps: 5000,
      claimDeadlineDays: 60,
      ...extra,
    }),
    201,
  );
};

/** An approved request: spend USD 10,000 approved, so USD 5,000 reimbursable at 50%. */
const approvedRequest = async (
  as: 'u-northwind-1' | 'u-globex-1',
  partnerId: string,
  options: { fundExtra?: Record<string, unknown>; dates?: { startDate: string; endDate: string } } = {},
) => {
  const f = await fund(partnerId, options.fundExtra);
  const campaignId = campaigns[as] ?? (await launchedCampaign(as));
  campaigns[as] = campaignId;
  const request = await ok(
    await call('/api/mdf/requests', as, 'POST', {
      fundId: f.id,
      campaignId,
      plannedActivity: {
        name: 'Zero trust webinar',
        description: 'An hour on zero trust for IT leads',
        ...(options.dates ?? { startDate: today, endDate: today }),
      },
      plannedSpendMinor: 1_000_000,
      currency: 'USD',
      expectedOutcomes: { leads: 40, eqls: 10, pipelineMinor: 25_000_000 },
    }),
    201,
  );
  const approved = await ok(
    await call(
      `/api/mdf/requests/${request.id}/decision`,
      'marketing',
      'POST',
      { decision: 'approve', approvedMinor: 1_000_000 },
      { 'if-match': '"1"' },
    ),
  );
  return { fund: f, request: approved, campaignId };
};

const upload = async (as: Who, bytes: Uint8Array, type: string) =>
  api.request('/api/mdf/invoices', {
    as,
    method: 'POST',
    headers: { 'content-type': type },
    body: Buffer.from(bytes),
  });

const invoice = async (as: 'u-northwind-1' | 'u-globex-1', text = `Invoice ${Math.random()}`) =>
  (await ok(await upload(as, minimalPdf(text), 'application/pdf'), 201)).sha256 as string;

const file = async (
  as: 'u-northwind-1' | 'u-globex-1',
  requestId: string,
  amountMinor = 500_000,
  extra = {},
) =>
  call('/api/mdf/claims', as, 'POST', {
    requestId,
    amountMinor,
    currency: 'USD',
    invoices: [{ sha256: await invoice(as), name: 'Venue and catering', amountMinor: 1_000_000 }],
    notes: 'Webinar held as planned',
    ...extra,
  });

const readFund = async (fundId: string) => ok(await call(`/api/mdf/funds/${fundId}`, 'marketing'));
const decide = async (claimId: string, body: unknown, version: number) =>
  call(`/api/mdf/claims/${claimId}/decisions`, 'auditor', 'POST', body, { 'if-match': `"${version}"` });

beforeAll(async () => {
  api = await startTestApi();
  const kit = await api.request('/api/kits', {
    as: 'marketing',
    method: 'POST',
    headers: { 'content-type': 'application/zip' },
    body: Buffer.from(zipOf(await loadSampleKit())),
  });
  expect(kit.status).toBe(201);
  await ok(await call('/api/kits/zero-trust-webinar/versions/1.0.0/publish', 'marketing', 'POST'));
});
afterAll(() => api.close());

describe('invoice uploads', () => {
  it('stores a valid PDF write-once under its SHA-256; the same file again answers the same record', async () => {
    const pdf = minimalPdf('Invoice same twice');
    const first = await ok(await upload('u-northwind-1', pdf, 'application/pdf'), 201);
    const again = await ok(await upload('u-northwind-1', pdf, 'application/pdf'), 201);
    expect(again).toEqual(first);
    const stored = await api.evidence.get(`claims/northwind/invoices/${first.sha256}`);
    expect(Buffer.from(stored?.bytes ?? []).equals(Buffer.from(pdf))).toBe(true);
  });

  it('answers problem+json naming the problem for a file that is not what it says', async () => {
    const res = await upload('u-northwind-1', minimalPng(), 'application/pdf');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await res.json()).errors).toEqual([
      { path: 'header.content-type', message: 'declared application/pdf but the content is image/png' },
    ]);
    expect((await upload('u-northwind-1', minimalPdf(), 'text/html')).status).toBe(415);
  });

  it('is for partners only', async () => {
    expect((await upload('auditor', minimalPdf(), 'application/pdf')).status).toBe(403);
    expect((await upload('marketing', minimalPdf(), 'application/pdf')).status).toBe(403);
  });
});

describe('filing a claim', () => {
  it('refuses a claim above the approved amount, naming the field and the amount', async () => {
    const { request } = await approvedRequest('u-northwind-1', 'northwind');
    const res = await file('u-northwind-1', request.id, 500_001);
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.errors).toEqual([
      {
        path: 'body.amountMinor',
        message:
          'must not exceed the approved amount, USD 5,000.00 (50% of the approved spend USD 10,000.00)',
      },
    ]);
  });

  it('refuses a claim after the deadline (activity end + the fund’s claim days)', async () => {
    const { request } = await approvedRequest('u-northwind-1', 'northwind', {
      fundExtra: { claimDeadlineDays: 1 },
      dates: { startDate: '2026-01-05', endDate: '2026-01-06' },
    });
    const res = await file('u-northwind-1', request.id);
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.errors[0].path).toBe('body.requestId');
    expect(problem.errors[0].message).toMatch(
      /^the claim deadline for this activity was 2026-01-07 \(1 days after it ended on 2026-01-06\)/,
    );
  });

  it('refuses a request that is not approved, and another partner’s request as if absent', async () => {
    const { request } = await approvedRequest('u-northwind-1', 'northwind');
    const foreign = await file('u-globex-1', request.id);
    expect(foreign.status).toBe(422);
    expect((await foreign.json()).errors).toEqual([{ path: 'body.requestId', message: 'no such request' }]);
    const f = await fund('northwind');
    const pending = await ok(
      await call('/api/mdf/requests', 'u-northwind-1', 'POST', {
        fundId: f.id,
        plannedActivity: {
          name: 'Pending',
          description: 'Not yet decided',
          startDate: today,
          endDate: today,
        },
        plannedSpendMinor: 100_000,
        currency: 'USD',
        expectedOutcomes: { leads: 1, eqls: 0, pipelineMinor: 0 },
      }),
      201,
    );
    const res = await file('u-northwind-1', pending.id, 1000, { campaignId: campaigns['u-northwind-1'] });
    expect((await res.json()).errors[0].message).toBe(
      'the request is submitted; only an approved request can be claimed',
    );
  });

  it('refuses an invoice that was never uploaded by this partner', async () => {
    const { request } = await approvedRequest('u-northwind-1', 'northwind');
    const theirs = await invoice('u-globex-1');
    const res = await call('/api/mdf/claims', 'u-northwind-1', 'POST', {
      requestId: request.id,
      amountMinor: 1000,
      currency: 'USD',
      invoices: [{ sha256: theirs, name: 'Not mine', amountMinor: 1000 }],
    });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([
      { path: 'body.invoices.0.sha256', message: 'no such upload: upload the file first' },
    ]);
  });

  it('files once per request, freezes the POP pack into the evidence store and the audit chain, and counts the claim on the fund', async () => {
    const { request, fund: f } = await approvedRequest('u-northwind-1', 'northwind');
    const claim = await ok(await file('u-northwind-1', request.id), 201);
    expect(claim).toMatchObject({
      status: 'submitted',
      requestId: request.id,
      amountMinor: 500_000,
      invoicedSpendMinor: 1_000_000,
      approvedMinor: null,
      decisions: [],
      version: 1,
    });
    expect((await readFund(f.id)).claimedMinor).toBe(500_000);
    // The pack served is the one frozen: its stored bytes hash to the recorded hash.
    const stored = await api.evidence.get(claim.pop.key);
    const { createHash } = await import('node:crypto');
    expect(
      createHash('sha256')
        .update(stored?.bytes ?? new Uint8Array())
        .digest('hex'),
    ).toBe(claim.pop.sha256);
    const pop = await ok(await call(`/api/mdf/claims/${claim.id}/pop`, 'auditor'));
    expect(pop).toEqual(JSON.parse(new TextDecoder().decode(stored?.bytes)));
    // The chain holds the filing with the pack's hash, and every evidence item.
    const entries = await ok(await call(`/api/audit/entries?chain=partner:northwind&limit=100`, 'auditor'));
    const ours = entries.items.filter(
      (e: { subject: { claimId?: string } }) => e.subject.claimId === claim.id,
    );
    expect(ours[0].kind).toBe('claim-filed');
    expect(ours[0].content.pop.sha256).toBe(claim.pop.sha256);
    expect(ours.length).toBeGreaterThan(1);
    expect(ours.slice(1).every((e: { kind: string }) => e.kind === 'pop-evidence')).toBe(true);
    // A second claim for the same request is refused.
    const again = await file('u-northwind-1', request.id, 100);
    expect(again.status).toBe(409);
    expect((await readFund(f.id)).claimedMinor).toBe(500_000);
  });
});

describe('auditor review', () => {
  it('requests information, takes the partner’s response, approves partially, corrects, and pays; the fund follows each step', async () => {
    const { request, fund: f } = await approvedRequest('u-northwind-1', 'northwind');
    const claim = await ok(await file('u-northwind-1', request.id), 201);

    const asked = await ok(
      await decide(claim.id, { outcome: 'request-info', reason: 'Attach the attendee list' }, 1),
    );
    expect(asked.status).toBe('info-requested');
    const notes = await ok(await call('/api/notifications', 'u-northwind-1'));
    expect(
      notes.items.some(
        (n: { kind: string; claimId?: string }) =>
          n.kind === 'claim-info-requested' && n.claimId === claim.id,
      ),
    ).toBe(true);

    const extra = await invoice('u-northwind-1', 'Attendee list');
    const answered = await ok(
      await call(`/api/mdf/claims/${claim.id}/responses`, 'u-northwind-1', 'POST', {
        message: 'Attendee list attached',
        invoices: [{ sha256: extra, name: 'Attendees', amountMinor: 50_000 }],
      }),
    );
    expect(answered).toMatchObject({ status: 'submitted', invoicedSpendMinor: 1_050_000, version: 3 });

    const partial = await ok(
      await decide(
        claim.id,
        { outcome: 'partially-approve', amountMinor: 400_000, reason: 'Catering above policy' },
        3,
      ),
    );
    expect(partial).toMatchObject({ status: 'partially-approved', approvedMinor: 400_000 });
    expect((await readFund(f.id)).approvedMinor).toBe(400_000);

    // Final once recorded: a second decision without `corrects` is refused, and names what to correct.
    const blind = await decide(claim.id, { outcome: 'approve' }, 4);
    expect(blind.status).toBe(409);
    const latest = partial.decisions.at(-1).id;
    expect((await blind.json()).corrects).toBe(latest);

    const corrected = await ok(await decide(claim.id, { outcome: 'approve', corrects: latest }, 4));
    expect(corrected).toMatchObject({ status: 'approved', approvedMinor: 500_000 });
    expect(corrected.decisions.map((d: { outcome: string }) => d.outcome)).toEqual([
      'info-requested',
      'partially-approved',
      'approved',
    ]);
    expect(corrected.decisions[2].corrects).toBe(latest);
    expect((await readFund(f.id)).approvedMinor).toBe(500_000);

    const paid = await ok(
      await call(
        `/api/mdf/claims/${claim.id}/payment`,
        'auditor',
        'POST',
        { reference: 'PAY-2026-0042' },
        { 'if-match': '"5"' },
      ),
    );
    expect(paid).toMatchObject({
      status: 'paid',
      payment: { reference: 'PAY-2026-0042', paidMinor: 500_000, paidOn: today },
    });
    expect(await readFund(f.id)).toMatchObject({
      claimedMinor: 500_000,
      approvedMinor: 500_000,
      paidMinor: 500_000,
    });
    // Paid is final.
    expect(
      (await decide(claim.id, { outcome: 'reject', reasonCode: 'other', reason: 'Too late' }, 6)).status,
    ).toBe(409);
    const partnerView = await ok(await call(`/api/mdf/claims/${claim.id}`, 'u-northwind-1'));
    expect(partnerView.status).toBe('paid');
  });

  it('refuses a stale If-Match (412) and a decision missing its reason (422 naming it)', async () => {
    const { request } = await approvedRequest('u-northwind-1', 'northwind');
    const claim = await ok(await file('u-northwind-1', request.id), 201);
    expect((await decide(claim.id, { outcome: 'approve' }, 7)).status).toBe(412);
    const res = await decide(claim.id, { outcome: 'reject', reasonCode: 'other' }, 1);
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ path: 'body.reason', message: 'required to reject' }]);
    const partial = await decide(
      claim.id,
      { outcome: 'partially-approve', amountMinor: 500_000, reason: 'All of it' },
      1,
    );
    expect(partial.status).toBe(422);
  });

  it('sorts the queue by amount, largest first', async () => {
    const small = await approvedRequest('u-northwind-1', 'northwind');
    const large = await approvedRequest('u-northwind-1', 'northwind');
    const a = await ok(await file('u-northwind-1', small.request.id, 1_000), 201);
    const b = await ok(await file('u-northwind-1', large.request.id, 499_000), 201);
    const page = await ok(await call('/api/mdf/claims?status=submitted&sort=amount&limit=100', 'auditor'));
    const ids = page.items.map((c: { id: string }) => c.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    const amounts = page.items.map((c: { amountMinor: number }) => c.amountMinor);
    expect(amounts).toEqual([...amounts].sort((x, y) => y - x));
  });
});

describe('integrity', () => {
  it('reports intact files and chain, then the tampered file, then the edited entry', async () => {
    const { request } = await approvedRequest('u-globex-1', 'globex');
    const claim = await ok(await file('u-globex-1', request.id), 201);
    const clean = await ok(await call(`/api/mdf/claims/${claim.id}/integrity`, 'auditor'));
    expect(clean.ok).toBe(true);
    expect(clean.files.map((f: { item: string }) => f.item)).toEqual([
      'pop.json',
      'pop.zip',
      'Venue and catering',
    ]);

    // Behind the API's back: change one byte of the frozen pack in the evidence folder.
    const path = join(api.evidenceDir, claim.pop.key);
    const original = await readFile(path);
    await writeFile(path, Buffer.concat([original.subarray(0, original.length - 1), Buffer.from(' ')]));
    const tampered = await ok(await call(`/api/mdf/claims/${claim.id}/integrity`, 'auditor'));
    expect(tampered.ok).toBe(false);
    expect(tampered.files.find((f: { item: string }) => f.item === 'pop.json')).toMatchObject({
      ok: false,
      inAuditLog: true,
    });
    await writeFile(path, original);

    // Behind the API's back: edit the claim-filed entry's amount in the table.
    const entries = await ok(await call('/api/audit/entries?chain=partner:globex&limit=100', 'auditor'));
    const filed = entries.items.find(
      (e: { kind: string; subject: { claimId?: string } }) =>
        e.kind === 'claim-filed' && e.subject.claimId === claim.id,
    );
    const content = JSON.stringify({ ...filed.content, amountMinor: 5_000_000 });
    await doc.send(
      new UpdateCommand({
        TableName: api.table.name,
        Key: auditEntryKey('partner:globex', filed.seq),
        UpdateExpression: 'SET content = :c',
        ExpressionAttributeValues: { ':c': content },
      }),
    );
    const broken = await ok(await call(`/api/mdf/claims/${claim.id}/integrity`, 'auditor'));
    expect(broken.ok).toBe(false);
    expect(broken.chain.firstBroken).toMatchObject({ seq: filed.seq, reason: 'content-hash' });
  });
});

describe('who may do what', () => {
  it('keeps each partner to its own claims (404 as if absent, empty lists)', async () => {
    const { request } = await approvedRequest('u-northwind-1', 'northwind');
    const claim = await ok(await file('u-northwind-1', request.id), 201);
    for (const path of ['', '/pop', '/pop.zip', '/integrity', `/invoices/${claim.invoices[0].sha256}`]) {
      expect((await call(`/api/mdf/claims/${claim.id}${path}`, 'u-globex-1')).status, path).toBe(404);
    }
    const theirs = await ok(await call('/api/mdf/claims?partnerId=northwind', 'u-globex-1'));
    expect(theirs.items).toEqual([]);
    const own = await ok(await call('/api/mdf/claims?limit=100', 'u-globex-1'));
    expect(own.items.every((c: { partnerId: string }) => c.partnerId === 'globex')).toBe(true);
    const respond = await call(`/api/mdf/claims/${claim.id}/responses`, 'u-globex-1', 'POST', {
      message: 'Not mine',
    });
    expect(respond.status).toBe(404);
  });

  it('lets each role do exactly its part, route by route', async () => {
    const { request } = await approvedRequest('u-northwind-1', 'northwind');
    const claim = await ok(await file('u-northwind-1', request.id), 201);
    const id = claim.id;
    const sha = claim.invoices[0].sha256;
    // [method, path, body, roles allowed]: everyone else gets 403 before anything happens.
    const routes: [string, string, unknown, Who[]][] = [
      [
        'POST',
        '/api/mdf/claims',
        { requestId: request.id, amountMinor: 1, currency: 'USD', invoices: [] },
        ['u-northwind-1'],
      ],
      [
        'POST',
        '/api/mdf/claims/preview',
        { requestId: request.id, amountMinor: 1, currency: 'USD' },
        ['u-northwind-1'],
      ],
      ['GET', '/api/mdf/claims', undefined, ['marketing', 'auditor', 'u-northwind-1']],
      ['GET', `/api/mdf/claims/${id}`, undefined, ['marketing', 'auditor', 'u-northwind-1']],
      ['GET', `/api/mdf/claims/${id}/pop`, undefined, ['marketing', 'auditor', 'u-northwind-1']],
      ['GET', `/api/mdf/claims/${id}/pop.zip`, undefined, ['marketing', 'auditor', 'u-northwind-1']],
      ['GET', `/api/mdf/claims/${id}/invoices/${sha}`, undefined, ['marketing', 'auditor', 'u-northwind-1']],
      ['GET', `/api/mdf/claims/${id}/integrity`, undefined, ['marketing', 'auditor', 'u-northwind-1']],
      [
        'POST',
        `/api/mdf/claims/${id}/decisions`,
        { outcome: 'request-info', reason: 'More please' },
        ['auditor'],
      ],
      ['POST', `/api/mdf/claims/${id}/responses`, { message: 'Here it is' }, ['u-northwind-1']],
      ['POST', `/api/mdf/claims/${id}/payment`, { reference: 'PAY-1' }, ['auditor']],
      [
        'POST',
        '/api/mdf/funds',
        {
          partnerId: 'northwind',
          period: 'FY2099',
          currency: 'USD',
          allocatedMinor: 1,
          reimbursementShareBps: 1,
        },
        ['marketing'],
      ],
      [
        'POST',
        `/api/mdf/requests/${request.id}/decision`,
        { decision: 'reject', reason: 'No' },
        ['marketing'],
      ],
    ];
    for (const [method, path, body, allowed] of routes) {
      for (const who of ['marketing', 'auditor', 'u-northwind-1'] as Who[]) {
        const res = await call(path, who, method, body, method === 'POST' ? { 'if-match': '"1"' } : {});
        if (allowed.includes(who)) expect(res.status, `${who} ${method} ${path}`).not.toBe(403);
        else expect(res.status, `${who} ${method} ${path}`).toBe(403);
      }
    }
  });
});

describe('fund balances', () => {
  it('never moves the fund on a refused claim', async () => {
    const { request, fund: f } = await approvedRequest('u-globex-1', 'globex');
    await file('u-globex-1', request.id, 900_000);
    const item = await api.table.get(fundKey(f.id));
    expect(item?.claimedMinor).toBe(0);
  });
});

describe('auditors are read-only outside their review', () => {
  it('declares no write route for auditors but the claim decision and payment', async () => {
    const document = await ok(await api.request('/openapi.json'));
    const writes: string[] = [];
    for (const [path, operations] of Object.entries(
      document.paths as Record<string, Record<string, { 'x-roles'?: string[] }>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        if (method !== 'get' && operation['x-roles']?.includes('auditor'))
          writes.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(writes.sort()).toEqual([
      'POST /api/mdf/claims/{claimId}/decisions',
      'POST /api/mdf/claims/{claimId}/payment',
    ]);
  });
});
