import { Controller, Get, Header, Inject, NotFoundException, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiOperation, ApiResponse, ApiSchema, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { TokenRevocations } from '@ktt/application';
import { TokenService } from '@ktt/auth';
import type { EventStore } from '@ktt/event-store';
import { CheckpointPendingError, CheckpointStore, TransparencyLog, TreeRangeError } from '@ktt/transparency';
import { Public, Requires } from '../auth/auth.decorators';
import { authenticate } from '../auth/auth.guard';
import { RequestValidationError } from '../http/problem';
import { ConsistencyQueryDto } from '../http/query.dtos';
import { IsId } from '../http/validators';
import { BEARER_SCHEME } from '../openapi/openapi-document';
import { ProblemResponses } from '../openapi/problem-responses';
import { EVENT_STORE, PG_POOL } from '../tokens';

const TREE_SIZE = /^(0|[1-9][0-9]{0,14})$/;
const treeSizeMessage = (field: string) => `${field} must be a tree size: a whole number of 0 or more, without leading zeroes`;

export class InclusionQueryDto extends ConsistencyQueryDto {
  @ApiProperty({ format: 'uuid', description: "the event's id (metadata.eventId)" })
  @IsId()
  eventId!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'the tree size to prove against; default: the latest checkpoint\'s' })
  @IsOptional()
  @Matches(TREE_SIZE, { message: treeSizeMessage('treeSize') })
  treeSize?: string;
}

export class ConsistencyProofQueryDto extends ConsistencyQueryDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'the older tree size (a checkpoint kept earlier)' })
  @Matches(TREE_SIZE, { message: treeSizeMessage('from') })
  from!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: "the newer tree size; default: the latest checkpoint's" })
  @IsOptional()
  @Matches(TREE_SIZE, { message: treeSizeMessage('to') })
  to?: string;
}

@ApiSchema({ name: 'StoredEvent' })
class StoredEventAnswer {
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty() type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'as stored, `hash` included' }) metadata!: Record<string, unknown>;
}

@ApiSchema({ name: 'InclusionProof' })
class InclusionProofAnswer {
  @ApiProperty({ type: 'integer', description: "the event's place in the global log, from 0" }) leafIndex!: number;
  @ApiProperty({ type: 'integer' }) treeSize!: number;
  @ApiProperty({ type: StoredEventAnswer, description: 'the whole event as stored (not upcast): recompute its hash (api.md) and its leaf SHA-256(0x00 || hash)' })
  event!: StoredEventAnswer;
  @ApiProperty({ type: [String], description: 'RFC 9162 §2.1.3 audit path, hex, from the leaf up' }) auditPath!: string[];
}

@ApiSchema({ name: 'ConsistencyProof' })
class ConsistencyProofAnswer {
  @ApiProperty({ type: 'integer' }) from!: number;
  @ApiProperty({ type: 'integer' }) to!: number;
  @ApiProperty({ type: [String], description: 'RFC 9162 §2.1.4 consistency proof, hex' }) proof!: string[];
}

/**
 * RFC 9162 proofs over the verifiable log (issue 18). A consistency proof
 * holds only hashes: anyone may ask (a token sent must still be valid). An
 * inclusion proof answers the whole event, so auditors and admins only.
 * Sizes default to the latest signed checkpoint's, the one a verifier holds.
 */
@ApiTags('transparency')
@Controller('api/transparency/proof')
export class TransparencyProofsController {
  private readonly log: TransparencyLog;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) pool: Pool,
    @Inject(CheckpointStore) private readonly checkpoints: CheckpointStore,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(TokenRevocations) private readonly revocations: TokenRevocations,
  ) {
    // Read only here: the tree is appended by the TreeBuilder of the projecting process.
    this.log = new TransparencyLog(pool);
  }

  @Get('inclusion')
  @ApiBearerAuth()
  @Requires('audit:read')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'RFC 9162 inclusion proof of one event, with the whole stored event (auditor, admin)' })
  @ApiResponse({ status: 200, type: InclusionProofAnswer, description: 'the leaf index, the tree size, the event and its audit path' })
  @ProblemResponses(400, 404)
  async inclusion(@Query() query: InclusionQueryDto): Promise<InclusionProofAnswer> {
    const leaf = await this.log.leafOf(query.eventId);
    if (!leaf) throw new NotFoundException(`no event ${query.eventId} in the verifiable log (an event is added within a second of its append)`);
    let treeSize: number;
    if (query.treeSize !== undefined) {
      treeSize = Number(query.treeSize);
      if (leaf.leafIndex >= treeSize) {
        throw new RequestValidationError([{ path: 'treeSize', message: `the event is leaf ${leaf.leafIndex}: treeSize must be at least ${leaf.leafIndex + 1}` }]);
      }
    } else {
      treeSize = await this.defaultSize();
      // Not yet under a signed checkpoint: the next one covers it within TRANSPARENCY_CHECKPOINT_SECONDS.
      if (leaf.leafIndex >= treeSize) throw new CheckpointPendingError(1);
    }
    const auditPath = await this.proving(() => this.log.inclusionProof(leaf.leafIndex, treeSize));
    const stored = (await this.store.readStream(leaf.streamId)).find((event) => event.revision === leaf.revision);
    if (!stored) throw new Error(`leaf ${leaf.leafIndex} names ${leaf.streamId}@${leaf.revision}, which the event store no longer holds`);
    const { streamId, revision, type, data, metadata } = stored;
    return { leafIndex: leaf.leafIndex, treeSize, event: { streamId, revision, type, data, metadata }, auditPath: auditPath.map(hex) };
  }

  @Get('consistency')
  @Public()
  @ApiBearerAuth(BEARER_SCHEME) // optional: nothing here needs one
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'RFC 9162 consistency proof between two tree sizes (no token: only hashes)' })
  @ApiResponse({ status: 200, type: ConsistencyProofAnswer, description: 'the sizes and the proof' })
  @ProblemResponses(400, 401, 429, 503)
  async consistency(@Req() request: Request, @Query() query: ConsistencyProofQueryDto): Promise<ConsistencyProofAnswer> {
    await authenticate(request, this.tokens, this.revocations);
    const from = Number(query.from);
    const to = query.to !== undefined ? Number(query.to) : await this.defaultSize();
    if (from > to) throw new RequestValidationError([{ path: 'from', message: `from (${from}) must not be greater than to (${to})` }]);
    const proof = await this.proving(() => this.log.consistencyProof(from, to));
    return { from, to, proof: proof.map(hex) };
  }

  /** The latest checkpoint's size (what verifiers hold), else the tree's own. */
  private async defaultSize(): Promise<number> {
    return (await this.checkpoints.latest())?.treeSize ?? (await this.log.size());
  }

  /** A size beyond the tree is the asker's 400, naming the field. */
  private async proving<T>(prove: () => Promise<T>): Promise<T> {
    try {
      return await prove();
    } catch (error) {
      if (error instanceof TreeRangeError) throw new RequestValidationError([{ path: error.field, message: error.message }]);
      throw error;
    }
  }
}

const hex = (buffer: Buffer): string => buffer.toString('hex');
