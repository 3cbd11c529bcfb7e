import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';
import { brandStore } from '#functions/brand/store';
import type { Campaign } from '#functions/campaigns/schema';
import { campaignStore } from '#functions/campaigns/store';
import { suppressionStore } from '#functions/contacts/suppression';
import { authenticate } from '#functions/http/auth';
import { problemResponse } from '#functions/http/problem';
import { requestContext } from '#functions/http/request-context';
import { createRouter } from '#functions/http/router';
import { MAX_ATTEMPTS } from '#functions/leads/effects/backoff';
import {
  LEAD_EFFECTS_READ_ACTIONS,
  LEAD_EFFECTS_READ_PREFIXES,
  LEAD_EFFECTS_WRITE_ACTIONS,
  LEAD_EFFECTS_WRITE_PREFIXES,
} from '#functions/leads/effects/keys';
import { leadEventPublisher } from '#functions/leads/effects/publish';
import { webhookSecretBox } from '#functions/leads/effects/secret-box';
import { webhookRoutes } from '#functions/leads/effects/webhook-routes';
import type { LeadEvent } from '#functions/leads/lead-events';
import type { Lead } from '#functions/leads/lead-schema';
import { leadStore } from '#functions/leads/lead-store';
import { freePort } from '#functions/local/free-port';
import { InProcessQueue } from '#functions/local/in-process-queue';
import { leadEffectsConsumer, portLogger } from '#functions/wiring';
import { createDocumentClient } from '#platform/dynamo';
import { newId } from '#platform/ids';
import { createJwtVerifier } from '#platform/jwt';
import { createLogger } from '#platform/logger';
import { createSesClient, sesMailer } from '#platform/ses-mailer';
import { Table } from '#platform/table';
import { northwindBrand } from '#test/support/brand-fixture';
import { assertLocalEndpoint } from '#test/support/local-only';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * Lead effects end to end on DynamoDB Local, the SES emulator and a real HTTP server on this
 * machine standing in for the CRM: a lead event on the in-process queue (SQS's semantics:
 * partial batch failures, redelivery, maxReceiveCount = MAX_ATTEMPTS) runs through the consumer
 * built exactly as the Lambda builds it (wiring.ts), with webhooks configured through the API.
 */
const sesEndpoint = assertLocalEndpoint(inject('sesEndpoint'));
const run = randomUUID().slice(0, 8);
const replyTo = `eql-${run}@northwind.example`;
const suppressedReplyTo = `bounced-${run}@globex.example`;
const trackingSecret = randomBytes(32).toString('hex');
const TIMEOUT_MS = 250;

// ---- the CRM: one path per behaviour, every request recorded -------------------------------
interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const received: Received[] = [];
const hanging: ServerResponse[] = [];
let flakyCalls = 0;
let crm: Server;
let crmUrl: string;
const behaviours: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'),
  '/flaky': (res) => {
    flakyCalls += 1;
    if (flakyCalls <= 2) res.writeHead(500).end('CRM is having a moment');
    else res.writeHead(202).end();
  },
  // Never answers: the attempt times out.
  '/hang': (res) => void hanging.push(res),
};
const requestsTo = (path: string) => received.filter((r) => r.path === path);

