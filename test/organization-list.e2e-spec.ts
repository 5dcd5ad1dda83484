import type { ApiProcess } from './support/api-process';
import { type TestApi, startTestApi } from './support/test-api';
import { httpClient } from './support/http';
import { cooperative } from './support/fixtures';

interface Listed {
  id: string;
  name: string;
  registeredOn: string;
}
interface ListPage {
  items: Listed[];
  nextCursor: string | null;
  total: number;
}

/**
 * GET /api/organizations (api.md): `total` over every page, the registration period, and the orders
 * (names by Vietnamese collation), each paged by its cursor without repeats or gaps; over HTTP, on
 * the built app and a real PostgreSQL.
 */
describe('the organizations list: total, registration period, sort', () => {
  let api: ApiProcess;
  let started: TestApi;
  let http: ReturnType<typeof httpClient>;

  // The Vietnamese alphabet: a < ă < â, d < đ. Byte order would put "Ấp" and "Đông" after "Dương";
  // an accent-blind order would put "Đông" before "Dương". Two names and two dates are shared, to page through ties.
  const organizations = [
    { name: 'Đông Hòa', registeredOn: '2021-06-15', memberCount: 7 },
    { name: 'Dương Đông', registeredOn: '2020-01-01', memberCount: 8 },
    { name: 'Ấp Bắc', registeredOn: '2022-03-10', memberCount: 9 },
    { name: 'An Phú', registeredOn: '2020-01-01', memberCount: 10 },
    { name: 'Bình An', registeredOn: '2019-12-31', memberCount: 11 },
    { name: 'An Phú', registeredOn: '2023-05-05', memberCount: 12 },
    { name: 'Ăn Chắc', registeredOn: '2021-06-15', memberCount: 13 },
  ].map((o) => ({ ...cooperative(o), ...o }));
  const vietnameseOrder = ['An Phú', 'An Phú', 'Ăn Chắc', 'Ấp Bắc', 'Bình An', 'Dương Đông', 'Đông Hòa'];

  beforeAll(async () => {
    ({ api } = started = await startTestApi('e2e_org_list', { SEED_PLANS: 'false' }));
    http = httpClient(api.baseUrl, { token: api.adminToken });
    for (const body of organizations) expect((await http.post('/api/organizations', body)).status).toBe(201);
  });
  afterAll(() => started?.stop());

  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  /** A cursor in the list's own encoding, with whatever a client puts in it. */
  function forged(value: unknown[]): string {
    return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  }

  /** Every page of a question, `limit` at a time: the items in order, and each page's total. */
  async function walk(query: string, limit: number): Promise<{ items: Listed[]; totals: number[] }> {
    const items: Listed[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    do {
      const answer: { status: number; body: ListPage } = await http.get(`/api/organizations?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...answer.body.items);
      totals.push(answer.body.total);
      cursor = answer.body.nextCursor;
    } while (cursor);
    return { items, totals };
  }

  it('answers total: every match, not the page', async () => {
    const first = await http.get('/api/organizations?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toBe(organizations.length);
    const none = await http.get('/api/organizations?q=nothing-like-this');
    expect(none.body).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('orders names by Vietnamese collation: An, Ăn, Ấp, Bình, Dương, Đông', async () => {
    const { items, totals } = await walk('sort=name', 2);
    expect(items.map((o) => o.name)).toEqual(vietnameseOrder);
    expect(new Set(items.map((o) => o.id)).size).toBe(organizations.length);
    expect(new Set(totals)).toEqual(new Set([organizations.length]));
  });

  it.each([
    ['registeredOn', 1],
    ['-registeredOn', 1],
    ['registeredOn', 3],
    ['-registeredOn', 2],
  ] as const)('orders by %s and pages %i at a time without repeats or gaps, ties by id', async (sort, limit) => {
    const { items, totals } = await walk(`sort=${sort}`, limit);
    const direction = sort === 'registeredOn' ? 1 : -1;
    const expected = [...organizations]
      .sort((a, b) => direction * (compare(a.registeredOn, b.registeredOn) || compare(a.id, b.id)))
      .map((o) => o.id);
    expect(items.map((o) => o.id)).toEqual(expected);
    expect(new Set(totals)).toEqual(new Set([organizations.length]));
  });

  it('pages the default order (by id) as before, its cursor still the last id', async () => {
    const first = await http.get('/api/organizations?limit=3');
    expect(first.body.nextCursor).toBe(first.body.items[2].id);
    const { items } = await walk('asOf=2024-01-01', 3);
    expect(items.map((o) => o.id)).toEqual(organizations.map((o) => o.id).sort());
  });

  it('filters by registration period, both ends inclusive, and counts the filtered total', async () => {
    const { items, totals } = await walk('registeredFrom=2020-01-01&registeredTo=2021-06-15&sort=name', 2);
    expect(items.map((o) => o.name)).toEqual(['An Phú', 'Ăn Chắc', 'Dương Đông', 'Đông Hòa']);
    expect(new Set(totals)).toEqual(new Set([4]));
    const oneDay = await http.get('/api/organizations?registeredFrom=2019-12-31&registeredTo=2019-12-31');
    expect(oneDay.body.items.map((o: Listed) => o.name)).toEqual(['Bình An']);
    expect(oneDay.body.total).toBe(1);
    const from = await http.get('/api/organizations?registeredFrom=2022-01-01&sort=-registeredOn');
    expect(from.body.items.map((o: Listed) => o.registeredOn)).toEqual(['2023-05-05', '2022-03-10']);
  });

  it.each([
    ['registeredFrom=2022-01-01&registeredTo=2021-12-31', 'registeredTo', /before registeredFrom/],
    ['registeredFrom=2024-02-30', 'registeredFrom', /calendar date/],
    ['registeredTo=2024-1-5', 'registeredTo', /calendar date/],
    ['sort=province', 'sort', /name, registeredOn, -registeredOn/],
    ['cursor=not-a-uuid', 'cursor', /nextCursor/],
    ['cursor=abc%2Cdef', 'cursor', /nextCursor/],
    // A forged name cursor is text the client chose: a NUL (or a name no organization may have) must not reach SQL as a 500.
    [`sort=name&cursor=${forged(['name', 'a\u0000b', '135ad4d3-1a74-557c-a2d7-1f03054950a3'])}`, 'cursor', /nextCursor/],
  ])('refuses %s with 400 naming %s', async (query, path, message) => {
    const answer = await http.get(`/api/organizations?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe('VALIDATION_FAILED');
    const error = answer.body.errors.find((e: { path: string }) => e.path === path);
    expect(error?.message).toMatch(message);
  });

  it('refuses a cursor of another order (400 naming cursor): it names no place in this one', async () => {
    const byName = await http.get('/api/organizations?sort=name&limit=2');
    const other = await http.get(`/api/organizations?sort=registeredOn&cursor=${byName.body.nextCursor}`);
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual([{ path: 'cursor', message: 'cursor continues sort=name, not sort=registeredOn' }]);
    const byId = await http.get('/api/organizations?limit=2');
    expect((await http.get(`/api/organizations?sort=name&cursor=${byId.body.nextCursor}`)).status).toBe(400);
  });
});
