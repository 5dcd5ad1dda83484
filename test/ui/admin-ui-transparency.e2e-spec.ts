/// <reference lib="dom" />
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatCheckpoint, generateSignerKey, parseSignerKey, signNote } from '@ktt/transparency';
import { ROOT, type ApiProcess } from '../support/api-process';
import { cooperative } from '../support/fixtures';
import { httpClient } from '../support/http';
import { eventCount, startTestApi, type TestApi } from '../support/test-api';
import { collectPageErrors, launchBrowser, screenshotPath, signIn } from './support/browser';

/**
 * The verifiable log in the admin UI, in a real browser (Debian's Chromium, playwright-core): the audit
 * page shows the latest signed checkpoint as the server serves it and checks a checkpoint kept earlier
 * in the browser itself (consistency proof over WebCrypto, Ed25519 signatures); a checkpoint of
 * another history (a rewritten log) or an edited one fails. The organization page downloads the
 * signed extract, which the cli verifies offline, and opens its printable page.
 *
 * The api signs with a key the test holds (TRANSPARENCY_KEY), so that it can sign what a log that was
 * rewritten would have committed to.
 */
describe('admin UI: the verifiable log in a real browser', () => {
  const origin = 'ktt-registry.test/log';
  const signerKey = generateSignerKey(origin);
  const signer = parseSignerKey(signerKey);
  let started: TestApi;
  let api: ApiProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let savedNote: string;
  let savedSize: number;
  let organizationId: string;

  /** The latest checkpoint's text, once it covers every stored event. */
  async function checkpointCoveringAll(): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const events = await eventCount(started.pool);
      const response = await fetch(`${api.baseUrl}/api/transparency/checkpoint`);
      if (response.ok) {
        const note = await response.text();
        if (Number(note.split('\n')[1]) >= events) return note;
      }
      if (Date.now() > deadline) throw new Error('no checkpoint covered the log within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    started = await startTestApi('e2e_ui_tlog', { TRANSPARENCY_ORIGIN: origin, TRANSPARENCY_KEY: signerKey, TRANSPARENCY_CHECKPOINT_SECONDS: '1' });
    api = started.api;
    const http = httpClient(api.baseUrl, { token: api.adminToken });
    const first = cooperative({ name: 'Hợp tác xã Ánh Dương' });
    organizationId = first.id;
    expect((await http.post('/api/organizations', first)).status).toBe(201);
    savedNote = await checkpointCoveringAll();
    savedSize = Number(savedNote.split('\n')[1]);
    // The log grows after the auditor kept that checkpoint.
    expect((await http.post('/api/organizations', cooperative({ name: 'Hợp tác xã Bình Minh' }))).status).toBe(201);
    expect((await http.post(`/api/organizations/${organizationId}/membership`, { memberCount: 20, effectiveOn: '2024-01-01' })).status).toBe(200);
    const latest = await checkpointCoveringAll();
    expect(Number(latest.split('\n')[1])).toBeGreaterThan(savedSize);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await started?.stop();
  });

  async function openAs(token: string): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await signIn(page, api.baseUrl, token);
    return { page, context, errors };
  }

  async function check(page: Page, note: string): Promise<string> {
    const panel = page.getByTestId('transparency-panel');
    await panel.getByRole('textbox', { name: 'Điểm mốc đã lưu', exact: true }).fill(note);
    await panel.getByRole('button', { name: 'Kiểm tra nhất quán', exact: true }).click();
    const result = panel.getByTestId('tlog-check-result');
    await result.waitFor({ timeout: 20_000 });
    return (await result.textContent()) ?? '';
  }

  it('shows the latest checkpoint as served, signed, and checks a saved one consistent in the browser', async () => {
    const { page, errors } = await openAs(api.token('auditor'));
    await page.goto(`${api.baseUrl}/#/audit`);
    const latestNote = await (await fetch(`${api.baseUrl}/api/transparency/checkpoint`)).text();
    const key = (await (await fetch(`${api.baseUrl}/api/transparency/key`)).text()).trim();
    const panel = page.getByTestId('transparency-panel');
    await panel.getByTestId('tlog-note').waitFor({ timeout: 20_000 });
    expect(await panel.getByTestId('tlog-note').textContent()).toBe(latestNote);
    expect(await panel.getByTestId('tlog-key').textContent()).toBe(key);
    expect(key).toBe(signer.verifierKey);
    expect(await panel.getByTestId('tlog-root').textContent()).toBe(latestNote.split('\n')[2]);
    expect(await panel.getByTestId('tlog-signature').textContent()).toBe('Đã kiểm tra chữ ký Ed25519 trong trình duyệt này');

    const asked: string[] = [];
    page.on('request', (request) => asked.push(new URL(request.url()).pathname + new URL(request.url()).search));
    const text = await check(page, savedNote);
    expect(text).toContain('Nhất quán: nhật ký hiện nay giữ nguyên mọi sự kiện của điểm mốc đã lưu');
    expect(text).toContain('Cả hai điểm mốc có chữ ký Ed25519 hợp lệ');
    // The browser asked the server only for the proof between the two sizes, and verified it itself.
    const latestSize = Number(latestNote.split('\n')[1]);
    expect(asked.filter((url) => url.startsWith('/api/transparency/proof/'))).toEqual([`/api/transparency/proof/consistency?from=${savedSize}&to=${latestSize}`]);
    await panel.screenshot({ path: screenshotPath('audit-transparency') });
    expect(errors).toEqual([]);
  });

  it('finds a checkpoint of another history inconsistent, and an edited one unsigned', async () => {
    const { page, errors } = await openAs(api.token('auditor'));
    await page.goto(`${api.baseUrl}/#/audit`);
    await page.getByTestId('tlog-note').waitFor({ timeout: 20_000 });
    // What the log committed to at that size had it held another event: signed with the log's own key.
    const otherRoot = createHash('sha256').update('another history').digest();
    const forged = signNote(formatCheckpoint({ origin, treeSize: savedSize, rootHash: otherRoot }), signer);
    const inconsistent = await check(page, forged);
    expect(inconsistent).toContain('KHÔNG nhất quán');
    expect(inconsistent).toContain('Bằng chứng nhất quán không khớp');

    const edited = savedNote.replace(`\n${savedSize}\n`, `\n${savedSize - 1}\n`);
    const unsigned = await check(page, edited);
    expect(unsigned).toContain('KHÔNG nhất quán');
    expect(unsigned).toContain('không mang chữ ký hợp lệ');

    const panel = page.getByTestId('transparency-panel');
    await panel.getByRole('textbox', { name: 'Điểm mốc đã lưu', exact: true }).fill('not a checkpoint');
    await panel.getByRole('button', { name: 'Kiểm tra nhất quán', exact: true }).click();
    await panel.getByText('Không phải điểm mốc có chữ ký').waitFor();
    expect(errors).toEqual([]);
  });

  it('downloads the signed extract, which the cli verifies offline, and opens its printable page', async () => {
    const { page, context, errors } = await openAs(api.token('registrar', ['91']));
    await page.goto(`${api.baseUrl}/#/organizations/${organizationId}`);
    const section = page.getByTestId('signed-extract');
    await section.waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), section.getByRole('button', { name: 'Tải trích lục (JSON)' }).click()]);
    const bytes = readFileSync((await download.path())!);
    const extract = JSON.parse(bytes.toString('utf8'));
    expect(extract.organizationId).toBe(organizationId);
    expect(extract.events.length).toBeGreaterThan(0);

    // The file as downloaded passes the verifier's own command.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ktt-extract-'));
    try {
      const file = path.join(dir, download.suggestedFilename() || 'extract.json');
      writeFileSync(file, bytes);
      // execFile rejects on a non-zero exit: the command's exit 0 is the check.
      await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/apps/cli/src/main.js'), 'verify-extract', file, '--key', signer.verifierKey], { cwd: ROOT });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const [popup] = await Promise.all([context.waitForEvent('page'), section.getByRole('button', { name: 'Mở trang in' }).click()]);
    await popup.getByTestId('printable-extract').waitFor({ timeout: 20_000 });
    const leafCells = await popup.getByTestId('printable-events').locator('tbody tr td:first-child').allTextContents();
    expect(leafCells.map(Number)).toEqual(extract.events.map((event: { leafIndex: number }) => event.leafIndex));
    expect(await popup.getByTestId('printable-checkpoint').textContent()).toBe(extract.checkpoint);
    expect(await popup.getByTestId('printable-key').textContent()).toBe(signer.verifierKey);
    expect(await popup.getByTestId('printable-instructions').textContent()).toContain(`npm run cli -- verify-extract <file> --key ${signer.verifierKey}`);
    await popup.screenshot({ path: screenshotPath('organization-extract-print'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('offers no extract to a role that may not have one', async () => {
    const { page } = await openAs(api.token('analyst'));
    await page.goto(`${api.baseUrl}/#/organizations/${organizationId}`);
    await page.getByTestId('organization-state').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('signed-extract').count()).toBe(0);
  });
});

describe('admin UI: a signed extract asked before a checkpoint covers its events', () => {
  let started: TestApi;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    // No checkpoint within the test: one every hour or every million events.
    started = await startTestApi('e2e_ui_tlog_pending', { TRANSPARENCY_CHECKPOINT_SECONDS: '3600', TRANSPARENCY_CHECKPOINT_EVENTS: '1000000' });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await started?.stop();
  });

  it('says the latest event is not yet under a signed checkpoint and to try again', async () => {
    const { api } = started;
    const organization = cooperative({ name: 'Hợp tác xã Cửu Long' });
    expect((await httpClient(api.baseUrl, { token: api.adminToken }).post('/api/organizations', organization)).status).toBe(201);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await signIn(page, api.baseUrl, api.token('auditor'));
    await page.goto(`${api.baseUrl}/#/organizations/${organization.id}`);
    const section = page.getByTestId('signed-extract');
    await section.waitFor({ timeout: 20_000 });
    await section.getByRole('button', { name: 'Tải trích lục (JSON)' }).click();
    await section.getByText('chưa nằm dưới một điểm mốc có chữ ký').waitFor({ timeout: 30_000 });
  });
});