/** What a CRM does with our header, with nothing but node:crypto and the secret it was given. */
const verifiedBy = (secret: string, request: Received): boolean => {
  const header = String(request.headers['channelkit-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match?.[1] || !match[2]) return false;
  const age = Math.abs(Date.now() / 1000 - Number(match[1]));
  const expected = createHmac('sha256', secret).update(`${match[1]}.${request.body}`).digest('hex');
  return age < 300 && expected === match[2];
};

// ---- the SES outbox -------------------------------------------------------------------------
const outboxSchema = z.object({
  emails: z.array(
    z.looseObject({
      from: z.string(),
      subject: z.string(),
      destination: z.looseObject({ to: z.array(z.string()) }),
      body: z.looseObject({ text: z.string().optional(), html: z.string().optional() }),
    }),
  ),
});
const mailTo = async (address: string) =>
  outboxSchema
    .parse(await (await fetch(`${sesEndpoint}/store`)).json())
    .emails.filter((e) => e.destination.to.includes(address));

// ---- every item the consumer reads and writes, as IAM sees it (action, partition key) ---------
const reads: { action: string; pk: string }[] = [];
const writes: { action: string; pk: string }[] = [];
const pkOf = z.looseObject({ pk: z.string() });
const accessInput = z.looseObject({
  Key: pkOf.optional(),
  Item: pkOf.optional(),
  ExpressionAttributeValues: z.looseObject({ ':pk': z.string().optional() }).optional(),
  TransactItems: z
    .array(
      z.looseObject({
        Put: z.looseObject({ Item: pkOf }).optional(),
        Update: z.looseObject({ Key: pkOf }).optional(),
        Delete: z.looseObject({ Key: pkOf }).optional(),
      }),
    )
    .optional(),
});

const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];
const recordAccess = (command: string, raw: unknown) => {
  const input = accessInput.parse(raw);
  const pk = (input.Key ?? input.Item)?.pk ?? input.ExpressionAttributeValues?.[':pk'] ?? '?';
  if (WRITES.includes(command)) writes.push({ action: `dynamodb:${command}`, pk });
  else if (command !== 'TransactWriteItems') reads.push({ action: `dynamodb:${command}`, pk });
  for (const item of input.TransactItems ?? []) {
    if (item.Put) writes.push({ action: 'dynamodb:PutItem', pk: item.Put.Item.pk });
    if (item.Update) writes.push({ action: 'dynamodb:UpdateItem', pk: item.Update.Key.pk });
    if (item.Delete) writes.push({ action: 'dynamodb:DeleteItem', pk: item.Delete.Key.pk });
  }
};

let api: TestApi;
let app: ReturnType<typeof createRouter>;
let queue: InProcessQueue;
const deferred: { messageId: string; delaySeconds: number }[] = [];
const campaignId = newId();

const event = (lead: Lead, overrides: Partial<LeadEvent> = {}): LeadEvent => ({
  kind: 'lead-captured',
  leadId: lead.id,
  campaignId: lead.campaignIds[0],
  partnerIds: lead.partnerIds,
  becameEql: lead.eql.eql,
  version: lead.version,
  at: new Date().toISOString(),
  ...overrides,
});

const aLead = (partnerId: string, overrides: Partial<Lead> = {}): Lead => {
  const at = new Date().toISOString();
  return {
    id: newId(),
    email: `ada-${randomUUID().slice(0, 6)}@acme-widgets.example`,
    fields: { first_name: 'Ada', last_name: 'Lovelace', company: 'Acme Widgets', job_title: 'CTO' },
    companyDomain: 'acme-widgets.example',
    touches: [{ kind: 'form-submit', at, partnerId, campaignId }],
    consents: [],
    campaignIds: [campaignId],
    partnerIds: [partnerId],
    attribution: {
      kind: 'partner-sourced',
      firstPartnerId: partnerId,
      partnerIds: [partnerId],
      reasons: [],
      credit: {
        'first-touch': [{ partnerId, share: 10_000 }],
        'last-touch': [{ partnerId, share: 10_000 }],
        linear: [{ partnerId, share: 10_000 }],
      },
    },
    qualification: { qualified: true, configVersion: 1, rules: [] },
    eql: { eql: false, reasons: [], overlaps: [], decidedAt: at },
    engaged: false,
    status: 'qualified',
    statusReason: null,
    won: null,
    submissions: 1,
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
};

const storeLead = async (lead: Lead) => {
  await leadStore(api.table).create(lead);
  return lead;
};

const call = async (path: string, as: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await api.token(as)}`);
  if (init.body) headers.set('content-type', 'application/json');
  return app.request(path, { ...init, headers });
};

const createWebhook = async (body: Record<string, unknown>) => {
  const res = await call('/api/webhooks', 'marketing', { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return z.object({ id: z.string(), secret: z.string(), version: z.number() }).parse(await res.json());
};

const deliverySchema = z.looseObject({
  id: z.string(),
  eventType: z.string(),
  status: z.string(),
  attempts: z.array(
    z.looseObject({ attempt: z.number(), statusCode: z.number().nullable(), error: z.string().nullable() }),
  ),
});
const deliveries = async (webhookId: string, query = '') => {
  const res = await call(`/api/webhooks/${webhookId}/deliveries${query}`, 'marketing');
  expect(res.status).toBe(200);
  return z
    .object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() })
    .parse(await res.json());
};

const notificationsOf = async (partnerId: string) =>
  (await campaignStore(api.table).notifications(partnerId, 100)).items;

let publish: (event: LeadEvent) => Promise<void>;

beforeAll(async () => {
  api = await startTestApi();
  const port = await freePort();
  crm = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      (behaviours[path] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
    });
  });
  await new Promise<void>((ready) => crm.listen(port, '127.0.0.1', ready));
  crmUrl = `http://127.0.0.1:${port}`;

  await brandStore(api.table).create('northwind', { ...northwindBrand, replyTo });
  await brandStore(api.table).create('globex', {
    ...northwindBrand,
    companyName: 'Globex Integrations',
    replyTo: suppressedReplyTo,
  });
  await suppressionStore(api.table).suppress({
    scope: 'global',
    email: suppressedReplyTo,
    reason: 'hard-bounce',
  });
  const now = new Date().toISOString();
  const campaign: Campaign = {
    id: campaignId,
    partnerId: 'northwind',
    name: 'Zero trust webinar',
    kitId: 'zero-trust-webinar',
    kitVersion: '1.0.0',
    kitName: 'Zero trust webinar',
    approvalRequired: false,
    slots: {},
    listId: 'customers',
    slug: `zero-trust-${run}`,
    status: 'sending',
    scheduledAt: null,
    submittedAt: null,
    decisions: [],
    launchedAt: now,
    pausedAt: null,
    pauseReason: null,
    cancelledAt: null,
    sentAt: null,
    audienceSize: null,
    createdAt: now,
    createdBy: 'test',
    updatedAt: now,
    version: 1,
  };
  await campaignStore(api.table).create(campaign);

  const recordingDoc = createDocumentClient({
    region: 'us-east-1',
    endpoint: assertLocalEndpoint(inject('dynamoEndpoint')),
  });
  recordingDoc.middlewareStack.add(
    (next, context) => async (args) => {
      recordAccess(String(context.commandName).replace(/Command$/, ''), args.input);
      return next(args);
    },
    { step: 'initialize', name: 'recordAccess' },
  );
  const logger = createLogger('lead-effects-test', 'ERROR');
  const enqueue = async (message: object) => void queue.send(JSON.stringify(message));
  queue = new InProcessQueue({
    name: 'lead-effects',
    batchSize: 5,
    maxReceiveCount: MAX_ATTEMPTS,
    retryDelayMs: 10,
    handler: leadEffectsConsumer({
      table: new Table(recordingDoc, api.table.name),
      mailer: sesMailer(createSesClient({ region: 'us-east-1', endpoint: sesEndpoint })),
      trackingSecret,
      enqueue,
      deferRetry: async (record: SQSRecord, delaySeconds: number) =>
        void deferred.push({ messageId: record.messageId, delaySeconds }),
      settings: {
        sender: {
          fromAddress: 'notifications@mail.vendor.example',
          vendorName: 'Vendor',
          configurationSetName: undefined,
        },
        portalBaseUrl: 'https://portal.vendor.example',
        webhookTimeoutMs: TIMEOUT_MS,
        urlPolicy: { allowLoopbackHttp: true },
        maxAttempts: MAX_ATTEMPTS,
      },
      clock: () => new Date(),
      logger,
    }),
  });
  publish = leadEventPublisher({ enqueue, logger: portLogger(logger) });

  app = createRouter();
  app.onError((error, c) => problemResponse(c, error));
  app.use('*', requestContext(logger, newId));
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
  app.route(
    '/api',
    webhookRoutes({
      table: api.table,
      effects: {
        enqueue,
        secrets: webhookSecretBox(trackingSecret),
        urlPolicy: { allowLoopbackHttp: true },
      },
      clock: () => new Date(),
      newId,
    }),
  );
});
afterAll(async () => {
  queue?.stop();
  for (const res of hanging) res.destroy();
  crm?.closeAllConnections();
  await new Promise<void>((done) => (crm ? crm.close(() => done()) : done()));
  await api?.close();
});

