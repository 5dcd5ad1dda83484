import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ApiProcess } from '../support/api-process';
import { type TestApi, startTestApi } from '../support/test-api';
import { cooperative } from '../support/fixtures';
import { recordFigures, sleep } from '../support/reliability';

const TRIES = 40;

/**
 * A client that times out and retries with the same Idempotency-Key never creates a second
 * event, also when its first try is still running (aborted after a few ms, retried at once).
 */
describe('reliability: retries with the same Idempotency-Key', () => {
  let api: ApiProcess;
  let pool: Pool;
  let started: TestApi;
  const figures: Record<string, unknown> = { tries: TRIES };

  beforeAll(async () => {
    ({ api, pool } = started = await startTestApi('rel_retries', { SEED_PLANS: 'false' }));
  });
  afterAll(async () => {
    recordFigures('retries', figures);
    await started?.stop();
  });

  async function post(path: string, body: unknown, key: string, abortAfterMs?: number) {
    const controller = new AbortController();
    const timer = abortAfterMs === undefined ? null : setTimeout(() => controller.abort(), abortAfterMs);
    try {
      const response = await fetch(`${api.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}`, 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      return { status: response.status, body: (await response.json()) as any };
    } catch {
      return { status: 0, body: null as any }; // timed out (aborted)
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  it(`registrations: ${TRIES} aborted first tries retried at once, one event each`, async () => {
    let aborted = 0;
    const answers: number[] = [];
    for (let i = 0; i < TRIES; i += 1) {
      const body = cooperative();
      const key = `retry-${randomUUID()}`;
      const first = post('/api/organizations', body, key, 1 + (i % 15));
      await sleep(i % 3); // retry at once, or nearly
      const retry = await post('/api/organizations', body, key);
      const firstAnswer = await first;
      if (firstAnswer.status === 0) aborted += 1;
      answers.push(retry.status);
      expect({ i, status: retry.status, code: retry.body?.code }).toEqual({ i, status: 201, code: undefined });
      expect(retry.body).toMatchObject({ id: body.id, version: 0 });
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [`organization-${body.id}`]);
      expect(rows[0].n).toBe(1);
    }
    figures.registrations = { tries: TRIES, firstTriesAborted: aborted, retriesAnswered201: answers.filter((s) => s === 201).length, duplicates: 0 };
    expect(aborted).toBeGreaterThan(0);
  });

  it(`changes: ${TRIES} aborted first tries retried at once, one event each`, async () => {
    const body = cooperative();
    expect((await post('/api/organizations', body, `reg-${randomUUID()}`)).status).toBe(201);
    let aborted = 0;
    for (let i = 0; i < TRIES; i += 1) {
      const key = `retry-${randomUUID()}`;
      const change = { memberCount: 20 + i, effectiveOn: '2021-03-01' };
      const first = post(`/api/organizations/${body.id}/membership`, change, key, 1 + (i % 15));
      await sleep(i % 3);
      const retry = await post(`/api/organizations/${body.id}/membership`, change, key);
      if ((await first).status === 0) aborted += 1;
      expect({ i, status: retry.status }).toEqual({ i, status: 200 });
      expect(retry.body.version).toBe(i + 1);
    }
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [`organization-${body.id}`]);
    expect(rows[0].n).toBe(TRIES + 1);
    figures.changes = { tries: TRIES, firstTriesAborted: aborted, events: rows[0].n - 1, duplicates: rows[0].n - 1 - TRIES };
  });
});
