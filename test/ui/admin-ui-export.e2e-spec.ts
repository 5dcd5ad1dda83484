/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ApiProcess } from '../support/api-process';
import { cooperative } from '../support/fixtures';
import { httpClient } from '../support/http';
import { startTestApi, type TestApi } from '../support/test-api';
import { collectPageErrors, launchBrowser, signIn } from './support/browser';

/**
 * The export buttons of the admin UI in a real browser (Debian's Chromium, playwright-core): the
 * list's buttons download the list's matches with its filters, the dashboard's the report workbook.
 */
describe('admin UI export buttons in a real browser', () => {
  let started: TestApi;
  let api: ApiProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const names = ['Hợp tác xã Ánh Dương', 'Hợp tác xã Bình Minh', 'Hợp tác xã Cửu Long'];

  beforeAll(async () => {
    started = await startTestApi('e2e_ui_export');
    api = started.api;
    const http = httpClient(api.baseUrl, { token: api.adminToken });
    for (const name of names) expect((await http.post('/api/organizations', cooperative({ name }))).status).toBe(201);
    // In another province: the list's filter leaves it out of the file.
    expect((await http.post('/api/organizations', cooperative({ name: 'HTX Hà Nội', provinceCode: '01' }))).status).toBe(201);
    // The projector has applied the writes before the browser asks.
    expect((await http.get('/api/organizations?provinceCode=91')).body.items).toHaveLength(3);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await started?.stop();
  });

  async function openAs(token: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, api.baseUrl, token);
    return { page, errors };
  }

  it('downloads the filtered list as CSV (UTF-8 with BOM) from the organizations page', async () => {
    const { page, errors } = await openAs(api.token('analyst'));
    await page.goto(`${api.baseUrl}/#/organizations?provinceCode=91`);
    await page.getByTestId('organization-list').getByText(names[0]).waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^to-chuc-91-\d{4}-\d\d-\d\d\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes, { bom: true }) as string[][];
    expect(records[0].slice(0, 3)).toEqual(['Loại hình', 'Tên', 'Số đăng ký']);
    expect(records.slice(1).map((record) => record[1]).sort()).toEqual([...names].sort());
    await page.getByText(/Đã tải to-chuc-91-/).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  it('downloads the progress report workbook from the dashboard', async () => {
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91`);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByRole('button', { name: 'Tải báo cáo Excel' }).click({ timeout: 30_000 })]);
    expect(download.suggestedFilename()).toMatch(/^bao-cao-tien-do-91-\d{4}-\d\d-\d\d\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Chỉ số', 'Chỉ tiêu', 'Theo tháng']);
    expect(errors).toEqual([]);
  });
});
