import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { brandStore } from '#functions/brand/store';
import { campaignControl } from '#functions/campaigns/control';
import type { CampaignDeps } from '#functions/campaigns/deps';
import { handleExpand } from '#functions/campaigns/expand';
import { handleScheduledLaunch, scheduleCampaign } from '#functions/campaigns/lifecycle';
import type { AudienceMember, Scheduler } from '#functions/campaigns/ports';
import { sendQueueHandler } from '#functions/campaigns/queue-consumer';
import { campaignRoutes } from '#functions/campaigns/routes';
import type { ExpandMessage, UnparkMessage } from '#functions/campaigns/schema';
import { campaignSource } from '#functions/campaigns/source';
import { campaignStore } from '#functions/campaigns/store';
import { authenticate } from '#functions/http/auth';
import { problemResponse } from '#functions/http/problem';
import { requestContext } from '#functions/http/request-context';
import { createRouter } from '#functions/http/router';
import type { KitFiles } from '#functions/kits/archive';
import { CompileCache } from '#functions/kits/compile-cache';
import { kitStore } from '#functions/kits/store';
import { InProcessQueue } from '#functions/local/in-process-queue';
import { InProcessScheduler } from '#functions/local/in-process-scheduler';
import { partnerStore } from '#functions/partners/store';
import { type Counters, counterNames, type SendBatch, sendBatchSchema } from '#functions/sending/contracts';
import { zeroCounters } from '#functions/sending/counters';
import { newId } from '#platform/ids';
import { createJwtVerifier } from '#platform/jwt';
import { createLogger } from '#platform/logger';
import { northwindBrand } from '#test/support/brand-fixture';
import { loadSampleKit, withManifest, zipOf } from '#test/support/kit-fixtures';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * The campaigns feature against DynamoDB Local, through its routes as app.ts will mount them
 * (auth, problem+json), with in-memory stand-ins for the ports other features own: lists and
 * audience (contacts), counters (send engine), the queue and the scheduler (platform).
 */
let api: TestApi;
let deps: CampaignDeps;
let app: ReturnType<typeof createRouter>;

const lists = new Map<string, AudienceMember[]>();
const counters = new Map<string, Counters>();
const queue: (SendBatch | ExpandMessage | UnparkMessage)[] = [];
const schedules: { name: string; at: Date; payload: string }[] = [];
const cancelledSchedules: string[] = [];
let failNextCounterAdd = false;

const memberList = (n: number): AudienceMember[] =>
  Array.from({ length: n }, (_, i) => ({
    email: `contact${i}@example.com`,
    firstName: `First${i}`,
    lastName: 'Last',
    company: 'Contoso',
  }));

beforeAll(async () => {
  api = await startTestApi();
  const table = api.table;
  await brandStore(table).put('northwind', northwindBrand);
  const clock = () => new Date();
  deps = {
    store: campaignStore(table),
    kits: {
      kits: kitStore(table),
      blobs: api.blobs,
      partners: partnerStore(table),
      brands: brandStore(table),
      compiled: new CompileCache(),
      clock,
      publicBaseUrl: 'http://127.0.0.1:3000',
      vendor: { name: 'Vendor', website: 'https://vendor.example' },
    },
    lists: { exists: async (partnerId, listId) => lists.has(`${partnerId}/${listId}`) },
    audience: {
      async listMembersPage(partnerId, listId, { limit, cursor }) {
        const members = lists.get(`${partnerId}/${listId}`) ?? [];
        const from = cursor ? Number(cursor) : 0;
        const next = from + limit;
        return { items: members.slice(from, next), nextCursor: next < members.length ? String(next) : null };
      },
    },
    scheduler: {
      schedule: async (name, at, payload) => void schedules.push({ name, at, payload }),
      cancel: async (name) => cancelledSchedules.push(name) > 0,
    },
    enqueueStep: async (message) => void queue.push(message),
    enqueueBatch: async (message) => void queue.push(message),
    counters: {
      async add(campaignId, increments) {
        if (failNextCounterAdd) {
          failNextCounterAdd = false;
          throw new Error('counter store unavailable');
        }
        const current = counters.get(campaignId) ?? zeroCounters();
        for (const name of counterNames) current[name] += increments[name] ?? 0;
        counters.set(campaignId, current);
      },
      get: async (campaignId) => counters.get(campaignId) ?? zeroCounters(),
    },
    clock,
    newId,
  };
  app = createRouter();
  app.onError((error, c) => problemResponse(c, error));
  app.use('*', requestContext(createLogger('campaigns-test', 'ERROR'), newId));
  app.use(
    '/api/*',
    authenticate(
      createJwtVerifier({
        jwksUrl: `${api.baseUrl}/jwks.json`,
        issuer: api.issuer.issuer,
        audience: api.issuer.audience,
      }),
    ),
  );
  app.route('/api', campaignRoutes(deps));

  lists.set('northwind/customers', memberList(1200));
  lists.set('northwind/small', memberList(3));
  lists.set('globex/emea', memberList(2));
  await publish(await loadSampleKit('zero-trust-webinar'));
  await publish(await loadSampleKit('marketplace-private-offer'));
});
afterAll(() => api.close());
beforeEach(() => {
  queue.length = 0;
  schedules.length = 0;
  cancelledSchedules.length = 0;
});

