import type { Pool } from 'pg';
import { isUuid, isValidLocalDate, LIMITS, textProblem } from '@ktt/domain';

/**
 * The orders of GET /api/organizations (api.md): `id` (the default, what the list always had),
 * `name` (Vietnamese collation), `registeredOn` and `-registeredOn`. Each pages by keyset on
 * (its key, organization id), so a page never repeats or skips a row whatever the order.
 */
export const ORGANIZATION_SORTS = ['name', 'registeredOn', '-registeredOn'] as const;
export type OrganizationSort = (typeof ORGANIZATION_SORTS)[number];

/** Where the previous page stopped: the last row's sort key and id. */
export type OrganizationCursor =
  | { sort: 'id'; id: string }
  | { sort: 'name'; key: string; id: string }
  | { sort: 'registeredOn' | '-registeredOn'; key: string; id: string };

/**
 * Opaque to clients. The default order keeps the form its cursors always had (the last id), so a
 * cursor handed out before `sort` existed still continues; the other orders carry their key too,
 * base64url (the admin UI keeps cursors in the address, joined by commas).
 */
export function encodeOrganizationCursor(cursor: OrganizationCursor): string {
  if (cursor.sort === 'id') return cursor.id;
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id]), 'utf8').toString('base64url');
}

/** null when it is no cursor this list handed out. */
export function decodeOrganizationCursor(text: string): OrganizationCursor | null {
  if (isUuid(text)) return { sort: 'id', id: text.toLowerCase() };
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [sort, key, id] = value as unknown[];
  if (typeof key !== 'string' || !isUuid(id)) return null;
  // A name key is held to the name's own rule: the client chose this text, and a NUL would reach SQL as a 500.
  if (sort === 'name') return textProblem(key, { max: LIMITS.text.name }) === null ? { sort, key, id } : null;
  if ((sort === 'registeredOn' || sort === '-registeredOn') && isValidLocalDate(key)) return { sort, key, id };
  return null;
}

/**
 * The collation names are sorted by: Vietnamese by ICU (a, ă, â, b, …, d, đ, …: "An" < "Ấp" <
 * "Dương" < "Đông"), which the embedded server has. A server built without ICU has none of these;
 * it then sorts by its database's own collation rather than refusing the list (README).
 */
const VIETNAMESE_COLLATIONS = ['vi-VN-x-icu', 'vi-x-icu'];
const collations = new WeakMap<Pool, Promise<string | null>>();

export function nameCollation(pool: Pool): Promise<string | null> {
  let found = collations.get(pool);
  if (!found) {
    found = pool
      .query<{ collname: string }>(`SELECT collname FROM pg_collation WHERE collname = ANY($1::text[])`, [VIETNAMESE_COLLATIONS])
      .then(({ rows }) => VIETNAMESE_COLLATIONS.find((name) => rows.some((row) => row.collname === name)) ?? null);
    found.catch(() => collations.delete(pool));
    collations.set(pool, found);
  }
  return found;
}

/**
 * ORDER BY and the keyset condition ("after the cursor") of an order, on the timeline row `t`;
 * `key`, `id`: the parameters holding the cursor's key and id.
 */
export function orderSql(sort: OrganizationSort | 'id', collation: string | null, key: string, id: string): { orderBy: string; after: string } {
  switch (sort) {
    case 'id':
      return { orderBy: 't.organization_id', after: `t.organization_id > ${id}::uuid` };
    case 'name': {
      // Deterministic ICU collations break ties by code points, so (name, id) is a total order.
      const collate = collation ? ` COLLATE "${collation}"` : '';
      return {
        orderBy: `t.name${collate}, t.organization_id`,
        after: `(t.name${collate}, t.organization_id) > (${key}::text${collate}, ${id}::uuid)`,
      };
    }
    case 'registeredOn':
      return { orderBy: 't.registered_on, t.organization_id', after: `(t.registered_on, t.organization_id) > (${key}::date, ${id}::uuid)` };
    case '-registeredOn':
      return { orderBy: 't.registered_on DESC, t.organization_id DESC', after: `(t.registered_on, t.organization_id) < (${key}::date, ${id}::uuid)` };
  }
}
