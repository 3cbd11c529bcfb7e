import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, type RuntimeProcess, startRuntimeProcess } from '#test/support/runtime-process';

const dataDir = mkdtempSync(join(tmpdir(), 'ck-runtime-'));
const running: RuntimeProcess[] = [];
afterAll(async () => {
  for (const runtime of running) if (runtime.child.exitCode === null) await runtime.signal('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const start = async (args: string[] = []) => {
  const runtime = await startRuntimeProcess(dataDir, args);
  running.push(runtime);
  return runtime;
};

/** Processes may take a moment to be reaped after their parent exits; wait (bounded) for them to go. */
const survivors = async (pids: number[]) => {
  const deadline = Date.now() + 10_000;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(isAlive);
};

const login = async (url: string, userId: string) => {
  const res = await fetch(`${url}/dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  const { token } = await res.json();
  return { authorization: `Bearer ${token}` };
};

const partnerNames = async (url: string) => {
  const res = await fetch(`${url}/api/partners?limit=100`, { headers: await login(url, 'u-marketing-1') });
  return (await res.json()).items.map((p: { name: string }) => p.name);
};

describe('npm start (the embedded runtime)', () => {
  it('serves health, the OpenAPI document, the docs, the portal and the dev login, then stops everything on Ctrl-C', async () => {
    const runtime = await start(['--fresh']);
    expect(runtime.output()).toMatch(/Portal\s+http:\/\/localhost:\d+\//);
    expect(runtime.output()).toMatch(/Mail outbox\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect((await fetch(`${runtime.url}/health`)).status).toBe(200);
    expect((await (await fetch(`${runtime.url}/openapi.json`)).json()).openapi).toBe('3.1.0');
    expect(await (await fetch(`${runtime.url}/docs`)).text()).toContain('/openapi.json');
    const portal = await fetch(`${runtime.url}/some/deep/link`);
    expect(portal.headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`${runtime.url}/vendor/scalar-api-reference.js`)).status).toBe(200);
    const users = await (await fetch(`${runtime.url}/dev/users`)).json();
    expect(new Set(users.users.map((u: { role: string }) => u.role))).toEqual(
      new Set(['marketing', 'partner', 'auditor']),
    );
    expect(await partnerNames(runtime.url)).toEqual([
      'Globex Integrations',
      'Initech Cloud',
      'Northwind Networks',
    ]);

    const created = await fetch(`${runtime.url}/api/partners`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await login(runtime.url, 'u-marketing-1')) },
      body: JSON.stringify({ name: 'Persisted Partner', tier: 'gold', region: 'EMEA' }),
    });
    expect(created.status).toBe(201);

    const children = runtime.descendants();
    expect(children.map(runtime.commandOf).join('\n')).toContain('DynamoDBLocal.jar');
    expect(await runtime.signal('SIGINT')).toBe(0);
    expect(await survivors(children)).toEqual([]);
  });

  it('keeps data between runs, and --fresh wipes it', async () => {
    const again = await start();
    expect(await partnerNames(again.url)).toContain('Persisted Partner');
    expect(await again.signal('SIGTERM')).toBe(0);

    const fresh = await start(['--fresh']);
    expect(await partnerNames(fresh.url)).not.toContain('Persisted Partner');
    expect(await fresh.signal('SIGINT')).toBe(0);
  });

  it('leaves no emulator behind even when the runtime is killed outright', async () => {
    const runtime = await start();
    const children = runtime.descendants();
    expect(children.length).toBeGreaterThanOrEqual(2);
    await runtime.signal('SIGKILL');
    expect(await survivors(children)).toEqual([]);
  });
});
