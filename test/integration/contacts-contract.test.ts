import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type ContactsApi, startContactsApi } from '#test/fixtures/contacts/contacts-api';

/*
 * The checks of test/integration/contract.test.ts, over the contacts routes alone, so they
 * hold before the routes are mounted in createApp. Path parameters get well-formed samples.
 */
let t: ContactsApi;
const operationSchema = z.looseObject({
  'x-roles': z.array(z.string()),
  parameters: z.array(z.looseObject({ name: z.string(), in: z.string() })).optional(),
  requestBody: z.object({ content: z.record(z.string(), z.unknown()) }).optional(),
});
interface Operation {
  method: string;
  path: string;
  role: string;
  pathParams: string[];
  queryParams: string[];
  jsonBody: boolean;
}
const operations: Operation[] = [];
const samples: Record<string, string> = {
  listId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
  importId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
  contactId: 'a'.repeat(32),
  email: 'sample@example.com',
};
const samplePath = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => samples[name] ?? name);

beforeAll(async () => {
  t = await startContactsApi();
  const doc = z
    .object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) })
    .parse(await (await t.request('/openapi.json')).json());
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const op = operationSchema.parse(raw);
      operations.push({
        method: method.toUpperCase(),
        path,
        role: op['x-roles'][0] ?? 'partner',
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        jsonBody: op.requestBody?.content['application/json'] !== undefined,
      });
    }
  }
});
afterAll(() => t.close());

const send = (op: Operation, path: string, init: RequestInit = {}) =>
  t.request(path, {
    ...init,
    method: op.method,
    as: 'u-northwind-1',
    headers: { 'if-match': '"1"', ...init.headers },
  });

const expectProblem = async (res: Response, status: number, label: string) => {
  expect(res.status, label).toBe(status);
  expect(res.headers.get('content-type'), label).toBe('application/problem+json');
  return z.object({ errors: z.array(z.object({ path: z.string() })).optional() }).parse(await res.json());
};

describe('the contacts routes’ contract', () => {
  it('declares every route for the partner role', () => {
    expect(operations.length).toBeGreaterThanOrEqual(17);
    for (const op of operations) expect(op.role, `${op.method} ${op.path}`).toBe('partner');
  });

  it('answers bad JSON with 400, other media types with 415 and unknown fields with 422', async () => {
    for (const op of operations.filter((o) => o.jsonBody)) {
      const label = `${op.method} ${op.path}`;
      const path = samplePath(op.path);
      const json = { 'content-type': 'application/json' };
      await expectProblem(await send(op, path, { body: '{"name": ', headers: json }), 400, label);
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      await expectProblem(await send(op, path, { body: 'name=x', headers: form }), 415, label);
      const body = JSON.stringify({ partnerId: 'globex', status: 'approved' });
      const unknown = await expectProblem(await send(op, path, { body, headers: json }), 422, label);
      expect(
        (unknown.errors ?? []).map((e) => e.path),
        label,
      ).toEqual(expect.arrayContaining(['body.partnerId', 'body.status']));
    }
  });

  it('names malformed path parameters and bad or unknown query parameters', async () => {
    for (const op of operations.filter((o) => o.pathParams.length > 0)) {
      let path = op.path;
      for (const name of op.pathParams) path = path.replace(`{${name}}`, encodeURIComponent('bad id!'));
      const init = op.jsonBody ? { body: '{}', headers: { 'content-type': 'application/json' } } : {};
      const body = await expectProblem(await send(op, path, init), 422, `${op.method} ${op.path}`);
      for (const name of op.pathParams)
        expect((body.errors ?? []).map((e) => e.path)).toContain(`param.${name}`);
    }
    for (const op of operations.filter((o) => o.queryParams.includes('limit'))) {
      const res = await send(op, `${samplePath(op.path)}?limit=0&sort=evil`);
      const body = await expectProblem(res, 422, `${op.method} ${op.path}`);
      expect((body.errors ?? []).map((e) => e.path)).toEqual(
        expect.arrayContaining(['query.limit', 'query.sort']),
      );
    }
  });
});
