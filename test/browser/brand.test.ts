// Nora's logo in the portal: she picks a large PNG, the browser downscales it to 600 px wide
// before uploading, the page shows it and the stored asset is the smaller image; a too-small
// image is refused with the API's reason; she drops another one on the zone, saves her profile
// without a conflict, and removes the logo.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARTIFACTS, navLinks, type OpenedPage, type Portal, startPortal } from './harness.ts';

const brandSchema = z.looseObject({ logoUrl: z.string().nullable(), version: z.number() });

/** A wide logo with a transparent background: 1800×600 px, well past what an email shows. */
const largeLogo = () =>
  sharp({ create: { width: 1800, height: 600, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([
      {
        input: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="1800" height="600"><rect x="60" y="60" width="480" height="480" rx="96" fill="#0b5cad"/><rect x="640" y="220" width="1080" height="160" rx="40" fill="#b45309"/></svg>',
        ),
      },
    ])
    .png()
    .toBuffer();

describe('the brand logo in the portal', () => {
  let portal: Portal | undefined;
  let opened: OpenedPage | undefined;
  let token = '';

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
  };
  const page = (): Page => {
    if (!opened) throw new Error('no page');
    return opened.page;
  };
  const storedBrand = async () => {
    const res = await fetch(`${started().url}/api/brand`, { headers: { authorization: `Bearer ${token}` } });
    return brandSchema.parse(await res.json());
  };
  const asset = async (url: string) => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    return { type: res.headers.get('content-type'), bytes, meta: await sharp(bytes).metadata() };
  };

  beforeAll(async () => {
    portal = await startPortal();
    const nora = portal.user('Nora Northwind');
    token = await portal.devToken(nora);
    opened = await portal.openPage();
    await portal.signIn(opened.page, nora);
    await navLinks(opened.page).filter({ hasText: 'Brand' }).click();
    await opened.page.getByTestId('brand-form').waitFor();
  }, 120_000);

  afterAll(async () => {
    await opened?.close();
    await portal?.stop();
  }, 60_000);

  it('downscales a large PNG to 600 px wide before uploading, and shows it', async () => {
    const before = await storedBrand();
    const field = page().getByTestId('brand-logo');
    await field.getByTestId('brand-logo-input').setInputFiles({
      name: 'northwind-logo.png',
      mimeType: 'image/png',
      buffer: await largeLogo(),
    });
    await field.getByTestId('brand-logo-status').filter({ hasText: 'Logo saved' }).waitFor();

    const after = await storedBrand();
    expect(after.version).toBe(before.version + 1);
    expect(after.logoUrl).not.toBe(before.logoUrl);
    expect(after.logoUrl).toMatch(/\/assets\/brands\/northwind\/logo-[0-9a-f]{16}\.(png|webp)$/);
    const preview = field.getByTestId('brand-logo-preview');
    expect(await preview.getAttribute('src')).toBe(after.logoUrl);
    await expect
      .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(600);

    const stored = await asset(after.logoUrl ?? '');
    expect(stored.type).toBe(`image/${stored.meta.format}`);
    expect(stored.meta).toMatchObject({ width: 600, height: 200, hasAlpha: true });
    expect(stored.bytes.byteLength).toBeLessThan(1024 * 1024);
    expect(await field.getByText(/600×200 px/).count()).toBe(1);
    expect(opened?.errors).toEqual([]);
  });

  it('shows the API’s reason when it refuses an image', async () => {
    const before = await storedBrand();
    const field = page().getByTestId('brand-logo');
    const tiny = await sharp({ create: { width: 20, height: 20, channels: 4, background: '#0b5cad' } })
      .png()
      .toBuffer();
    await field
      .getByTestId('brand-logo-input')
      .setInputFiles({ name: 'icon.png', mimeType: 'image/png', buffer: tiny });
    const problem = field.getByTestId('problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-status')).toBe('422');
    expect(await problem.textContent()).toMatch(/20×20 px: a logo must be at least 32 px on each side/);
    expect((await storedBrand()).logoUrl).toBe(before.logoUrl);
  });

  it('takes an image dropped on the zone, then saves the profile without a conflict', async () => {
    const before = await storedBrand();
    const field = page().getByTestId('brand-logo');
    const png = await sharp({ create: { width: 300, height: 120, channels: 4, background: '#116149' } })
      .png()
      .toBuffer();
    const transfer = await page().evaluateHandle(
      (bytes: number[]) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
        return data;
      },
      [...png],
    );
    await field.dispatchEvent('drop', { dataTransfer: transfer });
    await field.getByTestId('brand-logo-status').filter({ hasText: '300×120 px' }).waitFor();
    const dropped = await storedBrand();
    expect(dropped.logoUrl).not.toBe(before.logoUrl);
    expect((await asset(dropped.logoUrl ?? '')).meta).toMatchObject({ width: 300, height: 120 });

    // The form carried on from the logo's version: saving the rest of the profile just works.
    const form = page().getByTestId('brand-form');
    await form.getByLabel('Sender name').fill('Nora from Northwind');
    await form.getByRole('button', { name: 'Save brand profile' }).click();
    await page().getByTestId('brand-saved').waitFor();
    expect(await storedBrand()).toMatchObject({ logoUrl: dropped.logoUrl, version: dropped.version + 1 });
    const height = await page().evaluate(() => document.documentElement.scrollHeight);
    await page().setViewportSize({ width: 1280, height: Math.max(800, height) });
    await page().screenshot({ path: join(ARTIFACTS, 'brand-logo.png'), fullPage: true });
    await page().setViewportSize({ width: 1280, height: 800 });
  });

  it('removes the logo', async () => {
    const field = page().getByTestId('brand-logo');
    await field.getByTestId('brand-logo-remove').click();
    await field.getByTestId('brand-logo-empty').waitFor();
    expect((await storedBrand()).logoUrl).toBeNull();
    expect(opened?.errors).toEqual([]);
  });
});

