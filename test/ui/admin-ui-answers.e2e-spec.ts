/// <reference lib="dom" />
// page.evaluate and waitForFunction run their functions in the browser.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from '../support/api-process';
import { runCli } from '../support/reliability';
import { collectPageErrors, launchBrowser, screenshotPath, signIn } from './support/browser';

/**
 * Issue 16 in a real browser (Chromium, as admin-ui.e2e-spec.ts): the dashboard answers its question
 * first (the targets by the server's status, above the metrics, which fold), a refusal reads in
 * Vietnamese once under its field, a known-at moment before anything was recorded says so, a future
 * date has no actual values, shares carry their coverage, profile flags are yes / no / unknown, and
 * an organization's page shows neither its id nor its version unless asked for.
 */
describe('admin UI: answers an official can trust at a glance', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('e2e_ui_answers');
    await runCli(['demo', '--scale', '0.03'], database.url, 240_000);
    api = await startApi({ DATABASE_URL: database.url });
    browser = await launchBrowser();
    // The projector catches up with the demo's history after the api starts: the answers below are read once it has.
    for (let waited = 0; waited < 60_000; waited += 500) {
      const answer = await fetch(`${api.baseUrl}/api/provinces/91/progress`, { headers: { authorization: `Bearer ${api.adminToken}` } });
      if (answer.ok && ((await answer.json()) as { targets: unknown[] }).targets.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 360_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.stop();
    await database?.drop();
  });

  async function openAs(token: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    contexts.push(context);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, api.baseUrl, token);
    return { page, errors };
  }

  /** An answer of the api; a 404 is asked again for a few seconds (a write the read models have not applied yet). */
  async function get<T>(path: string, token = api.adminToken): Promise<T> {
    let answer = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    for (let tries = 0; answer.status === 404 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    }
    expect(answer.status).toBe(200);
    return (await answer.json()) as T;
  }

  /** The text a user sees on the page (closed disclosures and hidden parts excluded). */
  const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);

  it('puts the summary of the targets, by the server’s status, above the metrics, which fold and stay folded', async () => {
    const progress = await get<{ targets: { metric: string; deadline: string; status: string }[] }>('/api/provinces/91/progress');
    expect(progress.targets.length).toBeGreaterThanOrEqual(2);
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91`);
    const summary = page.getByTestId('target-summary');
    const metrics = page.getByTestId('dashboard-metrics');
    await expectVisible(summary);
    await expectVisible(page.getByTestId('metric-cooperatives'));

    // Above: first in the document and higher on the screen.
    expect(await summary.evaluate((element) => Boolean(element.compareDocumentPosition(document.querySelector('[data-testid="dashboard-metrics"]')!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);
    expect((await summary.boundingBox())!.y).toBeLessThan((await metrics.boundingBox())!.y);
    const firstCard = page.locator('.dashboard-target').first();
    expect((await firstCard.boundingBox())!.y).toBeLessThan((await metrics.boundingBox())!.y);

    // The counts are the server's statuses, and each card wears its target's status.
    for (const status of ['met', 'on_track', 'near', 'behind', 'unknown']) {
      const expected = progress.targets.filter((target) => target.status === status).length;
      expect({ status, count: await summary.locator(`[data-status="${status}"] .dashboard-tally-count`).innerText() }).toEqual({ status, count: String(expected) });
    }
    for (const target of progress.targets) {
      const card = page.getByTestId(`target-${target.metric}-${target.deadline}`);
      expect({ target: `${target.metric}-${target.deadline}`, className: await card.getAttribute('class') }).toEqual({
        target: `${target.metric}-${target.deadline}`,
        className: expect.stringContaining(`dashboard-target-${target.status}`),
      });
    }

    // The 19 metric tiles fold, and the choice is remembered.
    await page.getByRole('button', { name: 'Thu gọn các chỉ số' }).click();
    await page.getByTestId('metric-cooperatives').waitFor({ state: 'hidden' });
    await page.reload();
    await expectVisible(page.getByRole('button', { name: /^Hiện 19 chỉ số$/ }));
    expect(await page.getByTestId('metric-cooperatives').isVisible()).toBe(false);
    await expectVisible(page.getByTestId('target-summary'));
    await page.screenshot({ path: screenshotPath('dashboard-folded'), fullPage: true });
    await page.getByRole('button', { name: /^Hiện 19 chỉ số$/ }).click();
    await expectVisible(page.getByTestId('metric-cooperatives'));
    expect(errors).toEqual([]);
  });

  it('shows a 409 REGISTRATION_NUMBER_TAKEN in Vietnamese under the registration number, once', async () => {
    const taken = `UI-ONCE-${Date.now() % 100000}`;
    const first = await fetch(`${api.baseUrl}/api/organizations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'cooperative_group', name: 'Tổ hợp tác giữ số', registrationNumber: taken, provinceCode: '91', sector: 'agriculture', registeredOn: '2024-01-10', memberCount: 3 }),
    });
    expect(first.status).toBe(201);
    const { page } = await openAs(api.token('registrar', ['91'], 'so-kh-dt-kien-giang'));
    await page.goto(`${api.baseUrl}/#/organizations/new`);
    await page.getByLabel('Loại hình').selectOption('cooperative');
    await page.getByLabel('Tên', { exact: true }).fill('Hợp tác xã trùng số');
    await page.getByLabel('Số đăng ký').fill(taken);
    await page.getByLabel('Lĩnh vực').selectOption('agriculture');
    await page.getByLabel('Ngày đăng ký').fill('15/03/2024');
    await page.getByLabel('Số thành viên').fill('9');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    const number = page.getByLabel('Số đăng ký');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true', undefined, { timeout: 10_000 });
    const sentence = 'Số đăng ký này đã được cấp cho một tổ chức khác';
    // Under its field: the message the field's aria-describedby names.
    const describedBy = ((await number.getAttribute('aria-describedby')) ?? '').split(' ').filter((id) => id.endsWith('-error'));
    expect(describedBy).toHaveLength(1);
    expect(await page.locator(`[id="${describedBy[0]}"]`).innerText()).toContain(sentence);
    // Once, and nothing of the server's English or its code on the screen.
    const text = await visibleText(page);
    expect(text.split(sentence).length - 1).toBe(1);
    expect(text).not.toMatch(/REGISTRATION_NUMBER_TAKEN|Refused by|409/);
    await page.screenshot({ path: screenshotPath('register-refused'), fullPage: true });
  });

  it('refuses a bad or expired token at sign-in in Vietnamese, without the server’s status', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${api.baseUrl}/`);
    await page.getByLabel('Mã truy cập (token)').fill('not-a-token-at-all');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const alert = page.getByRole('alert');
    await expectVisible(alert);
    expect(await alert.innerText()).toContain('Đây không phải là mã truy cập');
    expect(await visibleText(page)).not.toMatch(/401|UNAUTHENTICATED|not valid/);

    // An expired token says so (the server has one code, UNAUTHENTICATED, and says why in its detail).
    const expired = api.tokens.sign({ role: 'analyst', subject: 'expired-check', expiresInSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await page.getByLabel('Mã truy cập (token)').fill(expired);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').filter({ hasText: 'Mã truy cập đã hết hạn' }).waitFor({ timeout: 10_000 });
    expect(await visibleText(page)).not.toMatch(/401|expired/);
  });

  it('says nothing had been recorded by a known-at moment before the first record, instead of an empty province', async () => {
    const { page, errors } = await openAs(api.adminToken);
    const knownAt = '2001-01-01T16:59:59.999Z';
    await page.goto(`${api.baseUrl}/#/?province=91&knownAt=${encodeURIComponent(knownAt)}`);
    const notice = page.getByTestId('nothing-recorded');
    await expectVisible(notice);
    expect(await notice.innerText()).toContain('hệ thống chưa ghi nhận gì');
    expect(await page.getByTestId('dashboard-metrics').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('dashboard-nothing-recorded'), fullPage: true });

    // Everything recorded: the province with its organizations, and no such notice.
    await notice.getByRole('button', { name: 'Xem theo mọi dữ liệu đã ghi nhận' }).click();
    await expectVisible(page.getByTestId('metric-cooperatives'));
    // The answer with everything recorded replaces the empty one (shown greyed while it loads).
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="metric-cooperatives"]')?.textContent?.replace(/\D/g, '') ?? '0') > 0, undefined, { timeout: 20_000 });
    expect(await page.getByTestId('nothing-recorded').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows a future date as future, with the path still drawn and no actual values', async () => {
    const { page, errors } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91&asOf=2030-12-31`);
    await expectVisible(page.getByTestId('dashboard-future'));
    const actuals = page.getByTestId('target-actual');
    await expectVisible(actuals.first());
    for (const text of await actuals.allInnerTexts()) expect(text).toBe('tương lai — chưa có số liệu thực tế');
    expect(await page.getByTestId('metric-cooperatives').innerText()).toBe('—');
    // The chart's dashed path is drawn (a line besides the actual one).
    await expectVisible(page.getByTestId('progress-chart').locator('svg').first());
    expect(await page.getByTestId('progress-chart').locator('.recharts-line path[stroke-dasharray]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('dashboard-future'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows a share over profile flags with its coverage', async () => {
    const progress = await get<{ coverage: Record<string, number | null> }>('/api/provinces/91/progress');
    expect(typeof progress.coverage.directors_trained_share).toBe('number');
    const { page } = await openAs(api.adminToken);
    await page.goto(`${api.baseUrl}/#/?province=91`);
    const coverage = page.getByTestId('coverage-directors_trained_share');
    await expectVisible(coverage);
    expect(await coverage.innerText()).toMatch(/^đã biết ở \d+(,\d+)?\s?% số HTX$/);
  });

  it('records profile flags as yes, no or unknown, and shows an organization without its id or version unless asked', async () => {
    const { page, errors } = await openAs(api.token('registrar', ['91'], 'so-kh-dt-kien-giang'));
    await page.goto(`${api.baseUrl}/#/organizations/new`);
    await page.getByLabel('Loại hình').selectOption('cooperative');
    await page.getByLabel('Tên', { exact: true }).fill(`Hợp tác xã ba lựa chọn ${Date.now() % 100000}`);
    await page.getByLabel('Số đăng ký').fill(`UI-TRI-${Date.now() % 1_000_000}`);
    await page.getByLabel('Lĩnh vực').selectOption('agriculture');
    await page.getByLabel('Ngày đăng ký').fill('15/03/2024');
    await page.getByLabel('Số thành viên').fill('7');
    await page.getByLabel('Tổng số cán bộ quản lý').fill('5');
    await page.getByLabel('Trong đó tốt nghiệp cao đẳng, đại học').fill('2');
    // Unknown is the default; one flag answered yes, one no.
    expect(await page.getByLabel('Ứng dụng công nghệ cao').inputValue()).toBe('');
    await page.getByLabel('Giám đốc được đào tạo sơ cấp nghề giám đốc').selectOption('false');
    await page.getByLabel('Tham gia liên kết chuỗi giá trị').selectOption('true');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.waitForURL(/#\/organizations\/[0-9a-f-]{36}/, { timeout: 20_000 });
    const id = /organizations\/([0-9a-f-]{36})/.exec(page.url())![1];
    const state = await get<Record<string, unknown>>(`/api/organizations/${id}`);
    expect(state).toMatchObject({ directorTrained: false, valueChain: true, highTech: null, enterpriseLinked: null, digitalAdoption: null, managers: { total: 5, withDegree: 2 } });

    const shown = page.getByTestId('organization-state');
    await expectVisible(shown);
    expect(await shown.innerText()).toContain('Chưa rõ');
    const text = await visibleText(page);
    expect(text).not.toContain(id);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(text).not.toMatch(/Phiên bản|phiên bản \d/);
    // Asked for: the details disclosure holds both.
    await page.getByTestId('organization-details').locator('summary').click();
    expect(await page.getByTestId('organization-details').innerText()).toContain(id);

    // A profile change sets a known flag and the manager figures back to unknown (null), and leaves the others as they are.
    await page.getByRole('button', { name: 'Cập nhật hồ sơ' }).click();
    const form = page.locator('form.org-command');
    await form.getByLabel('Ngày hiệu lực').fill('01/06/2024');
    await form.getByLabel('Tham gia liên kết chuỗi giá trị').selectOption('null');
    await form.getByLabel('Số cán bộ quản lý: chưa rõ (xoá số đã ghi)').check();
    await form.getByRole('button', { name: 'Ghi nhận' }).click();
    await expectVisible(page.getByText('Đã ghi nhận: Cập nhật hồ sơ.'));
    // The read model applies the change shortly after the command's answer.
    let changed = await get<Record<string, unknown>>(`/api/organizations/${id}`);
    for (let tries = 0; changed.valueChain !== null && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      changed = await get<Record<string, unknown>>(`/api/organizations/${id}`);
    }
    expect(changed).toMatchObject({ directorTrained: false, valueChain: null, highTech: null, managers: null });
    expect(errors).toEqual([]);
  });
});

async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: 20_000 });
}
