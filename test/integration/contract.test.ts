import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { startTestApi, type TestApi } from '#test/support/test-api';

/*
 * The API contract over every operation in the OpenAPI document: whatever a route is, bad
 * input gets a 4xx application/problem+json that names the fields, never a 500 or a trace.
 * New routes are covered the moment they are declared.
 */
let api: TestApi;
let operations: Operation[] = [];

const schemaNode: z.ZodType<SchemaNode> = z.lazy(() =>
  z.looseObject({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    enum: z.array(z.unknown()).optional(),
    properties: z.record(z.string(), schemaNode).optional(),
    $ref: z.string().optional(),
  }),
);
interface SchemaNode {
  type?: string | string[] | undefined;
  enum?: unknown[] | undefined;
  properties?: Record<string, SchemaNode> | undefined;
  $ref?: string | undefined;
}
const documentSchema = z.object({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({ schemas: z.record(z.string(), schemaNode).optional() }).optional(),
});
const operationSchema = z.looseObject({
  'x-roles': z.array(z.enum(['marketing', 'partner', 'auditor'])).optional(),
  parameters: z.array(z.looseObject({ name: z.string(), in: z.string() })).optional(),
  requestBody: z.object({ content: z.record(z.string(), z.object({ schema: schemaNode })) }).optional(),
});

interface Operation {
  method: string;
  path: string;
  role: 'marketing' | 'partner' | 'auditor' | undefined;
  pathParams: string[];
  queryParams: string[];
  body: SchemaNode | undefined;
  /** Media types of a non-JSON body (a zip, a CSV, an image), read by the handler itself. */
  binaryTypes: string[];
}

const samplePath = (path: string) =>
  path
    .replaceAll('{partnerId}', 'northwind')
    .replaceAll('{kitId}', 'zero-trust-webinar')
    .replaceAll('{version}', '1.0.0')
    .replaceAll('{campaignId}', '01JD2Q4ZV3W8X6Y1N0P5R7T9KM')
    .replaceAll('{listId}', '01JAAAAAAAAAAAAAAAAAAAAAAA')
    .replaceAll('{importId}', '01JAAAAAAAAAAAAAAAAAAAAAAA')
    .replaceAll('{contactId}', 'a'.repeat(32))
    .replaceAll('{kind}', 'customer')
    .replaceAll('{leadId}', '01JAAAAAAAAAAAAAAAAAAAAAAA')
    .replaceAll('{webhookId}', '01JAAAAAAAAAAAAAAAAAAAAAAA')
    .replaceAll('{fundId}', '01JAAAAAAAAAAAAAAAAAAAAAAA')
    .replaceAll('{requestId}', '01JAAAAAAAAAAAAAAAAAAAAAAA')
    .replaceAll('{claimId}', '01JAAAAAAAAAAAAAAAAAAAAAAA')
    .replaceAll('{sha256}', '0'.repeat(64))
    .replaceAll('{email}', 'sample@example.com');
const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

const expectProblem = async (res: Response, status: number): Promise<{ errors?: { path: string }[] }> => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const text = await res.text();
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(text).not.toMatch(/stack/i);
  const body = JSON.parse(text);
  expect(body).toMatchObject({
    type: expect.stringMatching(/^\/problems\//),
    status,
    title: expect.any(String),
  });
  expect(body.requestId).toEqual(res.headers.get('x-request-id'));
  return body;
};

beforeAll(async () => {
  api = await startTestApi();
  const doc = documentSchema.parse(await (await api.request('/openapi.json')).json());
  const components = doc.components?.schemas ?? {};
  const deref = (node: SchemaNode): SchemaNode =>
    node.$ref ? (components[node.$ref.replace('#/components/schemas/', '')] ?? node) : node;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const op = operationSchema.parse(raw);
      const body = op.requestBody?.content['application/json']?.schema;
      operations.push({
        method,
        path,
        role: op['x-roles']?.[0],
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        body: body ? deref(body) : undefined,
        binaryTypes: Object.keys(op.requestBody?.content ?? {}).filter((type) => type !== 'application/json'),
      });
    }
  }
  operations = operations.filter((op) => op.path.startsWith('/api/'));
});
afterAll(() => api.close());

const send = (op: Operation, init: RequestInit & { path?: string; headers?: Record<string, string> }) =>
  api.request(init.path ?? samplePath(op.path), {
    ...init,
    method: op.method.toUpperCase(),
    headers: { 'if-match': '"1"', ...init.headers },
    ...(op.role ? { as: op.role } : {}),
  });

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and declares the API’s operations with roles', async () => {
    const doc = await (await api.request('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(operations.map(label)).toEqual(
      expect.arrayContaining([
        'GET /api/partners',
        'POST /api/partners',
        'PATCH /api/partners/{partnerId}',
        'GET /api/me',
      ]),
    );
    for (const op of operations) expect(op.role, label(op)).toBeDefined();
  });

  it('is browsable at /docs with a script served from this origin', async () => {
    const res = await api.request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/vendor/scalar-api-reference.js');
    expect(html).toContain('/openapi.json');
  });
});

