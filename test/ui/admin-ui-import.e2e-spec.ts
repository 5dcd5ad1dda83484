/// <reference lib="dom" />
// page.waitForFunction runs its function in the browser.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ApiProcess } from '../support/api-process';
import { cooperative, freshRegistrationNumber } from '../support/fixtures';
import { httpClient } from '../support/http';
import { eventCount, startTestApi, type TestApi } from '../support/test-api';
import { collectPageErrors, launchBrowser, screenshotPath, signIn } from './support/browser';

/** The template's headers as issue 17 writes them (not read from the code under test). */
const HEADERS = ['Loại hình', 'Tên', 'Số đăng ký', 'Mã tỉnh', 'Mã tỉnh cũ', 'Lĩnh vực', 'Ngày đăng ký', 'Số thành viên', 'Xếp loại', 'Năm xếp loại', 'Ngày xếp loại', 'Tình trạng', 'Ngày tình trạng'];

/** A workbook built here with exceljs, as a province's own spreadsheet would be. */
async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Danh sách');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * The import page of the admin UI in a real browser (Debian's Chromium, playwright-core, issue 17):
 * a registrar chooses a workbook with one bad row, reads the dry run's report by row and column
 * (nothing written yet), confirms, and the dashboard's cooperatives count grows by the good rows.
 */