describe('a lead that became an EQL', () => {
  let goldHook: { id: string; secret: string };
  let lead: Lead;
  let first: LeadEvent;

  beforeAll(async () => {
    goldHook = await createWebhook({
      name: 'Gold CRM',
      url: `${crmUrl}/ok`,
      programs: ['gold'],
      events: ['lead-captured'],
    });
    lead = await storeLead(
      aLead('northwind', {
        eql: {
          eql: true,
          reasons: ['acme-widgets.example is an open opportunity of partner globex'],
          overlaps: [
            { partnerId: 'globex', kind: 'opportunity' },
            { partnerId: 'northwind', kind: 'customer' },
          ],
          decidedAt: new Date().toISOString(),
        },
      }),
    );
    first = event(lead);
    await publish(first);
    await queue.drained();
  });

  it('notifies the partner in the portal once, linking the lead, naming only its own list', async () => {
    const notes = (await notificationsOf('northwind')).filter((n) => n.leadId === lead.id);

    expect(notes).toEqual([
      expect.objectContaining({
        kind: 'lead-eql',
        partnerId: 'northwind',
        leadId: lead.id,
        campaignId,
        campaignName: 'Zero trust webinar',
        comment:
          'Ada Lovelace at Acme Widgets: acme-widgets.example is one of your customers, and neither a vendor customer nor an open vendor opportunity.',
        by: 'Vendor',
      }),
    ]);
    expect((await notificationsOf('globex')).filter((n) => n.leadId === lead.id)).toEqual([]);
  });

  it('emails the partner’s reply-to address once, from the vendor identity, partner-safe', async () => {
    const mail = await mailTo(replyTo);

    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      from: '"Vendor Partner Portal" <notifications@mail.vendor.example>',
      subject: 'New EQL: Ada Lovelace at Acme Widgets',
    });
    const text = mail[0]?.body.text ?? '';
    expect(text).toContain('responded to your campaign Zero trust webinar');
    expect(text).toContain('acme-widgets.example is one of your customers');
    expect(text).toContain(`https://portal.vendor.example/leads/${lead.id}`);
    expect(JSON.stringify(mail[0]).toLowerCase()).not.toContain('globex');
  });

  it('delivers one signed JSON payload to the gold program’s CRM, which verifies it', async () => {
    const requests = requestsTo('/ok');

    expect(requests).toHaveLength(1);
    const [request] = requests;
    if (!request) throw new Error('no request');
    expect(verifiedBy(goldHook.secret, request)).toBe(true);
    expect(request.headers['content-type']).toBe('application/json');
    const body = z
      .object({
        id: z.string(),
        type: z.string(),
        createdAt: z.string(),
        data: z.looseObject({ id: z.string() }),
      })
      .parse(JSON.parse(request.body));
    expect(body).toMatchObject({
      type: 'lead-captured',
      createdAt: first.at,
      data: { id: lead.id, email: lead.email },
    });
    const log = await deliveries(goldHook.id);
    expect(log.items).toEqual([
      expect.objectContaining({
        id: request.headers['channelkit-delivery-id'],
        eventType: 'lead-captured',
        status: 'delivered',
        attempts: [expect.objectContaining({ attempt: 1, statusCode: 200, error: null })],
      }),
    ]);
    // Other programs' webhooks heard nothing of a gold partner's lead.
    expect(requestsTo('/flaky')).toEqual([]);
  });

  it('does nothing a second time when the same event comes again', async () => {
    await publish(first);
    await publish({ ...first });
    await queue.drained();

    expect((await notificationsOf('northwind')).filter((n) => n.leadId === lead.id)).toHaveLength(1);
    expect(await mailTo(replyTo)).toHaveLength(1);
    expect(requestsTo('/ok')).toHaveLength(1);
    expect((await deliveries(goldHook.id)).items).toHaveLength(1);
  });

  it('sends a test delivery on request, logged newest first and paged', async () => {
    const res = await call(`/api/webhooks/${goldHook.id}/test`, 'marketing', { method: 'POST' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ eventType: 'webhook-test', status: expect.any(String) });
    await queue.drained();

    const test = requestsTo('/ok')[1];
    expect(test && verifiedBy(goldHook.secret, test)).toBe(true);
    expect(JSON.parse(test?.body ?? '{}')).toMatchObject({
      type: 'webhook-test',
      data: { webhookId: goldHook.id },
    });
    const page = await deliveries(goldHook.id, '?limit=1');
    expect(page.items.map((d) => [d.eventType, d.status])).toEqual([['webhook-test', 'delivered']]);
    expect(page.nextCursor).not.toBeNull();
    const next = await deliveries(goldHook.id, `?limit=1&cursor=${page.nextCursor}`);
    expect(next.items.map((d) => d.eventType)).toEqual(['lead-captured']);
  });

  it('reads and writes only the items its IAM grant names (by action and partition key)', () => {
    const within = (accesses: typeof reads, actions: readonly string[], prefixes: readonly string[]) => {
      expect(accesses.length).toBeGreaterThan(0);
      for (const access of accesses) {
        expect(actions, access.action).toContain(access.action);
        expect(
          prefixes.some((prefix) => access.pk.startsWith(prefix)),
          `${access.action} ${access.pk}`,
        ).toBe(true);
      }
    };
    within(reads, LEAD_EFFECTS_READ_ACTIONS, LEAD_EFFECTS_READ_PREFIXES);
    within(writes, LEAD_EFFECTS_WRITE_ACTIONS, LEAD_EFFECTS_WRITE_PREFIXES);
  });
});