async function publish(files: KitFiles) {
  const upload = await api.request('/api/kits', {
    as: 'marketing',
    method: 'POST',
    headers: { 'content-type': 'application/zip' },
    body: Buffer.from(zipOf(files)),
  });
  const { id, version } = await upload.json();
  const res = await api.request(`/api/kits/${id}/versions/${version}/publish`, {
    as: 'marketing',
    method: 'POST',
  });
  expect(res.status).toBe(200);
}

const call = async (
  path: string,
  as: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await api.token(as)}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return app.request(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
};
const post = (path: string, as: string, body?: unknown) => call(path, as, { method: 'POST', body });

const create = async (body: Record<string, unknown>, as = 'u-northwind-1') => {
  const res = await post('/api/campaigns', as, { name: 'Spring webinar', listId: 'small', ...body });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
};
/** The Scheduler port over the in-process scheduler, as the embedded runtime wires it. */
const localScheduler = (scheduler: InProcessScheduler): Scheduler => ({
  schedule: async (name, at, payload) => scheduler.schedule(name, at, payload),
  cancel: async (name) => scheduler.cancel(name),
});
const expandMessages = () => queue.filter((m): m is ExpandMessage => m.kind === 'expand');
const batches = () => queue.filter((m): m is SendBatch => m.kind === 'send-batch');

/** Runs expand steps off the fake queue until none is left, as the queue consumer would. */
const drainExpansion = async () => {
  const done = new Set<ExpandMessage>();
  for (
    let step = expandMessages().find((m) => !done.has(m));
    step;
    step = expandMessages().find((m) => !done.has(m))
  ) {
    done.add(step);
    await handleExpand(deps, step);
  }
};

