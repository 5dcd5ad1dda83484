import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ApiProcess } from '../support/api-process';
import { type TestApi, eventCount, startTestApi } from '../support/test-api';
import { httpClient } from '../support/http';
import { cooperative } from '../support/fixtures';
import { recordFigures, waitFor } from '../support/reliability';

/**
 * The running product, tried as a hostile but authorised user would.
 * Every request below is one the api must refuse (4xx) without writing: the
 * whole batch is sent, then the event count must be what it was, no answer
 * may be a 5xx, and the projector must still be running with nothing
 * quarantined. A few hostile-looking but valid requests (ids in upper case,
 * odd Unicode at the length limit) are accepted and must project.
 */
describe('reliability: hostile input', () => {
  let api: ApiProcess;
  let pool: Pool;
  let started: TestApi;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    ({ api, pool } = started = await startTestApi('rel_hostile'));
  });
  afterAll(async () => {
    recordFigures('hostileInput', figures);
    await started?.stop();
  });

  it('refuses every hostile request with a 4xx, writes nothing for them, and the read side keeps going', async () => {
    const admin = httpClient(api.baseUrl, { token: api.adminToken });
    const registrar15 = httpClient(api.baseUrl, { token: api.token('registrar', ['15'], 'hostile-registrar-15') });
    const registrar91 = httpClient(api.baseUrl, { token: api.token('registrar', ['91'], 'honest-registrar-91') });
    const auditor = httpClient(api.baseUrl, { token: api.token('auditor', [], 'hostile-auditor') });
    const anonymous = httpClient(api.baseUrl);

    // What the hostile requests aim at: organizations that exist.
    const victim = cooperative();
    expect((await admin.post('/api/organizations', victim)).status).toBe(201);
    const membership = await admin.post(`/api/organizations/${victim.id}/membership`, { memberCount: 20, effectiveOn: '2021-01-01' });
    expect(membership.status).toBe(200);
    const sharedKey = `shared-${randomUUID()}`;
    const honest = await registrar91.post(`/api/organizations/${victim.id}/membership`, { memberCount: 21, effectiveOn: '2021-02-01' }, { 'idempotency-key': sharedKey });
    expect(honest.status).toBe(200);
    const history = await auditor.get(`/api/organizations/${victim.id}/events`);
    expect(history.status).toBe(200);
    const events = history.body as { eventId: string; type: string }[];
    const registeredEventId = events.find((event) => event.type === 'OrganizationRegistered')!.eventId;
    const membershipEventId = events.find((event) => event.type === 'MemberCountChanged')!.eventId;

    const NUL = 'a\u0000b';
    const hostileTexts = [NUL, 'tab\tin name', 'bell\u0007', 'lone \ud800 surrogate', 'x'.repeat(201), '', '   '];
    // Free-text fields (reasons, findings) allow line breaks and up to 1000–2000 characters: past that is hostile.
    const hostileReasons = [NUL, 'tab\there', 'bell\u0007', 'lone \udc00 surrogate', 'x'.repeat(2001), '', '   '];
    const badDates = ['2025-W01-1', '2025-001', '2025', '2024-02-30', '2024-2-3', '20240203', '2099-01-01', '2024-01-01T00:00:00Z'];
    const badTimestamps = ['2025-W01-1', '2025', '2025-001', 'yesterday', '2025-13-01T00:00:00Z', '2025-01-01T25:00:00Z', '1e10'];
    const requests: { kind: string; send: () => Promise<{ status: number }> }[] = [];
    const add = (kind: string, send: () => Promise<{ status: number }>) => requests.push({ kind, send });

    // 1. One UUID, two spellings: the upper-case form of an existing id.
    add('upper-case id of an existing organization', () => registrar15.post('/api/organizations', cooperative({ id: victim.id.toUpperCase(), provinceCode: '15' })));
    add('upper-case id of an existing organization', () => admin.post('/api/organizations', cooperative({ id: victim.id.toUpperCase() })));
    add('mixed-case id of an existing organization', () => admin.post('/api/organizations', cooperative({ id: victim.id.replace(/[a-f]/g, (c) => c.toUpperCase()) })));
    // 2. Corrections held to the limits of the command they replace.
    for (const memberCount of [3_000_000_000, -1, 0, 1.5, Number.MAX_SAFE_INTEGER, '12'] as unknown[]) {
      add('correction replacement out of range', () =>
        auditor.post(`/api/organizations/${victim.id}/corrections`, { eventId: membershipEventId, reason: 'typo', replacement: { memberCount, effectiveOn: '2021-01-01' } }),
      );
    }
    for (const text of hostileTexts) {
      add('correction of the registration with hostile text', () => auditor.post(`/api/organizations/${victim.id}/corrections`, { eventId: registeredEventId, reason: 'fix', replacement: { ...victim, name: text } }));
    }
    for (const text of hostileReasons) {
      add('correction reason with hostile text', () => auditor.post(`/api/organizations/${victim.id}/corrections`, { eventId: membershipEventId, reason: text }));
      add('suspension with hostile reason', () => admin.post(`/api/organizations/${victim.id}/suspension`, { effectiveOn: '2022-01-01', reason: text }));
    }
    // 3. Another subject's idempotency key, and a writer outside its province.
    add("another subject's idempotency key", () =>
      registrar15.post(`/api/organizations/${victim.id}/membership`, { memberCount: 21, effectiveOn: '2021-02-01' }, { 'idempotency-key': sharedKey }),
    );
    add('registrar outside its province', () => registrar15.post(`/api/organizations/${victim.id}/membership`, { memberCount: 30, effectiveOn: '2021-03-01' }));
    // 4. Text and dates the database must never see.
    for (const text of hostileTexts) {
      add('registration with hostile name', () => admin.post('/api/organizations', cooperative({ name: text })));
      add('registration with hostile registration number', () => admin.post('/api/organizations', cooperative({ registrationNumber: text })));
    }
    for (const date of badDates) {
      add('registration with a malformed date', () => admin.post('/api/organizations', cooperative({ registeredOn: date })));
      add('membership with a malformed date', () => admin.post(`/api/organizations/${victim.id}/membership`, { memberCount: 40, effectiveOn: date }));
      // A future asOf is a valid question, so only malformed ones here.
      if (date !== '2099-01-01') add('progress with a malformed asOf', () => admin.get(`/api/provinces/91/progress?asOf=${encodeURIComponent(date)}`));
    }
    for (const knownAt of badTimestamps) {
      add('list with a malformed knownAt', () => admin.get(`/api/organizations?knownAt=${encodeURIComponent(knownAt)}`));
      add('progress with a malformed knownAt', () => admin.get(`/api/provinces/91/progress?knownAt=${encodeURIComponent(knownAt)}`));
    }
    // Percent-encoded as a client would send them; %ED%A0%80 is a lone surrogate in (invalid) UTF-8.
    for (const q of ['a%00b', '%00', 'a%01b', '%ED%A0%80', '%FF', 'x'.repeat(201)]) {
      add('search with hostile q', () => admin.get(`/api/organizations?q=${q}`));
    }
    for (const id of ['not-a-uuid', '..%2F..%2Fplans', `${victim.id}%00`, `${victim.id}'--`]) {
      add('path id that is not a UUID', () => admin.get(`/api/organizations/${id}`));
      add('command on a path id that is not a UUID', () => admin.post(`/api/organizations/${id}/membership`, { memberCount: 40, effectiveOn: '2022-01-01' }));
    }
    for (const memberCount of [3_000_000_000, 2 ** 31, -5, 1e308, 'many', null]) {
      add('membership out of range', () => admin.post(`/api/organizations/${victim.id}/membership`, { memberCount, effectiveOn: '2022-01-01' }));
    }
    // 5–8. Operations, positions and tokens.
    add('minPosition far beyond the head', () => admin.get('/api/organizations?minPosition=999999999.999999999'));
    add('minPosition that is no position', () => admin.get('/api/organizations?minPosition=abc'));
    add('no token', () => anonymous.post('/api/organizations', cooperative()));
    add('forged token', () => httpClient(api.baseUrl, { token: `${api.adminToken.slice(0, -4)}AAAA` }).post('/api/organizations', cooperative()));
    add('metrics without its token', () => anonymous.get('/metrics'));

    const before = await eventCount(pool);
    const statuses: Record<string, Record<number, number>> = {};
    const serverErrors: string[] = [];
    for (const request of requests) {
      const { status } = await request.send();
      statuses[request.kind] ??= {};
      statuses[request.kind][status] = (statuses[request.kind][status] ?? 0) + 1;
      if (status >= 500) serverErrors.push(`${request.kind}: ${status}`);
      if (status < 400) serverErrors.push(`${request.kind}: accepted with ${status}`);
    }
    const after = await eventCount(pool);

    // A few hostile-looking but valid writes: accepted, and they must project.
    const oddName = `Hợp tác xã ${'\u0301'.repeat(3)}𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ `.padEnd(200, 'ạ');
    const accepted = [
      await admin.post('/api/organizations', cooperative({ name: oddName.slice(0, 200) })),
      await admin.post(`/api/organizations/${victim.id.toUpperCase()}/membership`, { memberCount: 2_000_000, effectiveOn: '2022-06-01' }),
    ];
    const health = await waitFor(async () => {
      const answer = await admin.get('/health');
      return answer.status === 200 ? answer : null;
    }, 30_000, 'a healthy api after the hostile batch').catch(() => admin.get('/health'));
    const read = await admin.get(`/api/organizations/${victim.id}`);

    figures.requests = requests.length;
    figures.kinds = Object.keys(statuses).length;
    figures.statusesByKind = statuses;
    figures.serverErrors = serverErrors.length;
    figures.writesFromRefusedRequests = after - before;
    figures.acceptedHostileLooking = accepted.filter((answer) => answer.status < 300).length;
    figures.projectorStops = health.status === 200 ? 0 : 1;

    expect(serverErrors).toEqual([]);
    expect(after).toBe(before);
    expect(accepted.map((answer) => answer.status)).toEqual([201, 200]);
    expect(health.status).toBe(200);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: victim.id, memberCount: 2_000_000 });
    expect(JSON.stringify(health.body)).not.toMatch(/quarantin\w*"\s*:\s*\[\s*\{/);
  });
});