describe('a partner whose address bounced', () => {
  it('gets the portal notification but no email (global suppression)', async () => {
    const lead = await storeLead(
      aLead('globex', {
        eql: {
          eql: true,
          reasons: [],
          overlaps: [{ partnerId: 'globex', kind: 'customer' }],
          decidedAt: new Date().toISOString(),
        },
      }),
    );

    await publish(event(lead, { kind: 'lead-updated' }));
    await queue.drained();

    expect((await notificationsOf('globex')).filter((n) => n.leadId === lead.id)).toHaveLength(1);
    expect(await mailTo(suppressedReplyTo)).toEqual([]);
  });
});

describe('a CRM that fails', () => {
  it('is retried with backoff after 500, 500, and delivered once on the third attempt', async () => {
    const hook = await createWebhook({
      name: 'Silver CRM',
      url: `${crmUrl}/flaky`,
      programs: ['silver'],
      events: ['lead-captured'],
    });
    const lead = await storeLead(aLead('globex'));
    deferred.length = 0;

    await publish(event(lead));
    await queue.drained();

    const requests = requestsTo('/flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['channelkit-delivery-id'])).size).toBe(1);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const request of requests) expect(verifiedBy(hook.secret, request)).toBe(true);
    const [delivery] = (await deliveries(hook.id)).items;
    expect(delivery).toMatchObject({ status: 'delivered' });
    expect(delivery?.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 202],
    ]);
    // Each failure hid the message for its backoff: about one, then about two minutes.
    expect(deferred.map((d) => d.delaySeconds)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(deferred[0]?.delaySeconds).toBeGreaterThanOrEqual(30);
    expect(deferred[0]?.delaySeconds).toBeLessThanOrEqual(60);
    expect(deferred[1]?.delaySeconds).toBeGreaterThanOrEqual(60);
    expect(deferred[1]?.delaySeconds).toBeLessThanOrEqual(120);
  });

  it('that never answers exhausts the attempts, is logged as failed, and its message is dead-lettered', async () => {
    const hook = await createWebhook({
      name: 'Registered CRM',
      url: `${crmUrl}/hang`,
      programs: ['registered'],
      events: ['lead-status-changed'],
    });
    const lead = await storeLead(aLead('initech'));
    deferred.length = 0;

    await publish(event(lead, { kind: 'lead-status-changed', campaignId: undefined }));
    await queue.drained();

    expect(requestsTo('/hang')).toHaveLength(MAX_ATTEMPTS);
    const [delivery] = (await deliveries(hook.id)).items;
    expect(delivery?.status).toBe('failed');
    expect(delivery?.attempts).toHaveLength(MAX_ATTEMPTS);
    for (const attempt of delivery?.attempts ?? []) {
      expect(attempt).toMatchObject({ statusCode: null, error: `no answer within ${TIMEOUT_MS} ms` });
    }
    expect(deferred).toHaveLength(MAX_ATTEMPTS - 1);
    const dead = queue.deadLetters.filter((m) => m.body.includes(hook.id));
    expect(dead).toHaveLength(1);
    expect(dead[0]?.receiveCount).toBe(MAX_ATTEMPTS);
  });
});

