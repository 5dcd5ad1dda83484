import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { isCanonicalUuid, ORGANIZATION_EVENT_SCHEMA_VERSIONS } from '@ktt/domain';
import { createMigratedDatabase, type MigratedDatabase } from '@ktt/testing/postgres/migrated-database';
import { CANONICAL_ORGANIZATION_STREAM, sqlSafe } from './facts-in-database';

/**
 * The facts phase's safety test (facts-in-database.ts) was made cheaper; it must take and leave
 * exactly the events its earlier form did. Both are run in PostgreSQL on crafted events: each value
 * the test looks at varied alone from a safe event, and random mixes of them. The canonical-stream
 * test is also held to the domain's own isCanonicalUuid.
 */

/** The safety test as it was before (commit 24a84c5), `$1` the current schema versions. */
const OLD_CANONICAL = (x: string) => `(length(${x}) = 36 AND translate(${x}, '0123456789abcdef-', '') = '' AND length(replace(${x}, '-', '')) = 32
  AND substr(${x}, 9, 1) = '-' AND substr(${x}, 14, 1) = '-' AND substr(${x}, 19, 1) = '-' AND substr(${x}, 24, 1) = '-'
  AND ((substr(${x}, 15, 1) BETWEEN '1' AND '8' AND substr(${x}, 20, 1) IN ('8', '9', 'a', 'b'))
       OR ${x} IN ('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff')))`;
const oldText = (json: string) => `nullif(CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${json} #>> '{}' END, '')`;
const OLD_SQL_SAFE = `coalesce(
  (e.metadata->>'eventId') = e.event_id::text
  AND jsonb_typeof(e.metadata->'recordedAt') = 'string' AND JSON_VALUE(e.metadata, '$.recordedAt' RETURNING timestamptz) IS NOT NULL
  AND jsonb_typeof(e.metadata->'recordedBy') = 'string'
  AND e.stream_revision <= 2147483647
  AND (${oldText("e.data->'effectiveOn'")} IS NULL OR JSON_VALUE(e.data, '$.effectiveOn' RETURNING date) IS NOT NULL)
  AND (e.event_type <> 'RecordCorrected' OR ${oldText("e.data->'retractedEventId'")} IS NULL OR JSON_VALUE(e.data, '$.retractedEventId' RETURNING uuid) IS NOT NULL)
  AND (NOT starts_with(e.stream_id, 'organization-') OR (${OLD_CANONICAL('substr(e.stream_id, 14)')}
       AND ($1::jsonb -> e.event_type IS NULL OR e.metadata->'schemaVersion' = $1::jsonb -> e.event_type))),
  false)`;

interface Probe {
  stream_id: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: unknown;
}

const ID = '5f0c2a4e-9b1d-4c3e-8f7a-0123456789ab';
const EVENT_ID = 'a1b2c3d4-e5f6-4a7b-9c8d-0e1f2a3b4c5d';

/** Ids an organization's stream may be named by: canonical ones and every way of missing that form. */
const STREAM_IDS = [
  ID,
  '6ba7b810-9dad-11d1-80b4-00c04fd430c8', // v1
  '01890a5d-ac96-774b-bcce-b302099a8057', // v7
  '01890a5d-ac96-874b-bcce-b302099a8057', // v8
  '01890a5d-ac96-974b-bcce-b302099a8057', // v9
  '01890a5d-ac96-074b-bcce-b302099a8057', // v0
  '01890a5d-ac96-474b-cbce-b302099a8057', // variant c
  '01890a5d-ac96-474b-7bce-b302099a8057', // variant 7 (NCS)
  '01890a5d-ac96-474b-fbce-b302099a8057', // variant f
  '00000000-0000-0000-0000-000000000000', // Nil
  'ffffffff-ffff-ffff-ffff-ffffffffffff', // Max
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '00000000-0000-0000-0000-000000000001',
  ID.toUpperCase(),
  `${ID.slice(0, 10)}${ID.slice(10, 11).toUpperCase()}${ID.slice(11)}`,
  `{${ID}}`,
  ID.replaceAll('-', ''),
  `${ID.replaceAll('-', '').match(/.{4}/g)!.join('-')}`, // hyphen after every fourth digit (PostgreSQL reads it)
  `${ID.slice(0, 8)}${ID.slice(9)}-`, // hyphen moved
  ` ${ID}`,
  `${ID} `,
  `${ID}0`,
  ID.slice(0, 35),
  `${ID.slice(0, 35)}g`,
  `${ID.slice(0, 35)}é`,
  `${ID.slice(0, 35)}\u0660`, // an Arabic-Indic digit
  `${ID.slice(0, 8)}\u2010${ID.slice(9)}`, // a Unicode hyphen
  'urn:uuid:' + ID,
  '',
  'not-a-uuid',
  '--------------------------------------------',
  '0123456789abcdef-0123456789abcdef-0123',
];

