import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ForbiddenError, type Principal } from '@ktt/auth';
import { AdministrativeUnits, tokenUnits } from '@ktt/application';
import { todayInVietnam, type AdministrativeMap } from '@ktt/domain';
import type { EventStore } from '@ktt/event-store';
import { buildExtract, CheckpointStore, TransparencyLog, type ExtractState } from '@ktt/transparency';
import { Requires } from '../auth/auth.decorators';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ReadConsistency } from '../http/read-consistency';
import { TemporalQueryDto } from '../http/query.dtos';
import { uuidParam } from '../http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { EVENT_STORE, PG_POOL } from '../tokens';
import type { Pool } from 'pg';

/** The answer's shape; `state` is an organization's state as GET /api/organizations/{id} answers it. */
const EXTRACT_SCHEMA = {
  type: 'object',
  required: ['organizationId', 'asOf', 'knownAt', 'state', 'checkpoint', 'verifierKey', 'events'],
  additionalProperties: false,
  properties: {
    organizationId: { type: 'string', format: 'uuid' },
    asOf: { type: 'string', format: 'date' },
    knownAt: { type: 'string', format: 'date-time', description: 'only events recorded by then count (the moment of the extract when none was asked)' },
    state: { $ref: '#/components/schemas/OrganizationAsOf' },
    checkpoint: { type: 'string', description: 'the C2SP signed note (tlog-checkpoint) the proofs are checked against' },
    verifierKey: { type: 'string', description: 'the note verifier key the server signs with; check it against one obtained apart' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['leafIndex', 'event', 'auditPath'],
        additionalProperties: false,
        properties: {
          leafIndex: { type: 'integer', minimum: 0 },
          event: {
            type: 'object',
            description: 'the event as stored (not upcast): its metadata.hash is SHA-256 over it (api.md)',
            required: ['streamId', 'revision', 'type', 'data', 'metadata'],
            properties: { streamId: { type: 'string' }, revision: { type: 'integer' }, type: { type: 'string' }, data: { type: 'object' }, metadata: { type: 'object' } },
          },
          auditPath: { type: 'array', items: { type: 'string', pattern: '^[0-9a-f]{64}$' }, description: 'RFC 9162 inclusion proof, hex' },
        },
      },
    },
  },
};

/**
 * GET /api/organizations/{id}/extract (issue 18): a signed extract of the register, for an official to
 * hand to a bank or a court. It holds whole events, so: auditors, admins, and registrars of the
 * organization's province (its seat at `asOf`, read on today's map as a registrar's token is).
 */
@ApiTags('transparency')
@ApiBearerAuth()
@Controller('api/organizations')
export class ExtractController {
  /** Read only here (leaves and proofs): the tree is appended by the TreeBuilder of the projecting process. */
  private readonly log: TransparencyLog;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) pool: Pool,
    private readonly checkpoints: CheckpointStore,
    private readonly units: AdministrativeUnits,
    private readonly consistency: ReadConsistency,
  ) {
    this.log = new TransparencyLog(pool);
  }

  @Get(':id/extract')
  @Requires('history:read')
  @ApiOperation({
    summary: 'A signed extract of the register: the state as of a date, every event it was computed from with its inclusion proof, and the checkpoint they are proven against',
    description:
      'Check it offline with `npm run cli -- verify-extract <file> --key <verifier key>`. 503 CHECKPOINT_PENDING (with Retry-After) while an event it needs is not yet under a signed checkpoint.',
  })
  @ApiOkResponse({ description: 'The signed extract (libs/transparency/src/extract/extract.types.ts)', schema: EXTRACT_SCHEMA })
  @ProblemResponses(400, 404)
  async extract(@Param('id', uuidParam('id')) id: string, @Query() query: TemporalQueryDto, @Req() request: AuthenticatedRequest) {
    // The unions a cooperative may belong to come from the read model (read-your-writes honoured); the fold decides.
    const generation = await this.consistency.prepare(query);
    const map = await this.units.map();
    const principal = request.principal!;
    return buildExtract(
      {
        store: this.store,
        log: this.log,
        checkpoints: this.checkpoints,
        verifierKey: this.checkpoints.verifierKey,
        firstMap: this.units.first,
        unionCandidates: async (cooperativeId) => {
          const { rows } = await generation.pool.query<{ union_id: string }>(
            `SELECT DISTINCT union_id::text FROM ${generation.identifier}.union_memberships WHERE cooperative_id = $1`,
            [cooperativeId],
          );
          return rows.map((row) => row.union_id);
        },
      },
      { organizationId: id, asOf: query.asOf ?? todayInVietnam(), knownAt: query.knownAt ?? new Date().toISOString(), authorize: (state) => authorize(principal, map, state) },
    );
  }
}

/** Auditors and admins read every extract; a registrar only those of organizations seated in its token's territory at the date. */
function authorize(principal: Principal, map: AdministrativeMap, state: ExtractState): void {
  if (principal.role === 'admin' || principal.role === 'auditor') return;
  if (principal.role === 'registrar' && tokenUnits(principal, map, todayInVietnam()).has(state.formerProvinceCode)) return;
  throw new ForbiddenError(`${principal.subject} may not read the extract of ${state.id}: its seat at that date (province ${state.provinceCode}) lies outside the token's provinces`);
}
