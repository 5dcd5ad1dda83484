import fc from 'fast-check';
import type { Pool } from 'pg';
import type { ApiProcess } from './support/api-process';
import { type TestApi, eventCount, startTestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative, union } from './support/fixtures';

/**
 * Hostile input against every command endpoint: thousands of
 * malformed, oversized and hostile bodies, paths and headers. Every answer
 * must be a 4xx problem document without a stack trace, and nothing may be
 * written. Every generated request is invalid by construction (each carries
 * at least one broken part), so a 2xx is a failure too.
 */
describe('fuzzing the command endpoints', () => {
  let api: ApiProcess;
  let pool: Pool;
  let started: TestApi;
  let cooperativeId: string;
  let unionId: string;
  let memberId: string;

  beforeAll(async () => {
    ({ api, pool } = started = await startTestApi('e2e_fuzz', { SEED_PLANS: 'false' }));
    const admin = httpClient(api.baseUrl, { token: api.adminToken });
    const create = async (body: object) => (await admin.post('/api/organizations', body)).body.id as string;
    const founders = [await create(cooperative()), await create(cooperative()), await create(cooperative())];
    cooperativeId = founders[0];
    memberId = founders[1];
    unionId = await create(union(founders));
  });
  afterAll(() => started?.stop());

  /** Command endpoints with a valid body each; the fuzzer breaks them. */
  const endpoints = () => [
    { path: '/api/organizations', body: cooperative() },
    { path: `/api/organizations/${cooperativeId}/ratings`, body: { rating: 'good', year: 2021, ratedOn: '2021-12-01' } },
    { path: `/api/organizations/${cooperativeId}/membership`, body: { memberCount: 12, effectiveOn: '2021-01-01' } },
    { path: `/api/organizations/${cooperativeId}/profile`, body: { effectiveOn: '2021-01-01', valueChain: true } },
    { path: `/api/organizations/${cooperativeId}/suspension`, body: { effectiveOn: '2021-01-01', reason: 'x' } },
    { path: `/api/organizations/${cooperativeId}/dormancy`, body: { effectiveOn: '2021-01-01', finding: 'x' } },
    { path: `/api/organizations/${cooperativeId}/resumption`, body: { effectiveOn: '2021-01-01' } },
    { path: `/api/organizations/${cooperativeId}/dissolution`, body: { effectiveOn: '2021-01-01', mode: 'voluntary', decisionRef: 'x' } },
    { path: `/api/organizations/${unionId}/members`, body: { cooperativeId: memberId, effectiveOn: '2023-01-01' } },
    { path: `/api/organizations/${unionId}/members/${memberId}/leave`, body: { effectiveOn: '2023-01-01' } },
    { path: '/api/plans', body: { id: 'p-1', title: 't', issuer: 'i', provinceCode: '91', adoptedOn: '2024-01-01', targets: [{ metric: 'cooperatives', op: 'at_least', value: 1, deadline: '2030-12-31', quote: 'q' }] } },
    { path: '/api/plans/kien-giang-251-kh-ubnd-2023/amendments', body: { effectiveOn: '2024-01-01', reason: 'r', document: 'd' } },
  ];

  const hostileString = fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.constantFrom('', ' ', '\u0000', '\u202e', "'; DROP TABLE events; --", '<script>alert(1)</script>', '../../etc/passwd', '%00', '${7*7}', '{{7*7}}', 'Ｈợｐ', 'x'.repeat(5000)),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );
  const wrongValue = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 2 }), fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53 + 1));

  /** One broken part at least: a field with a wrong value, an unknown field, or a body that is not an object. */
  const brokenBody = (valid: Record<string, unknown>) =>
    fc.oneof(
      // a field of the command with a wrong type or value (some values happen to be valid: paired with an unknown key)
      fc.tuple(fc.constantFrom(...Object.keys(valid)), wrongValue, hostileString).map(([key, value, extra]) => ({ ...valid, [key]: value, [`zz${extra}`]: 1 })),
      // an unknown or hostile key
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'recordedBy', 'version').map((key) => JSON.parse(JSON.stringify(valid).replace(/^\{/, `{"${key}": {"polluted": true},`))),
      // not an object at all
      fc.oneof(fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)), fc.array(fc.jsonValue(), { maxLength: 3 })),
      // deep nesting
      fc.integer({ min: 50, max: 400 }).map((depth) => ({ ...valid, nested: JSON.parse('['.repeat(depth) + ']'.repeat(depth)) })),
    );

  const rawBody = fc.oneof(
    fc.constantFrom('{', '{"a":}', '[1,2', 'null garbage', '{"kind": "cooperative",,}', '\u0000\u0001', '{"a": 1e999999}', "{'single': 'quotes'}"),
    fc.string({ maxLength: 100 }).map((s) => `{${s}`),
  );

  const request = fc.record({
    endpoint: fc.integer({ min: 0, max: 11 }),
    kind: fc.constantFrom('broken-body', 'raw-body', 'bad-path', 'bad-header', 'bad-auth', 'content-type'),
    body: fc.constant(null),
    seed: fc.integer(),
    hostile: hostileString,
    brokenHeader: fc.constantFrom<[string, string]>(['if-match', 'yesterday'], ['if-match', '"-1"x'], ['idempotency-key', 'key with spaces'], ['idempotency-key', 'kh\u00f3a'], ['if-match', '"1", "2"'], ['idempotency-key', 'k'.repeat(300)], ['if-match', '"9999999999999999999999"']),
  });

  it('answers every hostile request with a 4xx problem and writes nothing', async () => {
    const before = await eventCount(pool);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, fc.context(), async (r, ctx) => {
        const target = endpoints()[r.endpoint];
        let path = target.path;
        let text: string;
        const headers: Record<string, string> = { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/json' };
        switch (r.kind) {
          case 'broken-body':
            text = JSON.stringify(fc.sample(brokenBody(target.body as Record<string, unknown>), { seed: r.seed, numRuns: 1 })[0]);
            break;
          case 'raw-body':
            text = fc.sample(rawBody, { seed: r.seed, numRuns: 1 })[0];
            break;
          case 'bad-path':
            path = target.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, encodeURIComponent(r.hostile) || '%20') + (r.seed % 2 ? '/../x' : '');
            if (path === target.path) path = `${target.path}/${encodeURIComponent(r.hostile)}x`;
            text = JSON.stringify(target.body);
            break;
          case 'bad-header':
            headers[r.brokenHeader[0]] = r.brokenHeader[1];
            text = JSON.stringify({ ...target.body, unknownField: r.hostile });
            break;
          case 'bad-auth':
            headers.authorization = r.seed % 3 === 0 ? `Bearer ${api.adminToken.slice(0, -3)}abc` : r.seed % 3 === 1 ? `Bearer ${r.hostile.replace(/[^\x20-\x7e]/g, '')}` : 'Bearer';
            text = JSON.stringify(target.body);
            break;
          default:
            headers['content-type'] = r.seed % 2 ? 'text/plain' : 'application/x-www-form-urlencoded';
            text = `kind=cooperative&name=${encodeURIComponent(r.hostile)}`;
        }
        const response = await fetch(`${api.baseUrl}${path}`, { method: 'POST', headers, body: text });
        const answer = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        ctx.log(`${r.kind} ${path} → ${response.status} ${answer.slice(0, 200)}`);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(answer).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
        if (response.status !== 404 || answer.startsWith('{')) expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    expect(await eventCount(pool)).toBe(before);
    // The run reached every refusal path, not just one.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401]));
  });
});
