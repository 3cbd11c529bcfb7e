// The portal end to end: the embedded runtime (API + emulators + web/dist) on a free port,
// Debian's Chromium driven by playwright-core, one journey per persona.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARTIFACTS, type DevUser, navLinks, type Portal, ROLES, type Role, startPortal } from './harness.ts';

const NAV: Record<Role, string[]> = {
  marketing: ['Home', 'Partners', 'Kits', 'Approvals', 'Leads', 'API'],
  // Notifications is the bell at the end of the bar (its text is for screen readers).
  partner: ['Home', 'Library', 'Campaigns', 'Contacts', 'Brand', 'Leads', 'API', 'Notifications'],
  auditor: ['Home', 'Partners', 'Kits', 'API'],
};

describe('portal', () => {
  let portal: Portal | undefined;

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
  };
  const baseUrl = (): string => started().url;
  const userFor = (role: Role): DevUser => started().userFor(role);
  const devToken = (user: DevUser): Promise<string> => started().devToken(user);
  const openPage = () => started().openPage();
  const signIn = (page: Parameters<Portal['signIn']>[0], user: DevUser) => started().signIn(page, user);

  beforeAll(async () => {
    portal = await startPortal();
  }, 120_000);

  afterAll(async () => {
    await portal?.stop();
  }, 60_000);

  for (const role of ROLES) {
    it(`signs in the ${role} demo user, shows their home and navigation, and lists their API capabilities`, async () => {
      const { page, errors, close } = await openPage();
      try {
        const user = userFor(role);
        await signIn(page, user);

        const home = page.getByTestId('persona-home');
        expect(await home.getAttribute('data-role')).toBe(role);
        expect(await page.getByTestId('user-name').textContent()).toBe(user.name);
        const links = await navLinks(page).allTextContents();
        expect(links).toEqual(NAV[role]);
        if (role === 'marketing') await page.getByTestId('partner-count').waitFor();
        if (role === 'partner') await page.getByTestId('partner-profile').waitFor();
        if (role === 'auditor')
          await page.getByRole('heading', { name: 'No claims under review yet' }).waitFor();
        await page.screenshot({ path: join(ARTIFACTS, `${role}.png`), fullPage: true });

        await navLinks(page).filter({ hasText: 'API' }).click();
        await page.waitForURL('**/capabilities');
        await page.getByTestId('capability').first().waitFor();
        expect(await page.getByTestId('capability').count()).toBeGreaterThan(0);
        expect(await page.getByRole('link', { name: 'Open API reference' }).getAttribute('href')).toBe(
          '/docs',
        );
        await page.screenshot({ path: join(ARTIFACTS, `${role}-api.png`), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('shows a partner user their own partner and keeps the Partners page from them', async () => {
    const { page, errors, close } = await openPage();
    try {
      const user = userFor('partner');
      if (!user.partnerName) throw new Error('the demo partner user has no partner');
      await signIn(page, user);

      expect(await page.getByTestId('user-partner').textContent()).toBe(user.partnerName);
      expect(await page.getByTestId('partner-profile').getByRole('heading').textContent()).toBe(
        user.partnerName,
      );
      expect(await navLinks(page).filter({ hasText: 'Partners' }).count()).toBe(0);

      await page.goto(`${baseUrl()}/partners`);
      await page.getByTestId('forbidden').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('lets vendor marketing create a partner, showing the API field errors first', async () => {
    const { page, errors, close } = await openPage();
    try {
      await signIn(page, userFor('marketing'));
      await navLinks(page).filter({ hasText: 'Partners' }).click();
      const table = page.getByTestId('partners-table');
      await table.waitFor();
      for (const name of ['Northwind Networks', 'Globex Integrations', 'Initech Cloud']) {
        await table.getByRole('rowheader', { name }).waitFor();
      }

      await page.getByRole('button', { name: 'Add partner' }).click();
      await page.getByRole('button', { name: 'Create partner' }).click();
      const nameError = page.locator('.field-error').first();
      await nameError.waitFor();
      expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
      await page.getByTestId('problem').getByText('Request ID').waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'marketing-partner-form.png'), fullPage: true });

      await page.getByLabel('Name').fill('Hooli Partners');
      await page.getByLabel('Tier').selectOption('platinum');
      await page.getByLabel('Region').selectOption('LATAM');
      await page.getByRole('button', { name: 'Create partner' }).click();
      await page.getByRole('status').getByText('Partner “Hooli Partners” created.').waitFor();
      await table.getByRole('rowheader', { name: 'Hooli Partners' }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'marketing-partners.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('edits a partner with If-Match and explains a conflicting edit', async () => {
    const { page, errors, close } = await openPage();
    try {
      await signIn(page, userFor('marketing'));
      await navLinks(page).filter({ hasText: 'Partners' }).click();
      const table = page.getByTestId('partners-table');
      await table.getByRole('rowheader', { name: 'Globex Integrations' }).waitFor();

      await page.getByRole('button', { name: 'Edit Globex Integrations' }).click();
      await page.getByLabel('Tier').selectOption('gold');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('status').getByText('Partner “Globex Integrations” updated.').waitFor();
      const row = table.getByRole('row').filter({ hasText: 'Globex Integrations' });
      await row.getByText('gold').waitFor();

      // Someone else changes the partner while this form is open: the API refuses the stale version.
      await page.getByRole('button', { name: 'Edit Globex Integrations' }).click();
      const token = await page.evaluate(() => window.sessionStorage.getItem('channelkit.session'));
      const { token: bearer } = z.object({ token: z.string() }).parse(JSON.parse(token ?? 'null'));
      const current = await fetch(`${baseUrl()}/api/partners/globex`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      const concurrent = await fetch(`${baseUrl()}/api/partners/globex`, {
        method: 'PATCH',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${bearer}`,
          'if-match': current.headers.get('etag') ?? '',
        },
        body: JSON.stringify({ region: 'APAC' }),
      });
      expect(concurrent.status).toBe(200);
      await page.getByLabel('Name').fill('Globex Integrations Ltd');
      await page.getByRole('button', { name: 'Save changes' }).click();
      const problem = page.getByTestId('problem');
      await problem.waitFor();
      expect(await problem.getAttribute('data-status')).toBe('412');
      await page.screenshot({ path: join(ARTIFACTS, 'marketing-conflict.png'), fullPage: true });

      await page.getByRole('button', { name: 'Load the latest version' }).click();
      await page.getByTestId('problem').waitFor({ state: 'detached' });
      expect(await page.getByLabel('Region').inputValue()).toBe('APAC');
      expect(await page.getByLabel('Name').inputValue()).toBe('Globex Integrations Ltd');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('status').getByText('Partner “Globex Integrations Ltd” updated.').waitFor();
      const renamed = table.getByRole('row').filter({ hasText: 'Globex Integrations Ltd' });
      await renamed.getByText('APAC').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('says so when the API cannot be reached, and recovers on retry', async () => {
    const { page, close } = await openPage();
    try {
      await signIn(page, userFor('auditor'));
      await page.route('**/api/partners?*', (route) => route.abort('connectionrefused'));
      await navLinks(page).filter({ hasText: 'Partners' }).click();
      await page.getByTestId('error-network').waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'auditor-network-error.png'), fullPage: true });

      await page.unroute('**/api/partners?*');
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByTestId('partners-table').waitFor();
    } finally {
      await close();
    }
  });

  it('pages through partners with the API cursor', async () => {
    const token = await devToken(userFor('marketing'));
    for (let n = 1; n <= 20; n += 1) {
      const created = await fetch(`${baseUrl()}/api/partners`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          name: `Paging Partner ${String(n).padStart(2, '0')}`,
          tier: 'silver',
          region: 'NA',
        }),
      });
      expect(created.status).toBe(201);
    }

    const { page, errors, close } = await openPage();
    try {
      await signIn(page, userFor('marketing'));
      await navLinks(page).filter({ hasText: 'Partners' }).click();
      const rows = page.getByTestId('partners-table').locator('tbody tr');
      await rows.first().waitFor();
      const firstPage = await rows.count();
      expect(firstPage).toBe(20);
      const firstName = await rows.first().getByRole('rowheader').textContent();

      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText('Page 2', { exact: true }).waitFor();
      await rows.first().waitFor();
      expect(await rows.count()).toBeGreaterThan(0);
      expect(await rows.first().getByRole('rowheader').textContent()).not.toBe(firstName);

      await page.getByRole('button', { name: 'Previous' }).click();
      await page.getByText('Page 1', { exact: true }).waitFor();
      await rows.nth(19).waitFor();
      expect(await rows.first().getByRole('rowheader').textContent()).toBe(firstName);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('fits a phone screen', async () => {
    const { page, close } = await started().openPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    try {
      await signIn(page, userFor('partner'));
      await page.getByTestId('partner-profile').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const clipped = await page.evaluate(
        () =>
          [...document.querySelectorAll('header *')].filter((element) => {
            const box = element.getBoundingClientRect();
            return box.width > 1 && (box.left < 0 || box.right > window.innerWidth);
          }).length,
      );
      expect(clipped).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, 'partner-mobile.png'), fullPage: true });
    } finally {
      await close();
    }
  });

  it('lets an auditor read partners without offering to change them', async () => {
    const { page, close } = await openPage();
    try {
      await signIn(page, userFor('auditor'));
      await navLinks(page).filter({ hasText: 'Partners' }).click();
      await page.getByTestId('partners-table').waitFor();
      expect(await page.getByRole('button', { name: 'Add partner' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Edit / }).count()).toBe(0);
    } finally {
      await close();
    }
  });

  it('signs in through the Cognito hosted UI with PKCE and signs out there too', async () => {
    // Cognito itself is simulated at the network layer; its id_token is a dev-issuer token the API accepts.
    const idp = 'https://channelkit-test.auth.eu-west-1.amazoncognito.com';
    const idToken = await devToken(userFor('partner'));
    let authorize: URL | undefined;
    let tokenRequest: URLSearchParams | undefined;
    let logout: URL | undefined;
    const { page, errors, close } = await openPage();
    try {
      await page.route('**/config.json', (route) =>
        route.fulfill({
          json: { auth: { mode: 'cognito', domain: idp, clientId: 'portal-client', region: 'eu-west-1' } },
        }),
      );
      await page.route(`${idp}/oauth2/authorize?*`, (route) => {
        authorize = new URL(route.request().url());
        const back = new URL(authorize.searchParams.get('redirect_uri') ?? '');
        back.search = new URLSearchParams({
          code: 'one-time-code',
          state: authorize.searchParams.get('state') ?? '',
        }).toString();
        return route.fulfill({ status: 302, headers: { location: back.toString() } });
      });
      await page.route(`${idp}/oauth2/token`, (route) => {
        tokenRequest = new URLSearchParams(route.request().postData() ?? '');
        return route.fulfill({
          headers: { 'access-control-allow-origin': '*' },
          json: { id_token: idToken, access_token: 'unused', expires_in: 3600, token_type: 'Bearer' },
        });
      });
      await page.route(`${idp}/logout?*`, (route) => {
        logout = new URL(route.request().url());
        return route.fulfill({
          status: 302,
          headers: { location: logout.searchParams.get('logout_uri') ?? '' },
        });
      });

      await page.goto(`${baseUrl()}/`);
      await page.waitForURL('**/login');
      await page.getByRole('button', { name: 'Continue to sign in' }).click();
      await page.getByTestId('persona-home').waitFor();
      expect(await page.getByTestId('persona-home').getAttribute('data-role')).toBe('partner');
      expect(new URL(page.url()).pathname).toBe('/');

      expect(authorize?.searchParams.get('response_type')).toBe('code');
      expect(authorize?.searchParams.get('client_id')).toBe('portal-client');
      expect(authorize?.searchParams.get('redirect_uri')).toBe(`${baseUrl()}/auth/callback`);
      expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
      expect(tokenRequest?.get('grant_type')).toBe('authorization_code');
      expect(tokenRequest?.get('code')).toBe('one-time-code');
      expect(tokenRequest?.get('redirect_uri')).toBe(`${baseUrl()}/auth/callback`);
      const verifier = tokenRequest?.get('code_verifier') ?? '';
      expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
        authorize?.searchParams.get('code_challenge'),
      );

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/login');
      expect(logout?.searchParams.get('client_id')).toBe('portal-client');
      expect(logout?.searchParams.get('logout_uri')).toBe(`${baseUrl()}/`);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('can be driven with the keyboard alone', async () => {
    const { page, close } = await openPage();
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element ? `${element.tagName.toLowerCase()}:${element.textContent?.trim() ?? ''}` : '';
      });
    try {
      await page.goto(`${baseUrl()}/`);
      await page.getByTestId('login-user').first().waitFor();
      await page.keyboard.press('Tab');
      expect(await focused()).toContain(userFor('marketing').name);
      await page.keyboard.press('Enter');
      await page.getByTestId('persona-home').waitFor();

      await page.keyboard.press('Tab');
      expect(await focused()).toBe('a:Skip to main content');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('a:Partners');
      await page.keyboard.press('Enter');
      await page.waitForURL('**/partners');
      await page.getByTestId('partners-table').waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    } finally {
      await close();
    }
  });

  it('shows a not-found page for an unknown path', async () => {
    const { page, close } = await openPage();
    try {
      await signIn(page, userFor('marketing'));
      await page.goto(`${baseUrl()}/no/such/page`);
      await page.getByTestId('not-found').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
      await page.getByRole('banner').waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'not-found.png'), fullPage: true });
    } finally {
      await close();
    }
  });

  it('returns to the login page on sign out, and stays signed out', async () => {
    const { page, close } = await openPage();
    try {
      await signIn(page, userFor('auditor'));
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/login');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByTestId('login-user').first().waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'login.png'), fullPage: true });

      await page.goto(`${baseUrl()}/partners`);
      await page.waitForURL('**/login');
      await page.getByTestId('login-user').first().waitFor();
    } finally {
      await close();
    }
  });

  it('sends a user whose token the API rejects back to login with a notice', async () => {
    const { page, close } = await openPage();
    try {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      await page.addInitScript(
        (session) => {
          window.sessionStorage.setItem('channelkit.session', session);
        },
        JSON.stringify({ token: 'not-a-valid-token', expiresAt }),
      );
      await page.goto(`${baseUrl()}/partners`);
      await page.waitForURL('**/login');
      await page.getByText('Your session has ended. Please sign in again.').waitFor();
    } finally {
      await close();
    }
  });

  it('serves the vendored API reference script for /docs', async () => {
    const response = await fetch(`${baseUrl()}/vendor/scalar-api-reference.js`);
    expect(response.status).toBe(200);
    expect((await response.text()).length).toBeGreaterThan(100_000);
  });
});
