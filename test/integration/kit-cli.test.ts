import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#functions/local/free-port';
import { CAMPAIGNS } from '#test/support/kit-fixtures';
import { startTestApi, type TestApi } from '#test/support/test-api';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'ck-kit-cli-'));
let api: TestApi;
let server: ReturnType<typeof serve>;
let url: string;

beforeAll(async () => {
  api = await startTestApi();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = serve({ port, hostname: '127.0.0.1', fetch: api.app.fetch });
});
afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** `npm run kit -- …` as an author runs it: the CLI on this Node through tsx. */
const kit = async (...args: string[]) => {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'functions/kits/cli/kit.ts', ...args]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
};

describe('npm run kit', () => {
  it('validate: exits 0 for the sample kits', async () => {
    const result = await kit(
      'validate',
      join(CAMPAIGNS, 'zero-trust-webinar'),
      join(CAMPAIGNS, 'security-assessment-offer'),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/zero-trust-webinar: valid/);
  });

  it('validate: exits 1 and prints file:line for a broken kit', async () => {
    const broken = join(scratch, 'broken');
    cpSync(join(CAMPAIGNS, 'zero-trust-webinar'), broken, { recursive: true });
    const html = join(broken, 'email', 'body.html.hbs');
    writeFileSync(html, readFileSync(html, 'utf8').replace('<body', '<script>x()</script>\n<body'));
    const result = await kit('validate', broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^email\/body\.html\.hbs:\d+:\d+ {2}error {2}email-unsafe-tag/m);
    expect(result.stdout).toMatch(/cannot be published/);
  });

  it('push --publish: uploads a kit folder to a running instance with a token and publishes it', async () => {
    const token = await api.token('marketing');
    const result = await kit(
      'push',
      join(CAMPAIGNS, 'security-assessment-offer'),
      '--url',
      url,
      '--token',
      token,
      '--publish',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('publish: 200');
    const library = await (await api.request('/api/library', { as: 'u-initech-1' })).json();
    expect(library.items.map((k: { id: string }) => k.id)).toEqual(['security-assessment-offer']);
  });

  it('push: fails with a partner’s token', async () => {
    const result = await kit(
      'push',
      join(CAMPAIGNS, 'zero-trust-webinar'),
      '--url',
      url,
      '--token',
      await api.token('partner'),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('/problems/forbidden');
  });
});
