import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { authenticate } from '#functions/http/auth';
import { problemResponse } from '#functions/http/problem';
import { requestContext } from '#functions/http/request-context';
import { createRouter } from '#functions/http/router';
import { deriveAccountKeys, hashAccountUnderAllKeys } from '#functions/leads/account-keys';
import type { AccountListMessage } from '#functions/leads/account-list-schema';
import type { AccountListDeps } from '#functions/leads/account-list-uploads';
import {
  type ApplyOptions,
  type ApplyOutcome,
  accountListWorker,
} from '#functions/leads/account-list-worker';
import { accountListRoutes } from '#functions/leads/account-routes';
import { accountListStore, accountMatches } from '#functions/leads/account-store';
import { emailClassesFrom } from '#functions/leads/email-classes';
import { decideLeadEql } from '#functions/leads/eql';
import { defaultQualificationConfig } from '#functions/leads/qualification';
import { type DemoUser, demoUsers } from '#functions/local/demo-data';
import { createDevIssuer, type DevIssuer } from '#functions/local/dev-issuer';
import { freePort } from '#functions/local/free-port';
import { fsBlobStore } from '#functions/local/fs-blob-store';
import type { BlobStore } from '#platform/blobs';
import { createDocumentClient } from '#platform/dynamo';
import { ConflictError } from '#platform/errors';
import { newId } from '#platform/ids';
import { createJwtVerifier, type VerifyToken } from '#platform/jwt';
import { createLogger } from '#platform/logger';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { assertLocalEndpoint } from '#test/support/local-only';

/*
 * Account lists against DynamoDB Local, through the routes as app.ts mounts them (behind the
 * same auth middleware and dev-issuer tokens), with the import worker run on what they enqueue
 * (as the in-process queue would). Known account keys, so a lead's domain can be decided
 * against what the routes stored.
 */
interface Harness {
  table: Table;
  blobs: BlobStore;
  token(who: Who): Promise<string>;
}
let env: Harness;
let deps: AccountListDeps;
let queue: AccountListMessage[];
let app: ReturnType<typeof createRouter>;

const keys = deriveAccountKeys('integration-root-secret-0123456789abcdef', { primary: 'a1', active: ['a1'] });
const emailClasses = emailClassesFrom({
  freeMailCommon: ['gmail.com'],
  freeMailAll: ['gmail.com'],
  disposable: [],
});
const policy = defaultQualificationConfig.rules.businessEmail;

type Who = DemoUser['role'] | DemoUser['id'];
const NORTHWIND = 'u-northwind-1';
const GLOBEX = 'u-globex-1';