describe('admin UI import page in a real browser', () => {
  let started: TestApi;
  let api: ApiProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const recorded = freshRegistrationNumber('HTX');

  beforeAll(async () => {
    started = await startTestApi('e2e_ui_import');
    api = started.api;
    const http = httpClient(api.baseUrl, { token: api.adminToken });
    // Recorded before the import, with 12 members: the file says 20 (a difference, not a change).
    expect((await http.post('/api/organizations', cooperative({ name: 'Hợp tác xã Hòn Đất', registrationNumber: recorded, memberCount: 12 }))).status).toBe(201);
    expect((await http.get('/api/organizations?provinceCode=91')).body.items).toHaveLength(1);
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

  /** The dashboard's cooperatives count once it has settled (the first answer may be replaced). */
  async function cooperativesOnDashboard(page: Page, expected?: number): Promise<number> {
    const metric = page.getByTestId('metric-cooperatives');
    await metric.waitFor({ timeout: 20_000 });
    let previous = '';
    for (let attempt = 0; attempt < 80; attempt++) {
      const text = (await metric.innerText()).trim();
      const value = Number(text.replace(/\D/g, ''));
      if (/\d/.test(text) && (expected === undefined ? text === previous : value === expected)) return value;
      previous = text;
      await page.waitForTimeout(250);
    }
    throw new Error(`the dashboard shows ${previous} cooperatives${expected === undefined ? '' : `, not ${expected}`}`);
  }

  it('lets a registrar upload a workbook, see its bad row by row and column in a dry run, confirm, and the dashboard counts move', async () => {
    const { page, errors } = await openAs(api.token('registrar', ['91'], 'so-kh-dt-kien-giang'));
    await page.goto(`${api.baseUrl}/#/?province=91`);
    const before = await cooperativesOnDashboard(page);
    expect(before).toBe(1);

    const file = await workbook([
      HEADERS,
      ['Hợp tác xã', 'Hợp tác xã Tân Hiệp Nhập', freshRegistrationNumber('HTX'), '91', '', 'Nông nghiệp', '15/03/2020', 12, 'Tốt', 2024, '20/12/2024', 'Đang hoạt động', ''],
      // A spreadsheet date cell, not text.
      ['Hợp tác xã', 'Hợp tác xã Thủy sản Rạch Giá', freshRegistrationNumber('HTX'), '91', '', 'Thủy sản', new Date(Date.UTC(2021, 0, 4)), 9, '', '', '', '', ''],
      // The bad row (spreadsheet row 4): fewer members than a cooperative's minimum of 5.
      ['Hợp tác xã', 'Hợp tác xã thiếu thành viên', freshRegistrationNumber('HTX'), '91', '', 'Nông nghiệp', '01/06/2022', 3, '', '', '', '', ''],
      // Already recorded with 12 members.
      ['Hợp tác xã', 'Hợp tác xã Hòn Đất', recorded, '91', '', 'Nông nghiệp', '01/03/2020', 20, '', '', '', '', ''],
    ]);

    await page.getByRole('navigation').getByRole('link', { name: 'Nhập từ tệp' }).click();
    await page.getByRole('heading', { name: 'Nhập danh sách từ tệp' }).waitFor();
    const eventsBefore = await eventCount(started.pool);
    await page.getByLabel('chọn tệp trên máy').setInputFiles({ name: 'Danh sách HTX 2024.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });

    // The dry run's report, by row: nothing is written yet.
    const dry = page.getByTestId('import-dry-run');
    await dry.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-file').innerText()).toMatch(/^Tệp: Danh sách HTX 2024\.xlsx \(\d+(,\d)? KB\)$/);
    expect(await dry.getByTestId('import-count-rows').innerText()).toBe('4');
    expect(await dry.getByTestId('import-count-created').innerText()).toBe('2');
    expect(await dry.getByTestId('import-count-unchanged').innerText()).toBe('0');
    expect(await dry.getByTestId('import-count-refused').innerText()).toBe('1');
    const refused = dry.getByTestId('import-refused').locator('tbody tr');
    expect(await refused.count()).toBe(1);
    const cells = await refused.first().locator('td').allInnerTexts();
    expect(cells[0]).toBe('4');
    expect(cells[1]).toBe('Số thành viên');
    expect(cells[2]).toContain('Số thành viên dưới mức tối thiểu');
    expect(cells[3]).toBe('BELOW_MINIMUM_MEMBERS');
    expect(await dry.getByTestId('import-differences').locator('tbody tr').first().locator('td').allInnerTexts()).toEqual(['5', 'Số thành viên', '12', '20']);
    expect(await eventCount(started.pool)).toBe(eventsBefore);
    await page.screenshot({ path: screenshotPath('import'), fullPage: true });

    // The report by row, to keep beside the spreadsheet while correcting it.
    const [download] = await Promise.all([page.waitForEvent('download'), dry.getByRole('button', { name: 'Tải báo cáo theo dòng (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('Danh sách HTX 2024-bao-cao.csv');
    const records = parse(readFileSync((await download.path())!), { bom: true }) as string[][];
    expect(records.map((record) => record.slice(0, 4))).toEqual([
      ['Loại', 'Dòng', 'Cột', 'Mã lỗi'],
      ['Từ chối', '4', 'Số thành viên', 'BELOW_MINIMUM_MEMBERS'],
      ['Khác biệt', '5', 'Số thành viên', ''],
    ]);
    expect(records[2].slice(5)).toEqual(['12', '20']);

    // The same report in English, by the refusal's code.
    await page.getByRole('button', { name: 'English' }).click();
    expect(await refused.first().locator('td').nth(2).innerText()).toContain('Fewer members than the minimum');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();

    await page.getByRole('button', { name: 'Xác nhận nhập' }).click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getByRole('status').innerText()).toBe('Đã nhập Danh sách HTX 2024.xlsx: 2 tổ chức mới, 0 đã có không đổi, 1 dòng bị từ chối.');
    expect(await result.getByTestId('import-count-created').innerText()).toBe('2');
    expect(await result.getByTestId('import-refused').locator('tbody tr td').first().innerText()).toBe('4');

    // The dashboard counts the two good rows (the bad one and the recorded one add nothing).
    await result.getByRole('link', { name: 'Xem tiến độ tỉnh' }).click();
    expect(await cooperativesOnDashboard(page, before + 2)).toBe(before + 2);
    expect(errors).toEqual([]);
  });

  it('records the differences of a recorded organization only when asked, as a change effective on the date given', async () => {
    const http = httpClient(api.baseUrl, { token: api.adminToken });
    const number = freshRegistrationNumber('HTX');
    const created = await http.post('/api/organizations', cooperative({ name: 'Hợp tác xã Giồng Riềng', registrationNumber: number, memberCount: 12 }));
    expect(created.status).toBe(201);
    const { page, errors } = await openAs(api.token('registrar', ['91'], 'so-kh-dt-kien-giang'));
    await page.goto(`${api.baseUrl}/#/imports`);
    const file = await workbook([HEADERS, ['Hợp tác xã', 'Hợp tác xã Giồng Riềng', number, '91', '', 'Nông nghiệp', '01/03/2020', 30, '', '', '', '', '']]);
    await page.getByLabel('chọn tệp trên máy').setInputFiles({ name: 'so-thanh-vien.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });

    const dry = page.getByTestId('import-dry-run');
    await dry.waitFor({ timeout: 30_000 });
    expect(await dry.getByTestId('import-differences').locator('tbody tr td').allInnerTexts()).toEqual(['2', 'Số thành viên', '12', '30']);
    // Nothing new to register, and the differences not asked for: nothing to confirm.
    const confirm = page.getByRole('button', { name: 'Xác nhận nhập' });
    expect(await confirm.isDisabled()).toBe(true);
    expect(await page.getByTestId('import-confirm-hint').innerText()).toContain('Không có gì để nhập');

    await page.getByLabel('Ghi nhận các khác biệt thành thay đổi có hiệu lực từ ngày').check();
    expect(await confirm.isDisabled()).toBe(false);
    // Without the date the page asks for it and sends nothing.
    await confirm.click();
    await page.getByText('Chọn ngày có hiệu lực của các thay đổi.').waitFor();
    expect(await page.getByTestId('import-result').count()).toBe(0);
    await page.getByLabel('Ngày có hiệu lực').fill('01/06/2024');
    await confirm.click();

    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getByTestId('import-count-changed').innerText()).toBe('1');
    // The page's own reads carry the import's position; this direct read waits for the projector instead
    // (under a loaded CI run it once read the row before the change was projected).
    let organization = await http.get(`/api/organizations/${created.body.id}?asOf=2024-06-01`);
    for (let waited = 0; organization.body.memberCount !== 30 && waited < 20_000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      organization = await http.get(`/api/organizations/${created.body.id}?asOf=2024-06-01`);
    }
    expect(organization.body.memberCount).toBe(30);
    expect((await http.get(`/api/organizations/${created.body.id}?asOf=2024-05-31`)).body.memberCount).toBe(12);
    expect(errors).toEqual([]);
  });

  it('shows the bytes sent while a file goes up, with its name and size, for the dry run and for the confirmed import', async () => {
    const { page, errors } = await openAs(api.token('registrar', ['91'], 'so-kh-dt-kien-giang'));
    await page.goto(`${api.baseUrl}/#/imports`);
    // A slow line (about 64 KB/s up) and a file of some 400 KB: several seconds of upload to watch.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 1024 * 1024, uploadThroughput: 64 * 1024 });
    const rows = Array.from({ length: 4000 }, (_, index) => ['Tổ hợp tác', `Tổ hợp tác rau sạch số ${index} ${'x'.repeat(40)}`, freshRegistrationNumber('THT'), '91', '', 'Nông nghiệp', '15/03/2020', 4, '', '', '', '', '']);
    const csv = [HEADERS, ...rows].map((row) => row.join(',')).join('\n');
    await page.getByLabel('chọn tệp trên máy').setInputFiles({ name: 'lon.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

    const progress = page.getByTestId('import-progress');
    await progress.waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid="import-progress"] progress');
      return bar !== null && bar.hasAttribute('value') && bar.value > 0 && bar.value < 1;
    }, undefined, { timeout: 20_000 });
    expect(await progress.getByRole('status').innerText()).toMatch(/^Đang gửi tệp lon\.csv \(\d+ KB\): \d+\s?%$/);
    // While it goes up, the file cannot be swapped for another.
    expect(await page.getByLabel('chọn tệp trên máy').isDisabled()).toBe(true);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.getByTestId('import-dry-run').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-count-created').innerText()).toBe('4.000');
    expect(await progress.count()).toBe(0);

    // Confirmed, the file goes up again: the progress shows by the Confirm button, which waits.
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 1024 * 1024, uploadThroughput: 64 * 1024 });
    const confirm = page.getByRole('button', { name: 'Xác nhận nhập' });
    await confirm.click();
    await page.getByTestId('import-dry-run').getByTestId('import-progress').waitFor({ timeout: 10_000 });
    expect(await confirm.isDisabled()).toBe(true);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.getByTestId('import-count-created').innerText()).toBe('4.000');
    expect(errors).toEqual([]);
  });

  it('names the missing column of a file refused as a whole, in the user\'s language, and writes nothing', async () => {
    const { page, errors } = await openAs(api.token('registrar', ['91'], 'so-kh-dt-kien-giang'));
    await page.goto(`${api.baseUrl}/#/imports`);
    const eventsBefore = await eventCount(started.pool);
    const csv = `${HEADERS.filter((header) => header !== 'Số đăng ký').join(',')}\nHợp tác xã,HTX Không Số,91,,Nông nghiệp,15/03/2020,12,,,,,\n`;
    // Dropped on the page this time, as a file dragged from the desktop.
    const dropped = await page.evaluateHandle((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'thieu-cot.csv', { type: 'text/csv' }));
      return transfer;
    }, [...Buffer.from(csv, 'utf8')]);
    await page.getByTestId('import-drop').dispatchEvent('drop', { dataTransfer: dropped });
    const refusal = page.getByTestId('import-file-refused');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-file').innerText()).toMatch(/^Tệp: thieu-cot\.csv \(\d+ B\)$/);
    const text = await refusal.innerText();
    expect(text).toContain('Tệp thiếu cột bắt buộc');
    expect(text).toContain('Số đăng ký');
    expect(text).toContain('Không có dòng nào của tệp được ghi.');
    expect(await page.getByTestId('import-dry-run').count()).toBe(0);
    expect(await eventCount(started.pool)).toBe(eventsBefore);
    // A refused upload is a 400 the browser logs as a failed resource; nothing else went wrong.
    expect(errors.filter((error) => !/Failed to load resource: the server responded with a status of 400/.test(error))).toEqual([]);
  });

  it('downloads the empty template from the page: the header row a registrar fills in', async () => {
    const { page, errors } = await openAs(api.token('registrar', ['91'], 'so-kh-dt-kien-giang'));
    await page.goto(`${api.baseUrl}/#/imports`);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.getByRole('button', { name: 'Tải tệp mẫu trống (.xlsx)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await download.path())!) as unknown as ExcelJS.Buffer);
    const headers = (book.worksheets[0].getRow(1).values as unknown[]).filter((value) => typeof value === 'string');
    expect(headers).toEqual(expect.arrayContaining(HEADERS));
    expect(errors).toEqual([]);
  });

  it('fits a 375 px wide screen with a report on it and labels every control', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'vi-VN' });
    contexts.push(context);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, api.baseUrl, api.token('registrar', ['91'], 'so-kh-dt-kien-giang'));
    await page.goto(`${api.baseUrl}/#/imports`);
    const file = await workbook([
      HEADERS,
      ['Hợp tác xã', 'Hợp tác xã Vĩnh Hòa Hưng Nam', freshRegistrationNumber('HTX'), '91', '', 'Lĩnh vực không có', '15/03/2020', 12, '', '', '', '', ''],
      ['Hợp tác xã', 'Hợp tác xã Vĩnh Hòa Hưng Bắc', recorded, '91', '', 'Nông nghiệp', '01/03/2020', 25, '', '', '', '', ''],
    ]);
    await page.getByLabel('chọn tệp trên máy').setInputFiles({ name: 'mot-ten-tep-rat-dai-cua-so-ke-hoach-dau-tu-tinh-kien-giang-2024.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await page.getByTestId('import-differences').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-refused').locator('tbody tr td').nth(1).innerText()).toBe('Lĩnh vực');
    // The report took the focus, so the keyboard goes on from it.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Kết quả chạy thử (chưa ghi gì)');
    await page.getByLabel('Ghi nhận các khác biệt thành thay đổi có hiệu lực từ ngày').check();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1 ? 'none' : `${overflow}px`).toBe('none');
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, textarea'))
        .filter((element) => {
          const id = element.id;
          const byFor = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`) : null;
          return !byFor && !element.closest('label') && !element.getAttribute('aria-label') && !element.getAttribute('aria-labelledby');
        })
        .map((element) => element.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('offers an analyst no import link, and the page says the role may not import', async () => {
    const { page } = await openAs(api.token('analyst'));
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Nhập từ tệp' }).count()).toBe(0);
    await page.goto(`${api.baseUrl}/#/imports`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('Vai trò của bạn không được nhập dữ liệu');
    expect(await page.locator('input[type=file]').count()).toBe(0);
  });
});
