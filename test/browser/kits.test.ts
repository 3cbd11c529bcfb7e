// Campaign kits end to end: vendor marketing uploads, reads the report, publishes and retires;
// partners browse the library their tier and region allow and customise a kit with a live preview.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, navLinks, type Portal, ROOT, startPortal } from './harness.ts';

const SAMPLE = join(ROOT, 'campaigns', 'zero-trust-webinar');
const SAMPLE_KITS = ['marketplace-private-offer', 'security-assessment-offer', 'zero-trust-webinar'];
const BROKEN_TEMPLATE = 'email/body.html.hbs';

/** Every file of a kit folder by its path inside the kit. */
async function readKit(folder: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else files.set(relative(folder, full).split(sep).join('/'), new Uint8Array(await readFile(full)));
    }
  };
  await visit(folder);
  return files;
}

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);
const bytesOf = (value: string): Uint8Array => new TextEncoder().encode(value);

function withVersion(files: Map<string, Uint8Array>, version: string): Map<string, Uint8Array> {
  const manifest = JSON.parse(text(files.get('kit.json')));
  return new Map(files).set('kit.json', bytesOf(JSON.stringify({ ...manifest, version }, null, 2)));
}

function zipOf(files: Map<string, Uint8Array>): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(files)));
}

/** 1-based line of the first occurrence of `needle`. */
function lineOf(source: string, needle: string): number {
  return source.slice(0, source.indexOf(needle)).split('\n').length;
}

/** Waits until a preview frame has its document and its images (before a screenshot). */
async function frameReady(page: Page, testId: string): Promise<void> {
  const frame = page.frameLocator(`[data-testid="${testId}"]`);
  await frame.locator('body').waitFor();
  await expect
    .poll(
      () =>
        frame
          .locator('img')
          .evaluateAll((images) =>
            images.every((image) => !(image instanceof HTMLImageElement) || image.complete),
          ),
      { timeout: 10_000 },
    )
    .toBe(true);
}