describe('bad input on every operation', () => {
  it('answers malformed JSON with 400', async () => {
    for (const op of operations.filter((o) => o.body)) {
      const res = await send(op, { body: '{"name": ', headers: { 'content-type': 'application/json' } });
      await expectProblem(res, 400);
    }
  });

  it('answers a non-JSON body with 415', async () => {
    for (const op of operations.filter((o) => o.body)) {
      const res = await send(op, {
        body: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      await expectProblem(res, 415);
    }
  });

  it('names unknown fields', async () => {
    for (const op of operations.filter((o) => o.body)) {
      const res = await send(op, {
        body: JSON.stringify({ partnerId: 'globex', status: 'approved' }),
        headers: { 'content-type': 'application/json' },
      });
      const body = await expectProblem(res, 422);
      const paths = (body.errors ?? []).map((e) => e.path);
      // Only the fields this operation does not declare (creating an MDF fund names a partnerId).
      const unknown = ['partnerId', 'status'].filter((name) => !op.body?.properties?.[name]);
      expect(paths, label(op)).toEqual(expect.arrayContaining(unknown.map((name) => `body.${name}`)));
    }
  });

  it('names every field of the wrong type', async () => {
    for (const op of operations.filter((o) => o.body?.properties)) {
      const wrong: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(op.body?.properties ?? {})) {
        wrong[name] = prop.type === 'string' || prop.enum ? 12345 : 'not-a-number';
      }
      const res = await send(op, {
        body: JSON.stringify(wrong),
        headers: { 'content-type': 'application/json' },
      });
      const body = await expectProblem(res, 422);
      const paths = (body.errors ?? []).map((e) => e.path);
      for (const name of Object.keys(wrong)) expect(paths, label(op)).toContain(`body.${name}`);
    }
  });

  it('answers an oversize body with 413', async () => {
    for (const op of operations.filter((o) => o.body)) {
      const res = await send(op, {
        body: JSON.stringify({ name: 'x'.repeat(300 * 1024) }),
        headers: { 'content-type': 'application/json' },
      });
      await expectProblem(res, 413);
    }
  });

  it('names malformed path parameters', async () => {
    for (const op of operations.filter((o) => o.pathParams.length > 0)) {
      let path = op.path;
      for (const name of op.pathParams) path = path.replace(`{${name}}`, encodeURIComponent('bad id!'));
      const withBody = op.body
        ? { body: JSON.stringify({}), headers: { 'content-type': 'application/json' } }
        : {};
      const res = await send(op, { path, ...withBody });
      const body = await expectProblem(res, 422);
      for (const name of op.pathParams)
        expect((body.errors ?? []).map((e) => e.path)).toContain(`param.${name}`);
    }
  });

  it('names bad and unknown query parameters', async () => {
    for (const op of operations.filter((o) => o.queryParams.includes('limit'))) {
      const res = await send(op, { path: `${samplePath(op.path)}?limit=0&sort=evil` });
      const body = await expectProblem(res, 422);
      expect((body.errors ?? []).map((e) => e.path)).toEqual(
        expect.arrayContaining(['query.limit', 'query.sort']),
      );
    }
  });

  it('answers a binary upload sent as JSON with 415', async () => {
    const uploads = operations.filter((o) => o.binaryTypes.length > 0);
    expect(uploads.map(label)).toEqual(expect.arrayContaining(['POST /api/kits', 'POST /api/brand/logo']));
    for (const op of uploads) {
      const res = await send(op, { body: '{"name":"x"}', headers: { 'content-type': 'application/json' } });
      await expectProblem(res, 415);
    }
  });

  it('answers a binary upload past the 6 MB Lambda payload with 413', async () => {
    for (const op of operations.filter((o) => o.binaryTypes.length > 0)) {
      const res = await send(op, {
        body: new Uint8Array(6 * 1024 * 1024 + 1),
        headers: { 'content-type': op.binaryTypes[0] ?? '' },
      });
      await expectProblem(res, 413);
    }
  });

  it('answers garbage bytes of a declared binary type without a fault', async () => {
    for (const op of operations.filter((o) => o.binaryTypes.length > 0)) {
      for (const type of op.binaryTypes) {
        const res = await send(op, {
          body: new Uint8Array(4096).fill(0x8f),
          headers: { 'content-type': type },
        });
        expect(res.status, `${label(op)} ${type}`).toBeLessThan(500);
        if (res.status >= 400) await expectProblem(res, res.status);
      }
    }
  });

  it('answers an unknown route with 404 problem+json', async () => {
    await expectProblem(await api.request('/api/nothing-here', { as: 'marketing' }), 404);
  });
});