describe('creating a campaign', () => {
  it('creates a draft of the library’s current kit version with strict slots and a unique slug', async () => {
    const res = await post('/api/campaigns', 'u-northwind-1', {
      name: 'Zero Trust: Spring Webinar',
      kitId: 'zero-trust-webinar',
      listId: 'customers',
      slots: { headline: 'Zero Trust for Northwind customers' },
    });
    expect(res.status).toBe(201);
    const campaign = await res.json();
    expect(campaign).toMatchObject({
      partnerId: 'northwind',
      kitId: 'zero-trust-webinar',
      kitVersion: '1.0.0',
      status: 'draft',
      approvalRequired: false,
      listId: 'customers',
      slug: expect.stringMatching(/^zero-trust-spring-webinar-[0-9a-z]{6}$/),
      version: 1,
    });
    expect(campaign.slots.headline).toBe('Zero Trust for Northwind customers');
    expect(campaign.slots.cta_label).toBe('Save my seat');
    expect(res.headers.get('etag')).toBe('"1"');
    expect(await deps.store.bySlug(campaign.slug)).toMatchObject({ id: campaign.id });

    const detail = await (await call(`/api/campaigns/${campaign.id}`, 'u-northwind-1')).json();
    expect(detail.counters).toEqual(zeroCounters());
    const mine = await (await call('/api/campaigns', 'u-northwind-1')).json();
    expect(mine.items.map((c: { id: string }) => c.id)).toContain(campaign.id);
  });

  it('names every invalid slot, an unknown slot and a missing list, each as its own field', async () => {
    const res = await post('/api/campaigns', 'u-northwind-1', {
      name: 'Too long',
      kitId: 'zero-trust-webinar',
      listId: 'nope',
      slots: {
        headline: 'x'.repeat(81),
        cta_label: 'A button label that is far too long',
        accent: '#000000',
      },
    });
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.listId',
      'body.slots.accent',
      'body.slots.cta_label',
      'body.slots.headline',
    ]);
    expect(problem.errors).toContainEqual({
      path: 'body.slots.headline',
      message: 'must be at most 80 characters',
    });
  });

  it('refuses a kit outside the partner’s library as if it did not exist', async () => {
    // Initech is registered (APAC): neither sample kit is for it.
    expect(
      (
        await post('/api/campaigns', 'u-initech-1', {
          name: 'Nope',
          kitId: 'zero-trust-webinar',
          listId: 'x',
        })
      ).status,
    ).toBe(404);
    expect(
      (await post('/api/campaigns', 'u-northwind-1', { name: 'Nope', kitId: 'no-such-kit', listId: 'small' }))
        .status,
    ).toBe(404);
  });

  it('names unknown and mass-assigned fields, and a schedule in the past', async () => {
    const res = await post('/api/campaigns', 'u-northwind-1', {
      name: 'x',
      kitId: 'zero-trust-webinar',
      listId: 'small',
      status: 'sent',
      partnerId: 'globex',
    });
    expect(res.status).toBe(422);
    const paths = (await res.json()).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.status', 'body.partnerId']));

    const past = await post('/api/campaigns', 'u-northwind-1', {
      name: 'Past',
      kitId: 'zero-trust-webinar',
      listId: 'small',
      scheduledAt: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(422);
    expect((await past.json()).errors).toEqual([
      { path: 'body.scheduledAt', message: 'must be in the future' },
    ]);
  });

  it('keeps the kit version it was created with when the kit moves on', async () => {
    const before = await create({ kitId: 'zero-trust-webinar' });
    await publish(
      withManifest(await loadSampleKit('zero-trust-webinar'), (m) => {
        m.version = '1.1.0';
      }),
    );
    const after = await create({ kitId: 'zero-trust-webinar' });
    expect(after.kitVersion).toBe('1.1.0');
    const retire = await api.request('/api/kits/zero-trust-webinar/versions/1.0.0/retire', {
      as: 'marketing',
      method: 'POST',
    });
    expect(retire.status).toBe(200);
    const kept = await (await call(`/api/campaigns/${before.id}`, 'u-northwind-1')).json();
    expect(kept.kitVersion).toBe('1.0.0');
    // Edits are still checked against the frozen version's slots.
    const edit = await call(`/api/campaigns/${before.id}`, 'u-northwind-1', {
      method: 'PATCH',
      headers: { 'if-match': '"1"' },
      body: { slots: { headline: 'Still on the version we launched with' } },
    });
    expect(edit.status).toBe(200);
    expect(await campaignSource(api.table).get(before.id)).toEqual({
      id: before.id,
      partnerId: 'northwind',
      kitId: 'zero-trust-webinar',
      kitVersion: '1.0.0',
      slots: expect.objectContaining({ headline: 'Still on the version we launched with' }),
      status: 'draft',
      slug: before.slug,
    });
  });
});

