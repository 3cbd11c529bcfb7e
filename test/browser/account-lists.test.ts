// Account lists in the portal, on the embedded runtime (its in-process import queue runs the
// same worker as the Lambda): Nora (Northwind) uploads her customers with a bad row, sees the
// row report and the list written, downloads her own file; Maya uploads the vendor's open
// opportunities and sees Northwind's overlap as counts; Gus (Globex) sees only his own row.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, type OpenedPage, type Portal, startPortal } from './harness.ts';

const NORTHWIND_CUSTOMERS =
  'company,website\nAcme,https://www.acme.example\nNo site,\nContoso,contoso.example\n';

describe('account lists in the portal', () => {
  let portal: Portal | undefined;
  const pages: OpenedPage[] = [];

  const started = (): Portal => {
    if (!portal) throw new Error('the runtime did not start');
    return portal;
  };
  const open = async (name: string): Promise<OpenedPage> => {
    const opened = await started().openPage();
    pages.push(opened);
    await started().signIn(opened.page, started().user(name));
    await opened.page.goto(`${started().url}/account-lists`);
    await opened.page.getByTestId('account-list-customer').waitFor();
    return opened;
  };

  beforeAll(async () => {
    portal = await startPortal();
  }, 120_000);

  afterAll(async () => {
    for (const opened of pages) await opened.close();
    await portal?.stop();
  }, 60_000);

  it('takes a partner’s customers, reports the bad row by line, writes the list and gives the file back', async () => {
    const { page, errors } = await open('Nora Northwind');
    const card = page.getByTestId('account-list-customer');
    expect(await card.getByTestId('no-list').textContent()).toContain('No list of current customers');

    await card.getByTestId('account-file-customer').setInputFiles({
      name: 'customers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(NORTHWIND_CUSTOMERS),
    });
    await card.getByRole('button', { name: 'Upload list' }).click();
    const error = card.getByTestId('account-list-error');
    await error.waitFor();
    expect(await error.getAttribute('data-line')).toBe('3');
    await card
      .locator('[data-testid="account-list-summary"][data-status="ready"]')
      .waitFor({ timeout: 20_000 });
    expect(await card.getByTestId('account-list-accounts').textContent()).toBe('2');

    const download = page.waitForEvent('download');
    await card.getByTestId('account-download-customer').click();
    const file = await (await download).path();
    expect(await readFile(file, 'utf8')).toBe(NORTHWIND_CUSTOMERS);
    await page.screenshot({ path: join(ARTIFACTS, 'account-lists-partner.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows marketing each partner’s overlap with the vendor’s lists, as counts only', async () => {
    const { page, errors } = await open('Maya Marketing');
    const card = page.getByTestId('account-list-opportunity');
    await card.getByTestId('account-file-opportunity').setInputFiles({
      name: 'pipeline.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('domain\ncontoso.example\nfabrikam.example\n'),
    });
    await card.getByRole('button', { name: 'Upload list' }).click();
    await card
      .locator('[data-testid="account-list-summary"][data-status="ready"]')
      .waitFor({ timeout: 20_000 });

    // The overlap is recounted in the background once the vendor's list is written.
    const row = page.locator('[data-testid="overlap-row"][data-partner="northwind"]');
    await expect
      .poll(
        async () => {
          await page.reload();
          await row.waitFor();
          return row.textContent();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toContain('1 vendor opportunity');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Northwind Networks');
    expect(text).toContain('2 accounts');
    expect(text).not.toMatch(/acme|contoso/i);
    await page.screenshot({ path: join(ARTIFACTS, 'account-lists-marketing.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows another partner only its own row and none of Northwind’s lists', async () => {
    const { page } = await open('Gus Globex');
    expect(await page.getByTestId('account-list-customer').getByTestId('no-list').count()).toBe(1);
    const rows = page.getByTestId('overlap-row');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-partner')))).toEqual([
      'globex',
    ]);
  });
});