describe('the webhook API', () => {
  it('is marketing’s: partners and auditors get 403 on every route', async () => {
    const id = '01JAAAAAAAAAAAAAAAAAAAAAAA';
    const routes: [string, string][] = [
      ['GET', '/api/webhooks'],
      ['POST', '/api/webhooks'],
      ['PUT', `/api/webhooks/${id}`],
      ['DELETE', `/api/webhooks/${id}`],
      ['GET', `/api/webhooks/${id}/deliveries`],
      ['POST', `/api/webhooks/${id}/test`],
    ];
    for (const as of ['u-northwind-1', 'auditor']) {
      for (const [method, path] of routes) {
        const res = await api.request(path, {
          method,
          as,
          headers: { 'content-type': 'application/json', 'if-match': '"1"' },
          ...(method === 'POST' || method === 'PUT' ? { body: '{}' } : {}),
        });
        expect(res.status, `${as} ${method} ${path}`).toBe(403);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
      }
    }
  });

  it('refuses URLs inside AWS (SSRF guard), naming the field', async () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.7/hook',
      'http://hooks.crm.example.com/in',
      'https://localhost/hook',
      `${crmUrl}/ok`,
    ]) {
      const res = await api.request('/api/webhooks', {
        method: 'POST',
        as: 'marketing',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bad', url, programs: 'all', events: ['lead-captured'] }),
      });
      expect(res.status, url).toBe(422);
      const problem = await res.json();
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        url,
      ).toEqual(['body.url']);
    }
  });

  it('shows the secret once: the list and updates never carry it', async () => {
    const created = await createWebhook({
      name: 'Platinum CRM',
      url: 'https://hooks.crm.example.com/in',
      programs: ['platinum', 'gold', 'platinum'],
      events: ['lead-updated'],
      enabled: false,
    });
    const listed = await (await call('/api/webhooks', 'marketing')).json();
    const mine = listed.items.find((w: { id: string }) => w.id === created.id);

    expect(mine).toMatchObject({
      programs: ['gold', 'platinum'],
      enabled: false,
      secretHint: `whsec_…${created.secret.slice(-4)}`,
    });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect((await call(`/api/webhooks/${created.id}/test`, 'marketing', { method: 'POST' })).status).toBe(
      409,
    );
    const stored = await api.table.get({ pk: 'WEBHOOKS', sk: `WEBHOOK#${created.id}` });
    expect(JSON.stringify(stored)).not.toContain(created.secret.slice(6));

    const updated = await call(`/api/webhooks/${created.id}`, 'marketing', {
      method: 'PUT',
      headers: { 'if-match': `"${created.version}"` },
      body: JSON.stringify({
        name: 'Platinum CRM',
        url: 'https://hooks.crm.example.com/v2',
        programs: 'all',
        events: ['lead-updated'],
        enabled: true,
      }),
    });
    expect(updated.status).toBe(200);
    const body = await updated.json();
    expect(body).toMatchObject({ url: 'https://hooks.crm.example.com/v2', programs: 'all', version: 2 });
    expect(body.secret).toBeUndefined();
    const stale = await call(`/api/webhooks/${created.id}`, 'marketing', {
      method: 'PUT',
      headers: { 'if-match': '"1"' },
      body: JSON.stringify({
        name: 'Old',
        url: 'https://hooks.crm.example.com/in',
        programs: 'all',
        events: ['lead-updated'],
      }),
    });
    expect(stale.status).toBe(412);

    expect((await call(`/api/webhooks/${created.id}`, 'marketing', { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/api/webhooks/${created.id}/deliveries`, 'marketing')).status).toBe(404);
  });
});