describe('launching and expanding', () => {
  it('enqueues one expand step for a double-clicked launch', async () => {
    const campaign = await create({ kitId: 'zero-trust-webinar' });
    const [first, second] = await Promise.all([
      post(`/api/campaigns/${campaign.id}/launch`, 'u-northwind-1'),
      post(`/api/campaigns/${campaign.id}/launch`, 'u-northwind-1'),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const again = await post(`/api/campaigns/${campaign.id}/launch`, 'u-northwind-1');
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('sending');
    expect(expandMessages()).toEqual([
      { kind: 'expand', campaignId: campaign.id, partnerId: 'northwind', page: 0 },
    ]);
  });

  it('expands a 1,200-member list into 24 batches with stable ids, and a redelivered step adds none', async () => {
    const campaign = await create({ kitId: 'zero-trust-webinar', listId: 'customers' });
    await post(`/api/campaigns/${campaign.id}/launch`, 'u-northwind-1');
    await drainExpansion();
    const ids = batches().map((b) => b.batchId);
    expect(ids).toHaveLength(24);
    expect(ids).toEqual([
      ...Array.from({ length: 10 }, (_, n) => `${campaign.id}:0:${n}`),
      ...Array.from({ length: 10 }, (_, n) => `${campaign.id}:1:${n}`),
      ...Array.from({ length: 4 }, (_, n) => `${campaign.id}:2:${n}`),
    ]);
    expect(new Set(batches().flatMap((b) => b.recipients.map((r) => r.email))).size).toBe(1200);
    expect(batches().every((b) => b.recipients.length <= 50 && b.partnerId === 'northwind')).toBe(true);
    expect(counters.get(campaign.id)?.queued).toBe(1200);
    const detail = await (await call(`/api/campaigns/${campaign.id}`, 'u-northwind-1')).json();
    expect(detail).toMatchObject({ status: 'sending', audienceSize: 1200, counters: { queued: 1200 } });

    const [, secondStep] = expandMessages();
    expect(secondStep).toMatchObject({ page: 1, cursor: '500' });
    const queued = queue.length;
    expect(await handleExpand(deps, secondStep)).toEqual({ outcome: 'duplicate', page: 1 });
    expect(queue.length).toBe(queued);
    expect(counters.get(campaign.id)?.queued).toBe(1200);
  });

  it('redoes a page whose counting failed, counting it once and re-enqueuing the same batch ids', async () => {
    const campaign = await create({ kitId: 'zero-trust-webinar', listId: 'small' });
    await post(`/api/campaigns/${campaign.id}/launch`, 'u-northwind-1');
    const [step] = expandMessages();
    if (!step) throw new Error('no expand step');
    failNextCounterAdd = true;
    await expect(handleExpand(deps, step)).rejects.toThrow('counter store unavailable');
    expect(await handleExpand(deps, step)).toMatchObject({
      outcome: 'expanded',
      recipients: 3,
      complete: true,
    });
    expect(batches().map((b) => b.batchId)).toEqual([`${campaign.id}:0:0`, `${campaign.id}:0:0`]);
    expect(counters.get(campaign.id)?.queued).toBe(3);
    expect((await deps.store.get(campaign.id))?.audienceSize).toBe(3);
  });

  it('marks a campaign sent once every recipient has an outcome', async () => {
    const campaign = await create({ kitId: 'zero-trust-webinar', listId: 'small' });
    await post(`/api/campaigns/${campaign.id}/launch`, 'u-northwind-1');
    await drainExpansion();
    await deps.counters.add(campaign.id, { sent: 2, suppressed: 1 }, new Date());
    const detail = await (await call(`/api/campaigns/${campaign.id}`, 'u-northwind-1')).json();
    expect(detail).toMatchObject({ status: 'sent', sentAt: expect.any(String) });
  });

  it('pauses, resumes and cancels; a cancelled campaign expands no further', async () => {
    const campaign = await create({ kitId: 'zero-trust-webinar', listId: 'customers' });
    const path = `/api/campaigns/${campaign.id}`;
    expect((await post(`${path}/pause`, 'u-northwind-1')).status).toBe(409);
    await post(`${path}/launch`, 'u-northwind-1');
    expect(await (await post(`${path}/pause`, 'u-northwind-1')).json()).toMatchObject({ status: 'paused' });
    expect(await (await post(`${path}/pause`, 'u-northwind-1')).json()).toMatchObject({ status: 'paused' });
    expect(await (await post(`${path}/resume`, 'u-northwind-1')).json()).toMatchObject({
      status: 'sending',
      pausedAt: null,
    });
    expect(await (await post(`${path}/cancel`, 'u-northwind-1')).json()).toMatchObject({
      status: 'cancelled',
    });
    const resume = await post(`${path}/resume`, 'u-northwind-1');
    expect(resume.status).toBe(409);
    expect(await resume.json()).toMatchObject({
      type: '/problems/conflict',
      detail: 'cannot resume a campaign that is cancelled',
      currentStatus: 'cancelled',
    });
    const [step] = expandMessages();
    if (!step) throw new Error('no expand step');
    expect(await handleExpand(deps, step)).toEqual({ outcome: 'skipped', reason: 'cancelled' });
    expect(batches()).toEqual([]);
  });
});

describe('brand approval', () => {
  it('holds an approval-required campaign until marketing approves it, telling the partner each decision', async () => {
    const campaign = await create({ name: 'Marketplace offer', kitId: 'marketplace-private-offer' });
    const path = `/api/campaigns/${campaign.id}`;
    expect(campaign).toMatchObject({ approvalRequired: true, status: 'draft' });
    const early = await post(`${path}/launch`, 'u-northwind-1');
    expect(early.status).toBe(409);
    expect((await early.json()).detail).toBe(
      'cannot launch a campaign that is draft: its kit requires brand approval; submit it first',
    );
    expect((await post(`${path}/submit`, 'u-northwind-1')).status).toBe(200);
    expect((await post(`${path}/launch`, 'u-northwind-1')).status).toBe(409);
    expect((await post(`${path}/schedule`, 'u-northwind-1', { at: '2030-01-01T09:00:00Z' })).status).toBe(
      409,
    );

    expect((await call('/api/approvals', 'u-northwind-1')).status).toBe(403);
    const queue = await (await call('/api/approvals', 'marketing')).json();
    const item = queue.items.find((i: { campaign: { id: string } }) => i.campaign.id === campaign.id);
    expect(item).toMatchObject({
      partnerName: 'Northwind Networks',
      campaign: { status: 'pending-approval' },
    });
    expect(item.preview.html).toContain('Northwind Networks');
    expect(item.preview.html).toContain('Save up to 15% on a new annual subscription');

    const silent = await post(`/api/approvals/${campaign.id}`, 'marketing', { decision: 'reject' });
    expect(silent.status).toBe(422);
    expect((await silent.json()).errors).toEqual([
      { path: 'body.comment', message: 'is required when rejecting' },
    ]);
    const rejected = await post(`/api/approvals/${campaign.id}`, 'marketing', {
      decision: 'reject',
      comment: 'The headline promises a discount the offer authorisation does not cover.',
    });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({
      status: 'rejected',
      decisions: [
        {
          outcome: 'rejected',
          by: { email: 'maya@vendor.example', name: 'Maya Marketing' },
          at: expect.any(String),
          comment: 'The headline promises a discount the offer authorisation does not cover.',
        },
      ],
    });
    const notes = await (await call('/api/notifications', 'u-northwind-1')).json();
    expect(notes.items[0]).toMatchObject({
      kind: 'campaign-rejected',
      campaignId: campaign.id,
      campaignName: 'Marketplace offer',
      by: 'Maya Marketing',
    });
    expect((await (await call('/api/notifications', 'u-globex-1')).json()).items).toEqual([]);
    expect((await post(`/api/approvals/${campaign.id}`, 'marketing', { decision: 'approve' })).status).toBe(
      409,
    );

    const stale = await call(path, 'u-northwind-1', {
      method: 'PATCH',
      headers: { 'if-match': '"1"' },
      body: { slots: { headline: 'Save up to 10% on a new annual subscription' } },
    });
    expect(stale.status).toBe(412);
    const current = await call(path, 'u-northwind-1');
    const edited = await call(path, 'u-northwind-1', {
      method: 'PATCH',
      headers: { 'if-match': current.headers.get('etag') ?? '' },
      body: { slots: { headline: 'Save up to 10% on a new annual subscription' } },
    });
    expect(edited.status).toBe(200);
    expect(await (await post(`${path}/submit`, 'u-northwind-1')).json()).toMatchObject({
      status: 'pending-approval',
    });
    const approved = await post(`/api/approvals/${campaign.id}`, 'marketing', { decision: 'approve' });
    expect(await approved.json()).toMatchObject({
      status: 'approved',
      decisions: [{}, { outcome: 'approved' }],
    });
    const remaining = await (await call('/api/approvals', 'marketing')).json();
    expect(remaining.items.map((i: { campaign: { id: string } }) => i.campaign.id)).not.toContain(
      campaign.id,
    );
    expect((await (await call('/api/notifications', 'u-northwind-1')).json()).items[0]).toMatchObject({
      kind: 'campaign-approved',
    });
    expect(await (await post(`${path}/launch`, 'u-northwind-1')).json()).toMatchObject({ status: 'sending' });
    expect(expandMessages()).toHaveLength(1);
  });

  it('refuses edits once a campaign is waiting for approval', async () => {
    const campaign = await create({ name: 'Another offer', kitId: 'marketplace-private-offer' });
    await post(`/api/campaigns/${campaign.id}/submit`, 'u-northwind-1');
    const res = await call(`/api/campaigns/${campaign.id}`, 'u-northwind-1', {
      method: 'PATCH',
      headers: { 'if-match': '"2"' },
      body: { name: 'Renamed' },
    });
    expect(res.status).toBe(409);
    expect((await res.json()).currentStatus).toBe('pending-approval');
  });
});

describe('scheduling', () => {
  it('hands the scheduler a one-time schedule whose target launches the campaign once', async () => {
    const campaign = await create({ kitId: 'zero-trust-webinar' });
    const path = `/api/campaigns/${campaign.id}`;
    const past = await post(`${path}/schedule`, 'u-northwind-1', { at: '2021-06-01T09:00:00Z' });
    expect(past.status).toBe(422);
    expect((await past.json()).errors).toEqual([{ path: 'body.at', message: 'must be in the future' }]);

    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await post(`${path}/schedule`, 'u-northwind-1', { at });
    expect(await res.json()).toMatchObject({ status: 'scheduled', scheduledAt: at });
    expect(schedules).toEqual([
      { name: `campaign-${campaign.id}`, at: new Date(at), payload: expect.any(String) },
    ]);
    expect(expandMessages()).toEqual([]);

    const payload = schedules[0]?.payload ?? '';
    expect(await handleScheduledLaunch(deps, payload)).toMatchObject({ launched: true });
    expect(await handleScheduledLaunch(deps, payload)).toMatchObject({ launched: false });
    expect(expandMessages()).toEqual([
      { kind: 'expand', campaignId: campaign.id, partnerId: 'northwind', page: 0 },
    ]);
    expect((await deps.store.get(campaign.id))?.status).toBe('sending');
  });

  it('cancels the schedule with the campaign, and a stale schedule then does nothing', async () => {
    const campaign = await create({ kitId: 'zero-trust-webinar' });
    const path = `/api/campaigns/${campaign.id}`;
    await post(`${path}/schedule`, 'u-northwind-1', { at: new Date(Date.now() + 60_000).toISOString() });
    await post(`${path}/cancel`, 'u-northwind-1');
    expect(cancelledSchedules).toEqual([`campaign-${campaign.id}`]);
    expect(await handleScheduledLaunch(deps, schedules[0]?.payload ?? '')).toMatchObject({ launched: false });
    expect(expandMessages()).toEqual([]);
  });

  it('rejects a malformed scheduler payload', async () => {
    await expect(handleScheduledLaunch(deps, 'not json')).rejects.toThrow('not JSON');
    await expect(handleScheduledLaunch(deps, '{"kind":"launch"}')).rejects.toThrow();
  });
});

describe('partner isolation', () => {
  it('answers another partner’s campaign with 404 on every route, and lists only one’s own', async () => {
    const campaign = await create({ kitId: 'zero-trust-webinar' });
    const path = `/api/campaigns/${campaign.id}`;
    expect((await call(path, 'u-globex-1')).status).toBe(404);
    expect(
      (
        await call(path, 'u-globex-1', {
          method: 'PATCH',
          headers: { 'if-match': '"1"' },
          body: { name: 'Mine now' },
        })
      ).status,
    ).toBe(404);
    for (const action of ['submit', 'launch', 'cancel', 'pause', 'resume']) {
      expect((await post(`${path}/${action}`, 'u-globex-1')).status, action).toBe(404);
    }
    expect((await post(`${path}/schedule`, 'u-globex-1', { at: '2030-01-01T00:00:00Z' })).status).toBe(404);
    expect((await (await call('/api/campaigns', 'u-globex-1')).json()).items).toEqual([]);
    expect(expandMessages()).toEqual([]);
    // A partner cannot use another partner's list either: lists are looked up for the caller.
    const foreignList = await post('/api/campaigns', 'u-northwind-1', {
      name: 'Foreign list',
      kitId: 'zero-trust-webinar',
      listId: 'emea',
    });
    expect(foreignList.status).toBe(422);
  });

  it('keeps marketing and auditors out of partner campaign routes and partners out of decisions', async () => {
    expect((await call('/api/campaigns', 'marketing')).status).toBe(403);
    expect((await call('/api/campaigns', 'auditor')).status).toBe(403);
    const campaign = await create({ kitId: 'marketplace-private-offer' });
    expect(
      (await post(`/api/approvals/${campaign.id}`, 'u-northwind-1', { decision: 'approve' })).status,
    ).toBe(403);
    expect((await post(`/api/approvals/${campaign.id}`, 'auditor', { decision: 'approve' })).status).toBe(
      403,
    );
  });
});

describe('the API description', () => {
  it('declares every campaign route with its roles in OpenAPI', () => {
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item ?? {}).map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.map((o) => o.label).sort()).toEqual([
      'GET /api/approvals',
      'GET /api/campaigns',
      'GET /api/campaigns/{campaignId}',
      'GET /api/campaigns/{campaignId}/series',
      'GET /api/notifications',
      'PATCH /api/campaigns/{campaignId}',
      'POST /api/approvals/{campaignId}',
      'POST /api/campaigns',
      'POST /api/campaigns/{campaignId}/cancel',
      'POST /api/campaigns/{campaignId}/launch',
      'POST /api/campaigns/{campaignId}/pause',
      'POST /api/campaigns/{campaignId}/resume',
      'POST /api/campaigns/{campaignId}/schedule',
      'POST /api/campaigns/{campaignId}/submit',
    ]);
    for (const { label, op } of operations) expect(op, label).toHaveProperty('x-roles');
  });

  it('names a malformed campaign id', async () => {
    const res = await call('/api/campaigns/not-a-ulid', 'u-northwind-1');
    expect(res.status).toBe(422);
    expect((await res.json()).errors.map((e: { path: string }) => e.path)).toEqual(['param.campaignId']);
  });
});

