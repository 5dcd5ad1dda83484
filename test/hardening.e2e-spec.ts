import { createTestDatabase, type TestDatabase } from '@ktt/testing/postgres/test-database';
import { startApi, type ApiProcess } from './support/api-process';

describe('hardening', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  beforeAll(async () => {
    database = await createTestDatabase('e2e_hardening');
    api = await startApi({ DATABASE_URL: database.url, SEED_PLANS: 'false', CORS_ORIGINS: 'https://admin.example.gov.vn' });
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('sends security headers (helmet) and no X-Powered-By', async () => {
    const response = await fetch(`${api.baseUrl}/health`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('allows cross-origin requests only from the configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.baseUrl}/api/plans`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect((await preflight('https://admin.example.gov.vn')).headers.get('access-control-allow-origin')).toBe('https://admin.example.gov.vn');
    expect((await preflight('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never shows the token in its output', async () => {
    await fetch(`${api.baseUrl}/api/plans`, { headers: { authorization: `Bearer ${api.adminToken}` } });
    await fetch(`${api.baseUrl}/api/plans`, { headers: { authorization: 'Bearer not-a-valid-token-at-all' } });
    expect(api.output()).not.toContain(api.adminToken);
    expect(api.output()).not.toContain('not-a-valid-token-at-all');
  });
});
