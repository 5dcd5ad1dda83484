/// <reference lib="dom" />
// page.evaluate and waitForFunction run their functions in the browser.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from '../support/api-process';
import { collectPageErrors, launchBrowser, screenshotPath, signIn } from './support/browser';

/**
 * The admin UI on the map of provinces through time (domain.md, "Administrative units": 63 provinces
 * before 1 July 2025, 34 from then on; 91 is Kiên Giang before and An Giang, former An Giang 89 plus
 * former Kiên Giang 91, after), in a real browser against the built api on the embedded PostgreSQL.
 * The organizations are registered over HTTP by the test itself: one in 89 and one in 91 before the
 * merger, one in each former territory of the merged 91 after it.
 */
describe('admin UI on the 2025 map of provinces', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const ids: Record<'anGiang2020' | 'kienGiang2021' | 'formerKienGiang2025' | 'formerAnGiang2025', string> = {
    anGiang2020: '',
    kienGiang2021: '',
    formerKienGiang2025: '',
    formerAnGiang2025: '',
  };

  beforeAll(async () => {
    database = await createTestDatabase('e2e_ui_map');
    api = await startApi({ DATABASE_URL: database.url });
    browser = await launchBrowser();
    const register = async (key: keyof typeof ids, body: Record<string, unknown>) => {
      const answer = await command('/api/organizations', { kind: 'cooperative', sector: 'agriculture', memberCount: 9, ...body });
      expect({ key, status: answer.status }).toEqual({ key, status: 201 });
      ids[key] = (await answer.json()).id;
    };
    await register('anGiang2020', { name: 'Hợp tác xã Long Xuyên', registrationNumber: 'MAP-AG-2020', provinceCode: '89', registeredOn: '2020-05-10' });
    await register('kienGiang2021', { name: 'Hợp tác xã Giồng Riềng', registrationNumber: 'MAP-KG-2021', provinceCode: '91', registeredOn: '2021-03-15' });
    await register('formerKienGiang2025', {
      name: 'Hợp tác xã Rạch Giá',
      registrationNumber: 'MAP-KG-2025',
      provinceCode: '91',
      formerProvinceCode: '91',
      registeredOn: '2025-09-01',
    });
    await register('formerAnGiang2025', {
      name: 'Hợp tác xã Châu Đốc',
      registrationNumber: 'MAP-AG-2025',
      provinceCode: '91',
      formerProvinceCode: '89',
      registeredOn: '2025-09-01',
    });
  }, 300_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.stop();
    await database?.drop();
  });

  function command(path: string, body: unknown, token = api.adminToken): Promise<Response> {
    return fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function openAs(token: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    contexts.push(context);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, api.baseUrl, token);
    return { page, errors };
  }

  /** The province options of a select (those naming a code in brackets: not the placeholder). */
  const provinceOptions = (select: Locator) =>
    select.evaluate((element) => Array.from((element as HTMLSelectElement).options).map((option) => option.textContent ?? '').filter((text) => /\(\d{2}\)/.test(text)));

  it('lists the 63 provinces before 1 July 2025 and the 34 after in the dashboard picker, a merged one with its predecessors', async () => {
    const { page, errors } = await openAs(api.adminToken);
    const picker = page.getByLabel('Tỉnh', { exact: true });

    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2025-06-30`);
    await expectText(page.getByTestId('province-count'), /^63 tỉnh.*30\/06\/2025/);
    const before = await provinceOptions(picker);
    expect(before).toHaveLength(63);
    expect(before).toEqual(expect.arrayContaining(['Kiên Giang (91)', 'An Giang (89)', 'Yên Bái (15)']));

    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2026-01-01`);
    await expectText(page.getByTestId('province-count'), /^34 tỉnh.*01\/01\/2026/);
    const after = await provinceOptions(picker);
    expect(after).toHaveLength(34);
    expect(after).toContain('An Giang (91) — gồm An Giang (89) + Kiên Giang (91)');
    expect(after.filter((text) => text.startsWith('Kiên Giang') || text.startsWith('Yên Bái'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('names An Giang as of 2026 with what it was formed from, in Vietnamese and in English, and counts both former territories', async () => {
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2026-01-01`);
    await expectText(page.getByTestId('dashboard-territory'), 'An Giang (từ 01/07/2025: An Giang cũ + Kiên Giang cũ)');
    await expectText(page.getByTestId('metric-cooperatives'), /^\s*4\s*$/);

    // Before the merger 91 is Kiên Giang alone: one of the four.
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2025-06-30`);
    await expectText(page.getByTestId('dashboard-territory'), /^Số liệu tỉnh Kiên Giang tính đến ngày 30\/06\/2025$/);
    await expectText(page.getByTestId('metric-cooperatives'), /^\s*1\s*$/);

    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2026-01-01`);
    await expectText(page.getByTestId('dashboard-territory'), 'An Giang (from 01/07/2025: former An Giang + former Kiên Giang)');
    await page.screenshot({ path: screenshotPath('dashboard-merged'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("shows the population behind population_share, a merged province's as the sum of its former provinces', and says which figure is missing", async () => {
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2026-01-01`);
    await expectText(page.getByTestId('population-used'), /^Dân số dùng để tính: [\d.]+ người \(An Giang năm \d{4} \+ Kiên Giang năm \d{4}\)\.$/);
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2010-01-01`);
    await expectText(page.getByTestId('metric-population_share').locator('xpath=..'), 'Không tính được: chưa có số liệu dân số của Kiên Giang (91) cho năm 2010 hoặc trước đó.');
    expect(errors).toEqual([]);
  });

  it("marks Plan 251's targets with their own territory, former Kiên Giang, on An Giang's dashboard of 2026", async () => {
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2026-01-01`);
    const plan = page.getByTestId('plan-territory-kien-giang-251-kh-ubnd-2023');
    await expectText(plan, 'Địa bàn của kế hoạch: Kiên Giang cũ (91) (ranh giới ngày 20/10/2023)');
    const marks = page.locator('[data-testid^="target-"] [data-testid="target-territory"]');
    expect(await marks.count()).toBeGreaterThanOrEqual(2);
    expect(new Set(await marks.allInnerTexts())).toContain('Địa bàn: Kiên Giang cũ');
    // Before the merger the same plan is on the province itself: no "former".
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2025-06-30`);
    await expectText(plan, 'Địa bàn của kế hoạch: Kiên Giang (91) (ranh giới ngày 20/10/2023)');
    expect(errors).toEqual([]);
  });

  it('explains a code not in force on the date (89 in 2026) in the user\'s language, switches to its successor, or shows the former territory', async () => {
    const { page } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=89&asOf=2026-01-01`);
    const alert = page.getByTestId('province-not-in-force');
    await expectText(alert, 'Từ ngày 01/07/2025, địa bàn tỉnh An Giang (89) thuộc tỉnh An Giang (91).');
    expect(await alert.innerText()).toContain('Mã tỉnh 89 không có hiệu lực vào ngày 01/01/2026.');
    await page.screenshot({ path: screenshotPath('dashboard-not-in-force'), fullPage: true });

    await alert.getByRole('button', { name: 'Xem tỉnh An Giang (91)' }).click();
    await page.waitForURL(/province=91/);
    await expectText(page.getByTestId('dashboard-territory'), 'An Giang (từ 01/07/2025: An Giang cũ + Kiên Giang cũ)');

    // The former territory on its last boundaries: former An Giang as of 2026 (its two cooperatives).
    await page.goto(`${api.baseUrl}/#/?province=89&asOf=2026-01-01`);
    await alert.getByRole('button', { name: 'Xem địa bàn An Giang cũ (ranh giới ngày 30/06/2025)' }).click();
    await page.waitForURL(/boundariesOn=2025-06-30/);
    await expectVisible(page.getByTestId('fixed-boundaries'));
    await expectText(page.getByTestId('metric-cooperatives'), /^\s*2\s*$/);

    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${api.baseUrl}/#/?province=89&asOf=2026-01-01`);
    await expectText(alert, 'From 01/07/2025, the territory of An Giang (89) is part of An Giang (91).');
  });

  it('explains a list filtered by a code not in force on its date and switches the filter to the successor', async () => {
    // The browser logs the api's 404 as a failed resource: this page's errors are not checked.
    const { page } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/organizations?provinceCode=89&asOf=2026-01-01`);
    const alert = page.getByTestId('province-not-in-force');
    await expectText(alert, 'Từ ngày 01/07/2025, địa bàn tỉnh An Giang (89) thuộc tỉnh An Giang (91).');
    await alert.getByRole('button', { name: 'Xem tỉnh An Giang (91)' }).click();
    await page.waitForURL(/provinceCode=91/);
    await expectVisible(page.getByTestId('organization-list').getByRole('link', { name: 'Hợp tác xã Giồng Riềng' }));
    expect(await page.getByTestId('province-not-in-force').count()).toBe(0);
  });

  it("shows the year's changes of the territory, with the organizations the merger brought into An Giang", async () => {
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2025-12-31`);
    const cooperatives = (flow: string) => page.getByTestId(`flows-${flow}`).locator('td').nth(1);
    await expectVisible(page.getByTestId('flows'));
    expect(await page.getByRole('heading', { name: 'Biến động từ 01/01/2025 đến 31/12/2025' }).count()).toBe(1);
    // Two registered after the merger (one in each former territory); former An Giang's cooperative joined by the merger.
    await expectText(cooperatives('registered'), /^2$/);
    await expectText(cooperatives('reorganizedIn'), /^1$/);
    await expectText(cooperatives('reorganizedOut'), /^0$/);
    expect(errors).toEqual([]);
  });

  it('marks the step of 2025-07-01 on the chart and adds a comparable line on fixed boundaries', async () => {
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2026-01-01`);
    await expectVisible(page.getByTestId('progress-chart').locator('svg').first());
    await expectText(page.getByTestId('chart-reorganized'), /01\/07\/2025/);

    const fixed = page.waitForRequest((request) => {
      const url = new URL(request.url());
      return url.pathname === '/api/provinces/91/progress/series' && url.searchParams.get('boundariesOn') === '2026-01-01';
    });
    await page.getByLabel('Thêm đường so sánh theo ranh giới cố định ngày 01/01/2026').check();
    const answer = await (await fixed).response();
    expect(answer?.status()).toBe(200);
    await expectVisible(page.getByTestId('progress-chart').getByText('Ranh giới cố định ngày 01/01/2026'));
    await page.screenshot({ path: screenshotPath('dashboard-fixed-boundaries'), fullPage: true });

    // On the province's own boundaries there is no step to mark (Kiên Giang before the merger).
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2025-06-30`);
    // The hash changes without a reload: wait for the new answer to replace the old one on the page.
    await expectText(page.getByTestId('dashboard-territory'), /Kiên Giang tính đến ngày 30\/06\/2025/);
    await expectVisible(page.getByTestId('progress-chart').locator('svg').first());
    expect(await page.getByTestId('chart-reorganized').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("shows an organization's provinces over time: registered in Kiên Giang (91), in An Giang (91) since 01/07/2025", async () => {
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/organizations/${ids.kienGiang2021}`);
    const history = page.getByTestId('province-history');
    await expectVisible(history.locator('li[data-kind="reorganized"]'));
    expect(await history.locator('li').allInnerTexts()).toEqual([
      'Đăng ký tại Kiên Giang (91) ngày 15/03/2021',
      'Thuộc An Giang (91), địa bàn Kiên Giang cũ từ ngày 01/07/2025 (sắp xếp đơn vị hành chính)',
    ]);
    // The state of today names the province in force and the former one.
    const state = page.getByTestId('organization-state');
    await expectText(state, /An Giang \(91\)/);
    expect(await state.innerText()).toMatch(/Địa bàn tỉnh cũ \(trước sắp xếp\)\s+Kiên Giang \(91\)/);

    // As of a date before the merger, the province is Kiên Giang.
    await page.goto(`${api.baseUrl}/#/organizations/${ids.kienGiang2021}?asOf=2024-01-01`);
    await expectText(page.getByTestId('organization-state'), /Kiên Giang \(91\)/);
    expect(await page.getByTestId('organization-state').innerText()).not.toContain('An Giang');

    await page.goto(`${api.baseUrl}/#/organizations/${ids.formerAnGiang2025}`);
    await expectVisible(history.locator('li'));
    expect(await history.locator('li').allInnerTexts()).toEqual(['Đăng ký tại An Giang (91), địa bàn An Giang cũ ngày 01/09/2025']);
    expect(errors).toEqual([]);
  });

  it('asks for the former province at registration only where the province of that date was formed from several, and records it', async () => {
    const { page, errors } = await openAs(api.token('registrar', ['91'], 'so-tc-an-giang'));
    await page.goto(`${api.baseUrl}/#/organizations/new`);
    const date = page.getByLabel('Ngày đăng ký');
    const province = page.getByLabel('Tỉnh', { exact: true });
    const former = page.getByLabel('Tỉnh cũ nơi đặt trụ sở');

    // 2024: Kiên Giang and An Giang were two provinces (both within the token's An Giang of today); no former province asked.
    await date.fill('15/03/2024');
    expect(await poll(() => provinceOptions(province), (options) => options.length === 2)).toEqual(['An Giang (89)', 'Kiên Giang (91)']);
    expect(await former.count()).toBe(0);

    // 2026: one An Giang (91), formed from 89 and 91: the former province is asked, among those two.
    await date.fill('05/01/2026');
    await expectVisible(former);
    expect(await poll(() => provinceOptions(province), (options) => options.length === 1)).toEqual(['An Giang (91)']);
    expect(await provinceOptions(former)).toEqual(['An Giang cũ (89)', 'Kiên Giang cũ (91)']);

    const name = `Hợp tác xã Vĩnh Thuận ${Date.now() % 100000}`;
    await page.getByLabel('Loại hình').selectOption('cooperative');
    await page.getByLabel('Tên', { exact: true }).fill(name);
    await page.getByLabel('Số đăng ký').fill(`MAP-UI-${Date.now() % 1_000_000}`);
    await page.getByLabel('Lĩnh vực').selectOption('agriculture');
    await page.getByLabel('Số thành viên').fill('12');
    // Without the former province the form says so and sends nothing.
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true', undefined, { timeout: 10_000 });
    expect(await former.getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toMatch(/#\/organizations\/new/);

    await former.selectOption('91');
    await page.screenshot({ path: screenshotPath('register-former-province'), fullPage: true });
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.waitForURL(/#\/organizations\/[0-9a-f-]{36}/, { timeout: 20_000 });
    const id = page.url().split('/').at(-1)!.split('?')[0];
    await expectText(page.getByTestId('organization-state'), /Kiên Giang \(91\)/);
    const events = await (await fetch(`${api.baseUrl}/api/organizations/${id}/events`, { headers: { authorization: `Bearer ${api.adminToken}` } })).json();
    expect(events[0]).toMatchObject({ type: 'OrganizationRegistered', effectiveOn: '2026-01-05', data: expect.objectContaining({ provinceCode: '91', formerProvinceCode: '91' }) });
    expect(errors).toEqual([]);
  });

  it('relocates a seat from the organization page; the province history shows the move', async () => {
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/organizations/${ids.anGiang2020}`);
    await page.getByRole('button', { name: 'Chuyển trụ sở' }).click();
    const form = page.getByTestId('form-relocate');
    await form.getByLabel('Ngày hiệu lực').fill('01/02/2026');
    await form.getByLabel('Tỉnh nơi đặt trụ sở mới').selectOption('15');
    const former = form.getByLabel('Tỉnh cũ nơi đặt trụ sở');
    await expectVisible(former);
    expect(await provinceOptions(former)).toEqual(['Lào Cai cũ (10)', 'Yên Bái cũ (15)']);
    await former.selectOption('15');
    await form.getByRole('button', { name: 'Ghi nhận' }).click();
    const history = page.getByTestId('province-history');
    await expectVisible(history.locator('li[data-kind="relocated"]'));
    expect(await history.locator('li').allInnerTexts()).toEqual([
      'Đăng ký tại An Giang (89) ngày 10/05/2020',
      'Thuộc An Giang (91), địa bàn An Giang cũ từ ngày 01/07/2025 (sắp xếp đơn vị hành chính)',
      'Chuyển trụ sở đến Lào Cai (15), địa bàn Yên Bái cũ từ ngày 01/02/2026',
    ]);
    // The history reads the stream; the state reads the read models, which the page asks with the
    // command's position (minPosition): once it shows the move, the api's answer below has it too.
    await expectText(page.getByTestId('organization-state'), /Lào Cai \(15\)/);
    await page.screenshot({ path: screenshotPath('organization-province-history'), fullPage: true });
    const state = await (await fetch(`${api.baseUrl}/api/organizations/${ids.anGiang2020}`, { headers: { authorization: `Bearer ${api.adminToken}` } })).json();
    expect(state).toMatchObject({ provinceCode: '15', formerProvinceCode: '15' });
    expect(errors).toEqual([]);
  });

  it("filters the audit trail by a province of today's map and names each row's seat by its former province", async () => {
    const { page, errors } = await openAs(api.token('auditor'));
    await page.goto(`${api.baseUrl}/#/audit?provinceCode=91`);
    const filter = page.getByLabel('Tỉnh', { exact: true });
    expect(await poll(() => provinceOptions(filter), (options) => options.length === 34)).toHaveLength(34);
    const table = page.getByTestId('audit-events');
    await expectVisible(table.locator('tbody tr'));
    // Today's An Giang holds the seats of former An Giang (89) and former Kiên Giang (91).
    const provinces = new Set(await table.locator('tbody tr td.audit-province').allInnerTexts());
    expect([...provinces].sort()).toEqual(['An Giang (89)', 'Kiên Giang (91)']);
    expect(errors).toEqual([]);
  });

  // Last: it changes the map for every later question of this database.
  it('finds a later reorganization recorded by an admin on a date of its own, and names the province it formed', async () => {
    const recorded = await command('/api/administrative-units/reorganizations', {
      effectiveOn: '2026-06-01',
      document: 'Nghị quyết thử nghiệm (e2e)',
      provinces: [{ code: '91', name: 'An Giang', predecessors: ['91', '96'] }],
    });
    expect(recorded.status).toBe(200);
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2026-07-01`);
    await expectText(page.getByTestId('dashboard-territory'), 'An Giang (từ 01/06/2026: An Giang cũ + Cà Mau cũ)');
    await expectText(page.getByTestId('province-count'), /^33 tỉnh/);
    // Before it, the map of 2025 still holds.
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2026-05-31`);
    await expectText(page.getByTestId('dashboard-territory'), 'An Giang (từ 01/07/2025: An Giang cũ + Kiên Giang cũ)');
    expect(errors).toEqual([]);
  });
});

async function expectVisible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 20_000 });
}

/** Reads until `accept` holds or 20 s pass, and answers the last reading (the caller's expect then says what differs). */
async function poll<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

/** Waits until the element's text contains `expected` (a string) or matches it (a pattern). */
async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await expectVisible(locator);
  const matches = (text: string) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
  const text = await poll(async () => (await locator.first().innerText()).trim(), matches);
  expect(text).toEqual(typeof expected === 'string' ? expect.stringContaining(expected) : expect.stringMatching(expected));
}