describe('on the send queue', () => {
  it('runs a scheduled launch end to end: schedule → launch message → expand steps → send batches', async () => {
    const campaign = await create({ kitId: 'zero-trust-webinar', listId: 'customers' });
    const delivered: SendBatch[] = [];
    let sendQueue: InProcessQueue | undefined;
    const enqueue = async (message: object) => void sendQueue?.send(JSON.stringify(message));
    const queued: CampaignDeps = { ...deps, enqueueStep: enqueue, enqueueBatch: enqueue };
    sendQueue = new InProcessQueue({
      name: 'send',
      retryDelayMs: 10,
      handler: sendQueueHandler(queued, async (event) => {
        for (const record of event.Records) delivered.push(sendBatchSchema.parse(JSON.parse(record.body)));
        return { batchItemFailures: [] };
      }),
    });
    // Locally the scheduler's target does what EventBridge does in AWS: put the payload on the queue.
    const scheduler = new InProcessScheduler(async (payload) => void sendQueue?.send(payload));
    try {
      // Far enough ahead to still be in the future when the request is handled on a busy machine.
      const at = new Date(Date.now() + 2_000);
      await scheduleCampaign(
        { ...queued, scheduler: localScheduler(scheduler) },
        'northwind',
        campaign.id,
        at.toISOString(),
      );
      // The schedule fires (its target puts the launch on the queue), then the queue runs dry.
      for (let waited = 0; scheduler.pending().length > 0 && waited < 10_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await sendQueue.drained();
    } finally {
      scheduler.stop();
      sendQueue.stop();
    }
    expect(sendQueue.deadLetters).toEqual([]);
    expect(delivered).toHaveLength(24);
    expect(new Set(delivered.map((b) => b.batchId)).size).toBe(24);
    expect(await deps.store.get(campaign.id)).toMatchObject({ status: 'sending', audienceSize: 1200 });
  });

  it('lets the send engine pause a sending campaign with a reason, and nothing else', async () => {
    const control = campaignControl(deps.store, deps.clock);
    const draft = await create({ kitId: 'zero-trust-webinar' });
    await control.pause(draft.id, 'brand profile missing');
    expect((await deps.store.get(draft.id))?.status).toBe('draft');

    const sending = await create({ kitId: 'zero-trust-webinar' });
    await post(`/api/campaigns/${sending.id}/launch`, 'u-northwind-1');
    await control.pause(sending.id, 'brand profile missing');
    expect(await deps.store.get(sending.id)).toMatchObject({
      status: 'paused',
      pauseReason: 'brand profile missing',
    });
    expect(await (await post(`/api/campaigns/${sending.id}/resume`, 'u-northwind-1')).json()).toMatchObject({
      status: 'sending',
      pauseReason: null,
    });
  });
});