describe('campaign kits', () => {
  let portal: Portal | undefined;
  let workDir: string | undefined;

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
  };
  /**
   * A full-page capture taken with a viewport as tall as the page: Chromium only paints frames
   * that are on screen, and the sticky header stays at the top.
   */
  const shot = async (page: Page, name: string) => {
    const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
    await page.evaluate(
      () =>
        new Promise((painted) => {
          window.scrollTo(0, 0);
          requestAnimationFrame(() => requestAnimationFrame(painted));
        }),
    );
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
    await page.setViewportSize(viewport);
  };

  beforeAll(async () => {
    portal = await startPortal();
    workDir = await mkdtemp(join(tmpdir(), 'channelkit-kits-'));
  }, 120_000);

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
    await portal?.stop();
  }, 60_000);

  it('lets vendor marketing upload a kit, read its report, publish and retire versions', async () => {
    const { page, errors, close } = await started().openPage();
    try {
      await started().signIn(page, started().userFor('marketing'));
      await navLinks(page).filter({ hasText: 'Kits' }).click();
      await page.waitForURL('**/kits');
      const table = page.getByTestId('kits-table');
      for (const id of SAMPLE_KITS) await table.locator(`tr[data-kit-id="${id}"]`).waitFor();
      expect(await table.locator('tbody tr').count()).toBe(3);
      const sampleRow = table.locator('tr[data-kit-id="zero-trust-webinar"]');
      expect(await sampleRow.getByTestId('published-version').textContent()).toBe('1.0.0');
      await shot(page, 'kits-list.png');

      // A published version is immutable: uploading it again is a 409, shown as problem+json.
      // (Dropped on the zone, as from a file manager.)
      const sample = await readKit(SAMPLE);
      const dropped = await page.evaluateHandle((base64) => {
        const transfer = new DataTransfer();
        const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
        transfer.items.add(new File([bytes], 'zero-trust-webinar.zip', { type: 'application/zip' }));
        return transfer;
      }, zipOf(sample).toString('base64'));
      const dropZone = page.getByTestId('drop-zone');
      await dropZone.dispatchEvent('dragenter', { dataTransfer: dropped });
      expect(await dropZone.getAttribute('class')).toContain('drop-zone-active');
      await dropZone.dispatchEvent('drop', { dataTransfer: dropped });
      const problem = page.getByTestId('kit-upload').getByTestId('problem');
      await problem.waitFor();
      expect(await problem.getAttribute('data-status')).toBe('409');

      // Not a zip at all: the API's 422 carries a report, shown like any other.
      await page.getByTestId('kit-zip-input').setInputFiles({
        name: 'notes.zip',
        mimeType: 'application/zip',
        buffer: Buffer.from('these are not the files you are looking for'),
      });
      await page
        .getByTestId('upload-result')
        .getByRole('heading', { name: 'notes.zip could not be read' })
        .waitFor();
      const unreadable = page.getByTestId('upload-result').getByTestId('report-item');
      expect(await unreadable.textContent()).toContain('archive-unreadable');

      // A new version of a sample kit, picked with the file input: no errors, ready to publish.
      await page.getByTestId('kit-zip-input').setInputFiles({
        name: 'zero-trust-webinar-1.1.0.zip',
        mimeType: 'application/zip',
        buffer: zipOf(withVersion(sample, '1.1.0')),
      });
      const result = page.getByTestId('upload-result');
      await result.getByText('Ready to publish').waitFor();
      const report = result.getByTestId('validation-report');
      expect(await report.getAttribute('data-errors')).toBe('0');
      expect(await result.getByTestId('report-item').count()).toBe(0);
      await result.getByTestId('report-measured').getByText('of Gmail’s 102 KB clipping limit').waitFor();
      await table.locator('tr[data-kit-id="zero-trust-webinar"]').getByText('1.1.0').waitFor();
      await shot(page, 'kits-upload-ready.png');

      // Publish it from the kit's page, after a confirmation.
      await result.getByRole('link', { name: 'Open version 1.1.0' }).click();
      await page.waitForURL(/\/kits\/zero-trust-webinar\?version=1\.1\.0$/);
      const versions = page.getByTestId('versions-table');
      const row = (version: string) => versions.locator(`tr[data-version="${version}"]`);
      await row('1.1.0').waitFor();
      expect(await row('1.1.0').getByTestId('kit-status').getAttribute('data-status')).toBe('draft');
      await row('1.1.0').getByRole('button', { name: 'Publish 1.1.0' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('in place of 1.0.0').waitFor();
      await shot(page, 'kits-publish-confirm.png');
      await dialog.getByRole('button', { name: 'Publish 1.1.0' }).click();
      await page.getByTestId('kit-message').getByText('Published 1.1.0.').waitFor();
      await row('1.1.0').locator('[data-testid="kit-status"][data-status="published"]').waitFor();
      await dialog.waitFor({ state: 'hidden' });
      const view = page.getByTestId('version-view');
      await view.getByTestId('report-verdict').getByText('Published').waitFor();
      expect(await view.getByTestId('mdf-budget').textContent()).toContain('$2,500.00');
      await view.getByTestId('slots-table').getByText('headline').waitFor();
      await view.getByTestId('assets').getByRole('img').first().waitFor();
      // Marketing previews a version with a sample brand, in the same sandboxed frame partners get.
      const frame = view.getByTestId('email-frame');
      await view.locator('[data-testid="preview-status"][data-state="ready"]').waitFor();
      expect(await frame.getAttribute('sandbox')).toBe('');
      expect(await frame.getAttribute('srcdoc')).toContain('Zero Trust in 45 minutes');
      await frameReady(page, 'email-frame');
      await shot(page, 'kits-detail.png');

      // A broken kit, dropped as a folder (zipped in the browser): errors with file and line, no publish.
      if (!workDir) throw new Error('no work folder');
      const brokenDir = join(workDir, 'zero-trust-webinar');
      await cp(SAMPLE, brokenDir, { recursive: true });
      const manifest = JSON.parse(await readFile(join(brokenDir, 'kit.json'), 'utf8'));
      await writeFile(
        join(brokenDir, 'kit.json'),
        JSON.stringify({ ...manifest, version: '1.2.0' }, null, 2),
      );
      const template = (await readFile(join(brokenDir, BROKEN_TEMPLATE), 'utf8')).replace(
        '{{slots.headline}}',
        '{{{slots.headline}}}',
      );
      await writeFile(join(brokenDir, BROKEN_TEMPLATE), template);
      const brokenLine = lineOf(template, '{{{slots.headline}}}');

      await page.getByRole('link', { name: '← All kits' }).click();
      await page.waitForURL('**/kits');
      await page.getByTestId('kit-folder-input').setInputFiles(brokenDir);
      await result.getByText(/^1 error — fix and upload again$/).waitFor();
      const item = result.locator(
        `[data-testid="report-item"][data-file="${BROKEN_TEMPLATE}"][data-line="${brokenLine}"]`,
      );
      await item.waitFor();
      expect(await item.getAttribute('data-severity')).toBe('error');
      expect(await item.textContent()).toContain(`${BROKEN_TEMPLATE}:${brokenLine}:`);
      expect(await item.textContent()).toContain('template-unescaped');
      expect(await result.getByRole('button', { name: 'Publish 1.2.0' }).isDisabled()).toBe(true);
      await table
        .locator('tr[data-kit-id="zero-trust-webinar"]')
        .locator('[data-testid="kit-status"][data-status="draft"]')
        .waitFor();
      await shot(page, 'kits-upload-errors.png');

      // The kit's page says the same; then retire 1.1.0 (the library falls back to 1.0.0).
      await page.goto(`${started().url}/kits/zero-trust-webinar`);
      await row('1.2.0').waitFor();
      expect(await row('1.2.0').getByTestId('version-counts').textContent()).toContain('1 error');
      expect(await row('1.2.0').getByRole('button', { name: 'Publish 1.2.0' }).isDisabled()).toBe(true);
      await view.getByText('A version with validation errors cannot be previewed').waitFor();
      await row('1.1.0').getByRole('button', { name: 'Retire 1.1.0' }).click();
      await dialog.getByRole('button', { name: 'Retire 1.1.0' }).click();
      await page.getByTestId('kit-message').getByText('Retired 1.1.0.').waitFor();
      await row('1.1.0').locator('[data-testid="kit-status"][data-status="retired"]').waitFor();
      expect(await row('1.0.0').getByTestId('kit-status').getAttribute('data-status')).toBe('published');
      await shot(page, 'kits-retired.png');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows auditors the kits without upload, publish or retire', async () => {
    const { page, errors, close } = await started().openPage();
    try {
      await started().signIn(page, started().userFor('auditor'));
      await navLinks(page).filter({ hasText: 'Kits' }).click();
      await page.getByTestId('kits-table').locator('tr[data-kit-id="zero-trust-webinar"]').waitFor();
      expect(await page.getByTestId('kit-upload').count()).toBe(0);
      await page.getByRole('link', { name: /Zero Trust in 45 minutes/ }).click();
      await page.getByTestId('version-view').getByTestId('validation-report').waitFor();
      expect(await page.getByRole('button', { name: /^(Publish|Retire) / }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows partners the kits their tier and region allow, searchable and filtered', async () => {
    const { page, errors, close } = await started().openPage();
    try {
      await started().signIn(page, started().user('Nora Northwind'));
      await navLinks(page).filter({ hasText: 'Library' }).click();
      await page.waitForURL('**/library');
      const grid = page.getByTestId('library-grid');
      const cards = grid.getByTestId('library-card');
      for (const id of SAMPLE_KITS) await grid.locator(`[data-kit-id="${id}"]`).waitFor();
      expect(await cards.count()).toBe(3);
      const webinar = grid.locator('[data-kit-id="zero-trust-webinar"]');
      expect(await webinar.getByTestId('mdf-badge').textContent()).toContain('$2,500.00');
      await grid.locator('[data-kit-id="marketplace-private-offer"]').getByTestId('approval-badge').waitFor();
      await shot(page, 'library-grid.png');

      // The search box narrows the grid (debounced) and lands in the URL.
      await page.getByLabel('Search', { exact: true }).fill('webinar');
      await page.waitForURL(/\/library\?q=webinar$/);
      await page.getByTestId('library-count').getByText('1 kit match').waitFor();
      expect(await cards.count()).toBe(1);
      expect(await cards.first().getAttribute('data-kit-id')).toBe('zero-trust-webinar');

      // Filters come from the facets and are in the URL too.
      await page.getByRole('button', { name: 'Clear search and filters' }).click();
      await page.getByLabel('Objective').selectOption('lead-generation');
      await page.waitForURL(/\/library\?objective=lead-generation$/);
      await page.getByTestId('library-count').getByText('2 kits match').waitFor();
      expect(await grid.locator('[data-kit-id="zero-trust-webinar"]').count()).toBe(0);
      await page.getByLabel('Search', { exact: true }).fill('no kit is called this');
      await page.getByTestId('library-empty').waitFor();
      await shot(page, 'library-empty.png');

      // A link with a query opens the library filtered, the search box filled.
      await page.goto(`${started().url}/library?q=assessment`);
      await page.getByTestId('library-count').getByText('1 kit match').waitFor();
      expect(await page.getByLabel('Search', { exact: true }).inputValue()).toBe('assessment');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }

    // A registered partner in APAC sees only the kit open to every tier and region.
    const other = await started().openPage();
    try {
      await started().signIn(other.page, started().user('Ines Initech'));
      await navLinks(other.page).filter({ hasText: 'Library' }).click();
      const cards = other.page.getByTestId('library-grid').getByTestId('library-card');
      await cards.first().waitFor();
      expect(
        await cards.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-kit-id'))),
      ).toEqual(['security-assessment-offer']);
      await shot(other.page, 'library-registered-apac.png');
      await other.page.goto(`${started().url}/library/zero-trust-webinar`);
      await other.page.getByTestId('library-kit-missing').waitFor();
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('previews a kit with the partner’s brand as the slots are edited', async () => {
    const { page, errors, close } = await started().openPage();
    try {
      await started().signIn(page, started().user('Nora Northwind'));
      await navLinks(page).filter({ hasText: 'Library' }).click();
      await page
        .getByTestId('library-grid')
        .getByRole('link', { name: /Zero Trust in 45 minutes/ })
        .click();
      await page.waitForURL('**/library/zero-trust-webinar');
      const preview = page.getByTestId('kit-preview');
      const status = preview.getByTestId('preview-status');
      const frame = preview.getByTestId('email-frame');
      await preview.locator('[data-testid="preview-status"][data-state="ready"]').waitFor();
      expect(await frame.getAttribute('sandbox')).toBe('');
      expect(await preview.getByTestId('inbox-line').textContent()).toContain('Northwind Networks');
      await page.getByRole('button', { name: 'Launch campaign', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Launch campaign', exact: true }).isEnabled()).toBe(true);
      await frameReady(page, 'email-frame');
      await shot(page, 'library-kit.png');

      const srcdocContains = (needle: string) =>
        page.waitForFunction(
          (wanted) =>
            document
              .querySelector('[data-testid="email-frame"]')
              ?.getAttribute('srcdoc')
              ?.includes(wanted) === true,
          needle,
        );
      const headline = page.getByLabel('Headline');
      const email = page.frameLocator('[data-testid="email-frame"]');

      // Typing re-renders the preview, shown inside the sandboxed frame.
      await headline.fill('Northwind briefing: Zero Trust for regional banks');
      await srcdocContains('Northwind briefing: Zero Trust for regional banks');
      await email
        .getByRole('heading', { name: 'Northwind briefing: Zero Trust for regional banks' })
        .waitFor();
      await page.locator('[data-testid="preview-status"][data-state="ready"]').waitFor();

      // Markup typed into a slot is text, never markup.
      await headline.fill('<b>bold</b> moves to Zero Trust');
      await srcdocContains('&lt;b&gt;bold&lt;/b&gt; moves to Zero Trust');
      const heading = email.getByRole('heading', { level: 1 });
      expect(await heading.textContent()).toBe('<b>bold</b> moves to Zero Trust');
      expect(await email.locator('h1 b').count()).toBe(0);

      // Too short: the API's error shows under the field; the last good preview stays.
      await headline.fill('Short');
      const fieldError = page.locator('[data-testid="slot-error"][data-slot="headline"]');
      await fieldError.waitFor();
      expect(await fieldError.textContent()).toContain('at least 10 characters');
      expect(await headline.getAttribute('aria-invalid')).toBe('true');
      expect(await status.getAttribute('data-state')).toBe('invalid');
      expect(await frame.getAttribute('srcdoc')).toContain('&lt;b&gt;bold&lt;/b&gt; moves to Zero Trust');
      await page.getByTestId('char-counter').first().getByText('5 / 80').waitFor();
      await frameReady(page, 'email-frame');
      await shot(page, 'library-field-error.png');
      await headline.fill('Zero Trust, the Northwind way');
      await fieldError.waitFor({ state: 'detached' });

      // Mobile width, then the other tabs.
      expect(await frame.getAttribute('data-width')).toBe('640');
      await preview.getByRole('button', { name: /^Mobile/ }).click();
      expect(await frame.getAttribute('data-width')).toBe('375');
      expect((await frame.boundingBox())?.width).toBe(375);
      await frameReady(page, 'email-frame');
      await shot(page, 'library-mobile.png');

      await preview.getByRole('tab', { name: 'Plain text' }).click();
      expect(await preview.getByTestId('text-preview').textContent()).toContain(
        'Zero Trust, the Northwind way',
      );
      await preview.getByRole('tab', { name: 'Landing page' }).click();
      const landing = preview.getByTestId('landing-frame');
      expect(await landing.getAttribute('sandbox')).toBe('');
      expect(await landing.getAttribute('data-width')).toBe('375');
      await frameReady(page, 'landing-frame');
      await shot(page, 'library-landing.png');
      await preview.getByRole('tab', { name: 'Landing page' }).press('ArrowRight');
      expect(await preview.getByRole('tab', { name: 'Social posts' }).getAttribute('aria-selected')).toBe(
        'true',
      );
      expect(await preview.getByTestId('social-post').count()).toBe(2);
      await shot(page, 'library-social.png');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('fits the kit page on a phone', async () => {
    const { page, errors, close } = await started().openPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    try {
      await started().signIn(page, started().user('Nora Northwind'));
      await page.goto(`${started().url}/library/security-assessment-offer`);
      await page.locator('[data-testid="preview-status"][data-state="ready"]').waitFor();
      await page.getByRole('button', { name: /^Mobile/ }).click();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await frameReady(page, 'email-frame');
      await shot(page, 'library-phone.png');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
