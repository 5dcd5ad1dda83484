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
  @ApiOkResponse({ description: '`{ organizationId, asOf, knownAt, state, checkpoint, verifierKey, events: [{ leafIndex, event: { streamId, revision, type, data, metadata }, auditPath }] }`' })
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