describe('the partner’s own sending domain in the portal', () => {
  let portal: Portal | undefined;
  let opened: OpenedPage | undefined;
  const page = (): Page => {
    if (!opened) throw new Error('no page');
    return opened.page;
  };

  beforeAll(async () => {
    portal = await startPortal();
    const gus = portal.user('Gus Globex');
    opened = await portal.openPage();
    await portal.signIn(opened.page, gus);
    await navLinks(opened.page).filter({ hasText: 'Brand' }).click();
    await opened.page.getByTestId('sending-domain').waitFor();
  }, 120_000);

  afterAll(async () => {
    await opened?.close();
    await portal?.stop();
  }, 60_000);

  it('adds a domain, shows its DKIM records, waits for verification, then sends from it', async () => {
    const panel = page().getByTestId('sending-domain');
    const add = panel.getByTestId('sending-domain-add');
    await add.getByLabel('Your domain').fill('news.globex-integrations.example');
    await add.getByRole('button', { name: 'Add domain' }).click();

    // Three CNAMEs to add at the DNS host, each name under the domain, each value at amazonses.com.
    const records = panel.getByTestId('dkim-record');
    await records.first().waitFor();
    expect(await records.count()).toBe(3);
    for (const text of await records.allTextContents()) {
      expect(text).toMatch(/\._domainkey\.news\.globex-integrations\.example/);
      expect(text).toMatch(/\.dkim\.amazonses\.com/);
    }
    // Not verified yet: it cannot be chosen, and the page says why.
    expect(await panel.getByTestId('use-for-sending').isDisabled()).toBe(true);
    expect(await panel.getByTestId('use-for-sending-why').textContent()).not.toBe('');

    // The local SES emulator verifies a domain a few seconds after it is added; the panel polls.
    await panel
      .locator('[data-testid="sending-domain-status"][data-status="verified"]')
      .waitFor({ timeout: 30_000 });
    const use = panel.getByTestId('use-for-sending');
    expect(await use.isDisabled()).toBe(false);
    await use.check();
    await panel.getByTestId('sending-domain-choice').getByRole('button').click();
    await panel.getByText('Saved.').waitFor();
    await page().screenshot({ path: join(ARTIFACTS, 'sending-domain.png'), fullPage: true });
    expect(opened?.errors).toEqual([]);
  });
});