const base = (overrides: Partial<Probe> = {}): Probe => ({
  stream_id: `organization-${ID}`,
  stream_revision: '3',
  event_id: EVENT_ID,
  event_type: 'MemberCountChanged',
  data: { organizationId: ID, effectiveOn: '2021-01-01', memberCount: 12 },
  metadata: { eventId: EVENT_ID, recordedAt: '2021-01-02T03:04:05.678Z', recordedBy: 'someone', schemaVersion: 1 },
  ...overrides,
});

/** Values each field the test reads may take in a stored event: fine, absent, of another type, not casting. */
const RECORDED_AT = ['2021-01-02T03:04:05.678Z', '2021-01-02', '2021-13-45T00:00:00Z', 'yesterday', 'now', 'infinity', '', ' ', 20210102, null, true, ['2021-01-02'], undefined];
const EFFECTIVE_ON = ['2021-01-01', '2021-02-30', '2021-13-01', '20210101', '', ' ', 'epoch', 'infinity', 20210101, null, false, ['2021-01-01'], { on: '2021-01-01' }, undefined];
const RETRACTED = [EVENT_ID, EVENT_ID.toUpperCase(), `{${EVENT_ID}}`, 'x', '', 42, null, undefined];
const EVENT_IDS = [EVENT_ID, EVENT_ID.toUpperCase(), randomUUID(), '', 42, null, undefined];
const RECORDED_BY = ['someone', '', 42, null, { id: 'x' }, undefined];
const SCHEMA_VERSIONS = [1, 2, 3, 1.0, 2.0, '1', '2', null, undefined, [1]];
const TYPES = [...Object.keys(ORGANIZATION_EVENT_SCHEMA_VERSIONS), 'PlanAdopted', 'SomethingElse', ''];
const REVISIONS = ['0', '2147483647', '2147483648'];
const STREAMS = [...STREAM_IDS.map((id) => `organization-${id}`), 'plan-fd-1', 'registration-number-FD-1', 'organization', 'Organization-' + ID];

const withField = (object: unknown, key: string, value: unknown): Record<string, unknown> => {
  const copy = { ...(object as Record<string, unknown>) };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
};

