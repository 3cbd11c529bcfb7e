// What every browser test file needs: the embedded runtime (API + emulators + web/dist) on a
// free port with fresh data, Debian's Chromium through playwright-core, the demo users, and
// pages that sign in through the dev login.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { z } from 'zod';
import { startRuntime } from '#functions/local/runtime';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--headless',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const ROLES = ['marketing', 'partner', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

const devUsersSchema = z.object({
  users: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      role: z.enum(ROLES),
      partnerName: z.string().nullable(),
    }),
  ),
});
export type DevUser = z.infer<typeof devUsersSchema>['users'][number];

export const freePort = (): Promise<number> =>
  new Promise((found, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? found(address.port) : fail(new Error('no port')),
      );
    });
  });

export type OpenedPage = { page: Page; errors: string[]; close: () => Promise<void> };

export type Portal = {
  url: string;
  /** The SES emulator: `GET ${outboxUrl}/store` lists what was sent. */
  outboxUrl: string;
  browser: Browser;
  users: DevUser[];
  /** The first demo user with this role. */
  userFor: (role: Role) => DevUser;
  /** The demo user with this name. */
  user: (name: string) => DevUser;
  /** A dev-issuer token, as the dev login hands out. */
  devToken: (user: DevUser) => Promise<string>;
  /** A fresh browser context (its own sessionStorage) whose page records script errors. */
  openPage: (options?: BrowserContextOptions) => Promise<OpenedPage>;
  signIn: (page: Page, user: DevUser) => Promise<void>;
  stop: () => Promise<void>;
};

export async function startPortal(): Promise<Portal> {
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build:web` first (`npm test` does).');
  }
  await mkdir(ARTIFACTS, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'channelkit-browser-'));
  let runtime: Awaited<ReturnType<typeof startRuntime>> | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => {});
    try {
      await runtime?.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  try {
    runtime = await startRuntime({ port: await freePort(), dataDir, fresh: true, quiet: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const response = await fetch(`${runtime.url}/dev/users`);
    const { users } = devUsersSchema.parse(await response.json());
    const url = runtime.url;
    const started = browser;

    const find = (predicate: (user: DevUser) => boolean, what: string): DevUser => {
      const found = users.find(predicate);
      if (!found) throw new Error(`no demo user ${what}`);
      return found;
    };

    return {
      url,
      outboxUrl: runtime.outboxUrl,
      browser: started,
      users,
      userFor: (role) => find((user) => user.role === role, `with role ${role}`),
      user: (name) => find((user) => user.name === name, `named ${name}`),
      devToken: async (user) => {
        const login = await fetch(`${url}/dev/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: user.id }),
        });
        return z.object({ token: z.string() }).parse(await login.json()).token;
      },
      openPage: async (options = {}) => {
        const context = await started.newContext({ viewport: { width: 1280, height: 800 }, ...options });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        return { page, errors, close: () => context.close() };
      },
      signIn: async (page, user) => {
        await page.goto(`${url}/`);
        await page.waitForURL('**/login');
        await page.locator(`[data-testid="login-user"][data-user-id="${user.id}"]`).click();
        await page.getByTestId('persona-home').waitFor();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export const navLinks = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link');
