import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { verifyAll, verifyStream } from '@ktt/application';
import type { EventStore } from '@ktt/event-store';
import { StoredLeaves } from '@ktt/transparency';
import type { Pool } from 'pg';
import { Requires } from '../auth/auth.decorators';
import { AnswerResponse } from '../openapi/answer-responses';
import { ProblemResponses } from '../openapi/problem-responses';
import { EVENT_STORE, PG_POOL } from '../tokens';
import { VerifyQueryDto } from './verify.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class VerifyController {
  private readonly leaves: StoredLeaves;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(PG_POOL) pool: Pool) {
    // Each event's hash is also compared with the verifiable log's stored leaf (issue 18).
    this.leaves = new StoredLeaves(pool);
  }

  /**
   * Recomputes the hash chain from the event store itself (not the read
   * models), so `minPosition` is accepted but needs no wait. An unknown
   * stream answers `checkedEvents: 0`.
   */
  @Get('verify')
  @Requires('audit:read')
  @ApiOperation({ summary: 'Recompute the hash chain of one stream, or of every stream' })
  @AnswerResponse('VerificationResult', '`ok`, the events checked, the first broken event if any, and orphan reservations')
  @ProblemResponses(400)
  verify(@Query() query: VerifyQueryDto) {
    return query.streamId ? verifyStream(this.store, query.streamId, this.leaves) : verifyAll(this.store, { leaves: this.leaves });
  }
}