describe('rebuild: the facts phase safety test', () => {
  let database: MigratedDatabase;

  beforeAll(async () => {
    database = await createMigratedDatabase('factssafe');
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /** Both forms of the test, and the new one's canonical-stream part, for each probe. */
  const judge = async (probes: Probe[]): Promise<{ old: boolean; new: boolean; canonical: boolean | null }[]> => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `CREATE TEMP TABLE probe (k int, stream_id text, stream_revision bigint, event_id uuid, event_type text, data jsonb, metadata jsonb) ON COMMIT DROP`,
      );
      await client.query(
        `INSERT INTO probe SELECT * FROM unnest($1::int[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[])`,
        [
          probes.map((_, k) => k),
          probes.map((p) => p.stream_id),
          probes.map((p) => p.stream_revision),
          probes.map((p) => p.event_id),
          probes.map((p) => p.event_type),
          probes.map((p) => JSON.stringify(p.data)),
          probes.map((p) => JSON.stringify(p.metadata)),
        ],
      );
      const { rows } = await client.query<{ old: boolean; new: boolean; canonical: boolean | null }>(
        `SELECT ${OLD_SQL_SAFE} AS old, ${sqlSafe(ORGANIZATION_EVENT_SCHEMA_VERSIONS)} AS new,
                CASE WHEN starts_with(e.stream_id, 'organization-') THEN ${CANONICAL_ORGANIZATION_STREAM} END AS canonical
           FROM probe e ORDER BY k`,
        [JSON.stringify(ORGANIZATION_EVENT_SCHEMA_VERSIONS)],
      );
      await client.query('COMMIT');
      return rows;
    } finally {
      client.release();
    }
  };

  const variations = (): Probe[] => [
    base(),
    ...STREAMS.map((stream_id) => base({ stream_id })),
    ...RECORDED_AT.map((value) => base({ metadata: withField(base().metadata, 'recordedAt', value) })),
    ...RECORDED_BY.map((value) => base({ metadata: withField(base().metadata, 'recordedBy', value) })),
    ...EVENT_IDS.map((value) => base({ metadata: withField(base().metadata, 'eventId', value) })),
    ...TYPES.flatMap((event_type) => SCHEMA_VERSIONS.map((value) => base({ event_type, metadata: withField(base().metadata, 'schemaVersion', value) }))),
    ...EFFECTIVE_ON.map((value) => base({ data: withField(base().data, 'effectiveOn', value) })),
    ...RETRACTED.flatMap((value) =>
      ['RecordCorrected', 'MemberCountChanged'].map((event_type) =>
        base({ event_type, metadata: withField(base().metadata, 'schemaVersion', 2), data: withField(base().data, 'retractedEventId', value) }),
      ),
    ),
    ...REVISIONS.map((stream_revision) => base({ stream_revision })),
    base({ data: [] }),
    base({ data: 'text' }),
    base({ metadata: { eventId: EVENT_ID } }),
  ];

  it('takes and leaves exactly the events the earlier form did, each value varied alone', async () => {
    const probes = variations();
    const verdicts = await judge(probes);
    const differing = probes.filter((_, k) => verdicts[k].old !== verdicts[k].new);
    expect(differing).toEqual([]);
    // Both verdicts occur often, so the comparison can tell a difference.
    expect(verdicts.filter((v) => v.old).length).toBeGreaterThan(20);
    expect(verdicts.filter((v) => !v.old).length).toBeGreaterThan(50);
  });

  it('holds to the earlier form on random mixes of those values', async () => {
    const optional = <T>(values: readonly T[]) => fc.constantFrom(...values);
    const probe = fc
      .record({
        stream_id: optional(STREAMS),
        stream_revision: optional(REVISIONS),
        event_type: optional(TYPES),
        recordedAt: optional(RECORDED_AT),
        recordedBy: optional(RECORDED_BY),
        eventId: optional(EVENT_IDS),
        schemaVersion: optional(SCHEMA_VERSIONS),
        effectiveOn: optional(EFFECTIVE_ON),
        retractedEventId: optional(RETRACTED),
      })
      .map((v): Probe => {
        let metadata: unknown = base().metadata;
        for (const key of ['recordedAt', 'recordedBy', 'eventId', 'schemaVersion'] as const) metadata = withField(metadata, key, v[key]);
        const data = withField(withField(base().data, 'effectiveOn', v.effectiveOn), 'retractedEventId', v.retractedEventId);
        return base({ stream_id: v.stream_id, stream_revision: v.stream_revision, event_type: v.event_type, metadata, data });
      });
    const probes = fc.sample(probe, { numRuns: 2000, seed: 19 });
    const verdicts = await judge(probes);
    expect(probes.filter((_, k) => verdicts[k].old !== verdicts[k].new)).toEqual([]);
  });

  it('names a stream canonical exactly when the domain (isCanonicalUuid) does, for crafted and random ids in any case', async () => {
    const random = fc.sample(
      fc.tuple(fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] }), fc.boolean(), fc.nat(35)).map(([id, upper, at]) =>
        upper ? `${id.slice(0, at)}${id.slice(at, at + 1).toUpperCase()}${id.slice(at + 1)}` : id,
      ),
      { numRuns: 1000, seed: 19 },
    );
    const ids = [...STREAM_IDS, ...random];
    const verdicts = await judge(ids.map((id) => base({ stream_id: `organization-${id}` })));
    expect(ids.filter((id, k) => (verdicts[k].canonical ?? false) !== isCanonicalUuid(id))).toEqual([]);
    expect(ids.filter((id) => isCanonicalUuid(id)).length).toBeGreaterThan(100);
    expect(ids.filter((id) => !isCanonicalUuid(id)).length).toBeGreaterThan(100);
  });
});
