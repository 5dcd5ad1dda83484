import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { ROOT, startApi, type ApiProcess } from './support/api-process';
import { cooperative } from './support/fixtures';
import { httpClient } from './support/http';

const run = promisify(execFile);
const REDOCLY = path.join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const WRITE_OPENAPI = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'openapi', 'write-openapi.js');

type Operation = { summary?: string; parameters?: { in: string; name: string }[]; security?: Record<string, string[]>[]; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };

/**
 * The OpenAPI document is a contract other tools read: the one the api serves is the one `npm run lint:openapi`
 * writes without a server, and it passes Redocly's recommended rules with every error answer documented.
 */
describe('the OpenAPI document', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let served: { paths: Record<string, Record<string, Operation>>; [key: string]: unknown };
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ktt-openapi-'));
    database = await createTestDatabase('e2e_openapi');
    api = await startApi({ DATABASE_URL: database.url, TRANSPARENCY_CHECKPOINT_SECONDS: '1' }); // the extract waits for a checkpoint covering its events
    const answer = await httpClient(api.baseUrl).get('/docs/openapi.json');
    expect(answer.status).toBe(200);
    served = answer.body;
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the document npm run openapi writes without a server', async () => {
    const written = path.join(dir, 'written.json');
    await run(process.execPath, [WRITE_OPENAPI, written], { cwd: ROOT });
    expect(JSON.parse(readFileSync(written, 'utf8'))).toEqual(served);
  });

  it('passes redocly lint (recommended rules) with no error and no warning', async () => {
    const file = path.join(dir, 'served.json');
    writeFileSync(file, JSON.stringify(served));
    // --format=json: the counts, whatever the terminal; a failed lint exits 1, which execFile throws.
    const { stdout } = await run(process.execPath, [REDOCLY, 'lint', file, '--format=json'], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' },
    }).catch((error: { stdout: string }) => error);
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('documents every error answer as application/problem+json with the Problem schema, and who may call', () => {
    const operations = Object.entries(served.paths).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${route}`, operation })),
    );
    expect(operations.length).toBeGreaterThan(20);
    for (const { name, operation } of operations) {
      expect({ name, summary: typeof operation.summary }).toEqual({ name, summary: 'string' });
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      expect({ name, statuses: errors.map(([status]) => status) }).toEqual({ name, statuses: expect.arrayContaining(['401', '429']) });
      for (const [status, response] of errors) {
        if (name === 'GET /health' && status === '503') continue; // the health report itself, not a problem
        expect({ name, status, content: response.content }).toEqual({
          name,
          status,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        });
      }
    }
    // A route that refuses a role says so; /api/me and /api/provinces take any role.
    expect(Object.keys(served.paths['/api/organizations'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409', '412', '422', '429', '503']),
    );
    expect(served.paths['/api/me'].get.responses['403']).toBeUndefined();
    // Every command (organizations and plans alike) documents the headers it reads.
    // POST /api/imports writes many streams: no If-Match or Idempotency-Key (it is idempotent by registration number).
    for (const { name, operation } of operations.filter(({ name }) => name.startsWith('POST ') && name !== 'POST /api/imports')) {
      const headers = (operation.parameters ?? []).filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name);
      expect({ name, headers }).toEqual({ name, headers: expect.arrayContaining(['If-Match', 'Idempotency-Key', 'X-Correlation-Id']) });
    }
    expect(served).toMatchObject({ servers: [{ url: '/' }], security: [{ bearer: [] }] });
    expect(served.paths['/health'].get.security).toEqual([{}, { bearer: [] }]);
  });
  it('describes each query answer by a schema the real answer meets (generated from the answer types)', async () => {
    const http = httpClient(api.baseUrl, { token: api.adminToken });
    const registered = cooperative();
    expect((await http.post('/api/organizations', registered)).status).toBe(201);
    const id = registered.id as string;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const operationAt = (route: string) => served.paths[route].get;
    const asked: [string, string][] = [
      ['/api/organizations', '/api/organizations?provinceCode=91'],
      ['/api/organizations/{id}', `/api/organizations/${id}`],
      ['/api/organizations/{id}/events', `/api/organizations/${id}/events`],
      ['/api/organizations/{id}/extract', `/api/organizations/${id}/extract`],
      ['/api/plans', '/api/plans'],
      ['/api/plans/{id}', `/api/plans/${(await http.get('/api/plans')).body[0].id}`],
      ['/api/provinces/{code}/progress', '/api/provinces/91/progress'],
      ['/api/provinces/{code}/progress/series', '/api/provinces/91/progress/series?from=2024-01-01&to=2024-12-31&step=quarter'],
      ['/api/audit/events', '/api/audit/events'],
      ['/api/audit/verify', '/api/audit/verify'],
    ];
    for (const [route, url] of asked) {
      const answer = await http.get(url);
      expect({ url, status: answer.status }).toEqual({ url, status: 200 });
      const schema = (operationAt(route).responses['200'].content as Record<string, { schema: object }>)['application/json'].schema;
      const validate = ajv.compile({ ...schema, components: served.components });
      validate(answer.body);
      expect({ url, errors: validate.errors ?? [] }).toEqual({ url, errors: [] });
    }
  });
});