const request = async (path: string, as: Who, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await env.token(as)}`);
  return app.request(path, { ...init, headers });
};
const upload = (kind: string, as: Who, csv: string, query = '') =>
  request(`/api/account-lists/${kind}${query}`, as, {
    method: 'POST',
    body: csv,
    headers: { 'content-type': 'text/csv' },
  });

/** Runs every queued account-list job (and the jobs they enqueue) through the worker. */
const drain = async (options: ApplyOptions = {}): Promise<ApplyOutcome[]> => {
  const run = accountListWorker(
    { store: deps.store, blobs: deps.blobs, enqueue: deps.enqueue, clock: deps.clock },
    options,
  );
  const outcomes: ApplyOutcome[] = [];
  for (let message = queue.shift(); message; message = queue.shift()) outcomes.push(await run(message));
  return outcomes;
};

const findMatches = () => accountMatches(env.table);
const lookup = (domain: string) => findMatches()(hashAccountUnderAllKeys(keys, domain));
const decide = (email: string) =>
  decideLeadEql(email, { emailClasses, keys, policy, findMatches: findMatches() });
const listsOf = async (as: Who) => (await (await request('/api/account-lists', as)).json()).items;

// The dev issuer's JWKS over real HTTP (the verifier path of AWS), DynamoDB Local, a blob folder.
const endpoint = assertLocalEndpoint(inject('dynamoEndpoint'));
const doc = createDocumentClient({ region: 'us-east-1', endpoint });
const scratch = mkdtempSync(join(tmpdir(), 'ck-account-lists-'));
let issuer: DevIssuer;
let server: ReturnType<typeof serve>;
let verifyToken: VerifyToken;

beforeAll(async () => {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  issuer = await createDevIssuer({ baseUrl, users: demoUsers, partnerNames: new Map() });
  server = serve({ port, hostname: '127.0.0.1', fetch: issuer.routes.fetch });
  verifyToken = createJwtVerifier({
    jwksUrl: `${baseUrl}/jwks.json`,
    issuer: issuer.issuer,
    audience: issuer.audience,
  });
});
afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  doc.destroy();
  rmSync(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  // A fresh table and blob folder per test: lists, hashes and files never leak between stories.
  const tableName = `test-${randomUUID()}`;
  await ensureTable(doc, tableName);
  env = {
    table: new Table(doc, tableName),
    blobs: fsBlobStore(join(scratch, tableName)),
    token: async (who) => {
      const user = demoUsers.find((u) => u.id === who) ?? demoUsers.find((u) => u.role === who);
      if (!user) throw new Error(`no demo user ${who}`);
      return issuer.sign(user);
    },
  };
  queue = [];
  deps = {
    store: accountListStore(env.table),
    blobs: env.blobs,
    keys,
    enqueue: async (message) => void queue.push(message),
    clock: () => new Date(),
    newId,
  };
  app = createRouter();
  app.onError((error, c) => problemResponse(c, error));
  app.use('*', requestContext(createLogger('account-lists-test', 'ERROR'), newId));
  app.use('/api/*', authenticate(verifyToken));
  app.route('/api', accountListRoutes(deps));
});

describe('uploading a list', () => {
  it('stores hashes the EQL lookup finds by the normalised domain, and reports bad rows by line', async () => {
    const res = await upload(
      'customer',
      NORTHWIND,
      'Company,Website\nAcme,https://www.Acme.co.uk/about\nNo site,\nGlobex,globex.com\nAcme again,acme.co.uk\n',
    );
    expect(res.status).toBe(202);
    const list = await res.json();
    expect(list).toMatchObject({
      partnerId: 'northwind',
      kind: 'customer',
      status: 'queued',
      accounts: 2,
      rowsRead: 4,
      rejected: 1,
      duplicates: 1,
      kid: 'a1',
      errors: [{ line: 3, reason: 'no-domain', message: 'no domain or website' }],
    });

    expect(await drain()).toEqual(['done']);
    expect(await lookup('acme.co.uk')).toEqual({
      vendor: { isCustomer: false, isOpportunity: false },
      partnerOverlaps: [{ partnerId: 'northwind', kinds: ['customer'] }],
    });
    expect(await lookup('initech.com')).toEqual({
      vendor: { isCustomer: false, isOpportunity: false },
      partnerOverlaps: [],
    });
    const [summary] = await listsOf(NORTHWIND);
    expect(summary).toMatchObject({ status: 'ready', accounts: 2, finishedAt: expect.any(String) });
    // Stored rows carry the reason's words, never the cell.
    expect(summary.errors).toEqual([
      { line: 3, reason: 'no-domain', message: 'names no company domain or website' },
    ]);
  });

  it('keeps no domain or company name anywhere in the table', async () => {
    await upload('customer', NORTHWIND, 'name,domain\nAcme Widgets,acme.co.uk\nGlobex Corp,globex.com\n');
    await upload('opportunity', 'marketing', 'domain\ninitech.com\n');
    await drain();
    // A Scan of the test table, here only, to look at every item the feature wrote.
    const scan = await doc.send(new ScanCommand({ TableName: env.table.name }));
    const everything = JSON.stringify(scan.Items);
    expect(scan.Items?.length).toBeGreaterThan(3);
    expect(everything).not.toMatch(/acme|globex|initech|Widgets/i);
  });

  it('replaces the list on re-upload: dropped accounts stop matching, new ones match', async () => {
    await upload('customer', NORTHWIND, 'domain\nacme.co.uk\nglobex.com\ninitech.com\n');
    await drain();
    await upload('customer', NORTHWIND, 'domain\nacme.co.uk\numbrella.example\n');
    expect(await drain()).toEqual(['done']);

    expect((await lookup('globex.com')).partnerOverlaps).toEqual([]);
    expect((await lookup('initech.com')).partnerOverlaps).toEqual([]);
    expect((await lookup('umbrella.example')).partnerOverlaps).toEqual([
      { partnerId: 'northwind', kinds: ['customer'] },
    ]);
    expect((await lookup('acme.co.uk')).partnerOverlaps).toEqual([
      { partnerId: 'northwind', kinds: ['customer'] },
    ]);
    expect((await deps.store.hashKeys({ partnerId: 'northwind' }, 'customer')).size).toBe(2);
  });

  it('lets a newer upload supersede one not yet written: only the newer list is stored', async () => {
    await upload('customer', NORTHWIND, 'domain\nold-one.example\n');
    await upload('customer', NORTHWIND, 'domain\nnew-one.example\n');
    expect(await drain()).toEqual(['superseded', 'done']);
    expect((await lookup('old-one.example')).partnerOverlaps).toEqual([]);
    expect((await lookup('new-one.example')).partnerOverlaps).toHaveLength(1);
  });

  it('resumes a write that ran out of time where the table stands, and ends exact', async () => {
    const domains = Array.from({ length: 120 }, (_, i) => `company-${i}.example`);
    await upload('opportunity', NORTHWIND, ['domain', ...domains].join('\n'));
    // A budget already spent: each run writes one round of 50, then re-enqueues itself.
    let ticks = 0;
    deps.clock = () => {
      ticks += 1;
      return new Date(1_700_000_000_000 + ticks * 1000);
    };
    const outcomes = await drain({ budgetMs: 1500, roundSize: 50 });
    expect(outcomes.at(-1)).toBe('done');
    expect(outcomes.filter((o) => o === 'continued').length).toBeGreaterThanOrEqual(2);
    expect((await deps.store.hashKeys({ partnerId: 'northwind' }, 'opportunity')).size).toBe(120);
    expect(await deps.store.summary({ partnerId: 'northwind' }, 'opportunity')).toMatchObject({
      status: 'ready',
    });
  });

  it('reports rows of the other kind by line instead of storing them', async () => {
    const res = await upload(
      'customer',
      NORTHWIND,
      'domain,kind\nacme.co.uk,customer\nglobex.com,opportunity\n',
    );
    expect(await res.json()).toMatchObject({
      accounts: 1,
      rejected: 1,
      errors: [{ line: 3, reason: 'other-kind' }],
    });
    await drain();
    expect((await lookup('globex.com')).partnerOverlaps).toEqual([]);
  });

  it('refuses a file with no usable row, naming the body and listing the rows', async () => {
    const res = await upload('customer', NORTHWIND, 'domain\nnot a domain\n192.168.0.1\n');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = await res.json();
    expect(problem.errors).toEqual([{ path: 'body', message: expect.stringContaining('no row names') }]);
    expect(problem.rows.map((r: { line: number }) => r.line)).toEqual([2, 3]);
    expect(queue).toEqual([]);
  });

  it('refuses a wrong content type, a bad kind and unknown query parameters with problem+json', async () => {
    const json = await request('/api/account-lists/customer', NORTHWIND, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    const kind = await upload('leads', NORTHWIND, 'domain\nacme.co.uk\n');
    expect(kind.status).toBe(422);
    expect((await kind.json()).errors.map((e: { path: string }) => e.path)).toEqual(['param.kind']);
    const query = await upload('customer', NORTHWIND, 'domain\nacme.co.uk\n', '?delimiter=pipe&owner=globex');
    expect(query.status).toBe(422);
    expect((await query.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'query.delimiter',
      'query.owner',
    ]);
  });
});

describe('who sees what', () => {
  const partnerCsv = 'name,domain\nAcme Widgets,acme.co.uk\nGlobex Corp,globex.com\n';

  beforeEach(async () => {
    await upload('customer', NORTHWIND, partnerCsv);
    await drain();
  });

  it('gives the owner its raw file back, as uploaded', async () => {
    const res = await request('/api/account-lists/customer/csv', NORTHWIND);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="customer-accounts.csv"');
    expect(await res.text()).toBe(partnerCsv);
  });

  it('never gives another partner, or marketing, a partner’s raw file or summary', async () => {
    for (const who of [GLOBEX, 'marketing'] as const) {
      const csv = await request('/api/account-lists/customer/csv', who);
      expect(csv.status, who).toBe(404);
      expect(await csv.text()).not.toMatch(/acme|globex\.com/i);
      expect(await listsOf(who)).toEqual([]);
    }
    // Marketing's own list is the vendor's, a different file.
    await upload('customer', 'marketing', 'domain\ninitech.com\n');
    expect(await (await request('/api/account-lists/customer/csv', 'marketing')).text()).toBe(
      'domain\ninitech.com\n',
    );
    expect(await (await request('/api/account-lists/customer/csv', NORTHWIND)).text()).toBe(partnerCsv);
  });

  it('keeps auditors out of account lists', async () => {
    for (const path of [
      '/api/account-lists',
      '/api/account-lists/overlaps',
      '/api/account-lists/customer/csv',
    ]) {
      expect((await request(path, 'auditor')).status, path).toBe(403);
    }
  });

  it('never answers a raw domain outside the owner’s own file', async () => {
    await upload('opportunity', 'marketing', 'domain\nglobex.com\n');
    await drain();
    const bodies = await Promise.all(
      [
        ['/api/account-lists', NORTHWIND],
        ['/api/account-lists', GLOBEX],
        ['/api/account-lists', 'marketing'],
        ['/api/account-lists/overlaps', NORTHWIND],
        ['/api/account-lists/overlaps', GLOBEX],
        ['/api/account-lists/overlaps', 'marketing'],
      ].map(async ([path = '', who = 'marketing']) => (await request(path, who as Who)).text()),
    );
    for (const body of bodies) expect(body).not.toMatch(/acme|globex\.com|Widgets/i);
    // Nor does the upload's own report name the accounts it accepted.
    const report = await (
      await upload('customer', GLOBEX, 'domain\nsecret-customer.example\nnot a domain\n')
    ).text();
    expect(report).not.toContain('secret-customer');
  });
});

describe('overlaps', () => {
  it('counts each partner list against the vendor’s lists, recounted when the vendor’s change', async () => {
    await upload('customer', NORTHWIND, 'domain\nacme.co.uk\nglobex.com\ninitech.com\n');
    await upload('opportunity', NORTHWIND, 'domain\nhooli.example\n');
    await upload('customer', GLOBEX, 'domain\nglobex.com\n');
    await drain();
    await upload('customer', 'marketing', 'domain\nglobex.com\n');
    await upload('opportunity', 'marketing', 'domain\ninitech.com\nhooli.example\n');
    await drain();

    const marketing = (await (await request('/api/account-lists/overlaps', 'marketing')).json()).items;
    expect(marketing.map((r: { partnerId: string }) => r.partnerId).sort()).toEqual(['globex', 'northwind']);
    const northwind = marketing.find((r: { partnerId: string }) => r.partnerId === 'northwind');
    expect(northwind).toMatchObject({
      customer: { status: 'ready', accounts: 3, vendorCustomers: 1, vendorOpportunities: 1 },
      opportunity: { status: 'ready', accounts: 1, vendorCustomers: 0, vendorOpportunities: 1 },
      leads: null,
      eqls: null,
    });

    const own = (await (await request('/api/account-lists/overlaps', GLOBEX)).json()).items;
    expect(own).toEqual([
      {
        partnerId: 'globex',
        customer: expect.objectContaining({ accounts: 1, vendorCustomers: 1, vendorOpportunities: 0 }),
        opportunity: null,
        leads: null,
        eqls: null,
      },
    ]);
  });

  it('gives a partner without lists its own empty row, and nobody else’s', async () => {
    await upload('customer', NORTHWIND, 'domain\nacme.co.uk\n');
    await drain();
    const own = (await (await request('/api/account-lists/overlaps', GLOBEX)).json()).items;
    expect(own).toEqual([
      { partnerId: 'globex', customer: null, opportunity: null, leads: null, eqls: null },
    ]);
  });
});

describe('deleting a list', () => {
  it('empties the file at once and the hashes in the background, then the list is gone', async () => {
    await upload('customer', NORTHWIND, 'domain\nacme.co.uk\n');
    await drain();
    const res = await request('/api/account-lists/customer', NORTHWIND, { method: 'DELETE' });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'deleting' });
    expect((await request('/api/account-lists/customer/csv', NORTHWIND)).status).toBe(404);
    expect(await drain()).toEqual(['done']);
    expect((await lookup('acme.co.uk')).partnerOverlaps).toEqual([]);
    expect(await listsOf(NORTHWIND)).toEqual([]);
    expect((await request('/api/account-lists/customer', NORTHWIND, { method: 'DELETE' })).status).toBe(404);
  });

  it('cannot delete another partner’s list: it only ever deletes the caller’s own', async () => {
    await upload('customer', NORTHWIND, 'domain\nacme.co.uk\n');
    await drain();
    expect((await request('/api/account-lists/customer', GLOBEX, { method: 'DELETE' })).status).toBe(404);
    expect((await request('/api/account-lists/customer', 'marketing', { method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await lookup('acme.co.uk')).partnerOverlaps).toHaveLength(1);
  });
});

describe('a delete and an upload racing', () => {
  it('lets an upload made after a delete win, whatever order the worker sees them in', async () => {
    await upload('customer', NORTHWIND, 'domain\nacme.co.uk\n');
    await drain();
    await request('/api/account-lists/customer', NORTHWIND, { method: 'DELETE' });
    await upload('customer', NORTHWIND, 'domain\nglobex.com\n');
    expect(await drain()).toEqual(['superseded', 'done']);
    expect((await lookup('acme.co.uk')).partnerOverlaps).toEqual([]);
    expect((await lookup('globex.com')).partnerOverlaps).toHaveLength(1);
    expect(await listsOf(NORTHWIND)).toMatchObject([{ status: 'ready', accounts: 1 }]);
  });
});

describe('the table operations the lists use, on DynamoDB Local', () => {
  it('batch-writes and batch-deletes more than one call holds', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => ({
      pk: 'BATCH',
      sk: `S${String(i).padStart(2, '0')}`,
    }));
    await env.table.batchWrite(keys.map((key) => ({ put: { ...key, type: 't', version: 1 } })));
    expect((await env.table.query({ partition: 'BATCH', limit: 100 })).items).toHaveLength(60);
    await env.table.batchWrite(keys.slice(0, 50).map((key) => ({ delete: key })));
    const left = await env.table.query({ partition: 'BATCH', limit: 100 });
    expect(left.items.map((item) => item.sk)).toEqual(keys.slice(50).map((key) => key.sk));
  });

  it('deletes at a version only while the item still has it', async () => {
    await env.table.create({ pk: 'V', sk: 'V', type: 't', version: 1 });
    await env.table.update({ pk: 'V', sk: 'V' }, 1, { note: 'moved on' });
    await expect(env.table.transact([{ delete: { pk: 'V', sk: 'V' }, ifVersion: 1 }])).rejects.toBeInstanceOf(
      ConflictError,
    );
    await env.table.transact([{ delete: { pk: 'V', sk: 'V' }, ifVersion: 2 }]);
    expect(await env.table.get({ pk: 'V', sk: 'V' })).toBeUndefined();
  });
});

describe('the EQL decision against stored lists', () => {
  beforeEach(async () => {
    await upload('customer', NORTHWIND, 'company,website\nAcme,https://www.acme.co.uk\nGlobex,globex.com\n');
    await upload('opportunity', 'marketing', 'domain\nglobex.com\n');
    await drain();
  });

  it('makes a lead on partner A’s customer list, unknown to the vendor, an EQL naming A and customer', async () => {
    const decision = await decide('Ann.Lee@Mail.Acme.co.uk');
    expect(decision).toEqual({
      eql: true,
      reasons: [
        'acme.co.uk is neither a vendor customer nor an open vendor opportunity',
        'acme.co.uk is a customer of partner northwind',
      ],
      overlaps: [{ partnerId: 'northwind', kind: 'customer' }],
    });
  });

  it('does not make a vendor open opportunity an EQL, even on a partner’s list', async () => {
    const decision = await decide('bo@globex.com');
    expect(decision.eql).toBe(false);
    expect(decision.reasons).toEqual(['globex.com is already an open vendor opportunity']);
    expect(decision.overlaps).toEqual([{ partnerId: 'northwind', kind: 'customer' }]);
  });

  it('finds a list hashed under a key that is still active after rotation', async () => {
    const rotated = deriveAccountKeys('integration-root-secret-0123456789abcdef', {
      primary: 'a2',
      active: ['a2', 'a1'],
    });
    const decision = await decideLeadEql('ann@acme.co.uk', {
      emailClasses,
      keys: rotated,
      policy,
      findMatches: findMatches(),
    });
    expect(decision.overlaps).toEqual([{ partnerId: 'northwind', kind: 'customer' }]);
  });
});
