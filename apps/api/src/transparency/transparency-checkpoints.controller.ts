import { Controller, Get, Header, Inject, NotFoundException, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Request } from 'express';
import { TokenRevocations } from '@ktt/application';
import { TokenService } from '@ktt/auth';
import { CheckpointStore, type StoredCheckpoint } from '@ktt/transparency';
import { Public } from '../auth/auth.decorators';
import { authenticate } from '../auth/auth.guard';
import { BEARER_SCHEME } from '../openapi/openapi-document';
import { ProblemResponses } from '../openapi/problem-responses';
import { ConsistencyQueryDto } from '../http/query.dtos';

const EXAMPLE_NOTE = 'ktt-registry.local/log\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— ktt-registry.local/log Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';

/** minPosition is accepted as on every query (api.md) and needs no wait: checkpoints are not read models. */
export class CheckpointsQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'checkpoints of this many events or more (a tree size)' })
  @IsOptional()
  @Matches(/^(0|[1-9][0-9]{0,14})$/, { message: 'from must be a tree size: a whole number of 0 or more, without leading zeroes' })
  from?: string;
}

@ApiSchema({ name: 'Checkpoint' })
class CheckpointAnswer {
  @ApiProperty({ example: 20852163, description: 'the number of events the checkpoint covers' }) treeSize!: number;
  @ApiProperty({ example: '0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62', description: 'RFC 9162 root hash at that size, hex' }) rootHash!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ example: EXAMPLE_NOTE, description: 'the signed note (c2sp.org/tlog-checkpoint), byte for byte as issued' }) note!: string;
}

@ApiSchema({ name: 'CheckpointList' })
class CheckpointListAnswer {
  @ApiProperty({ type: [CheckpointAnswer], description: 'smallest tree size first, at most 1000' }) checkpoints!: CheckpointAnswer[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'ask again with from= this for the next page; null: no more' }) nextFrom!: number | null;
}

/**
 * The signed checkpoints and the key that verifies them (issue 18), for
 * anyone: they hold only hashes. No token is needed; one that is sent must be
 * valid (401 otherwise, counted per address), as on /health. The note is
 * answered byte for byte as issued, so a saved copy is what was signed.
 */
@ApiTags('transparency')
@Public()
@ApiBearerAuth(BEARER_SCHEME) // optional: nothing here needs one
@ProblemResponses(401, 429, 503)
@Controller('api/transparency')
export class TransparencyCheckpointsController {
  constructor(
    @Inject(CheckpointStore) private readonly checkpoints: CheckpointStore,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(TokenRevocations) private readonly revocations: TokenRevocations,
  ) {}

  @Get('checkpoint')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP tlog-checkpoint note); keep it to check the log later' })
  @ApiResponse({ status: 200, description: 'the signed note', content: { 'text/plain': { schema: { type: 'string' }, example: EXAMPLE_NOTE } } })
  @ProblemResponses(404)
  async latest(@Req() request: Request): Promise<string> {
    await this.refuseBadToken(request);
    const latest = await this.checkpoints.latest();
    if (!latest) throw new NotFoundException('no checkpoint has been issued yet: the first one follows the first events within TRANSPARENCY_CHECKPOINT_SECONDS');
    return latest.note;
  }

  @Get('checkpoints')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'Signed checkpoints from a tree size on, smallest first, a page of 1000 at a time' })
  @ApiResponse({ status: 200, description: 'the checkpoints and where the next page starts', type: CheckpointListAnswer })
  @ProblemResponses(400)
  async list(@Req() request: Request, @Query() query: CheckpointsQueryDto): Promise<CheckpointListAnswer> {
    await this.refuseBadToken(request);
    const page = await this.checkpoints.list({ from: Number(query.from ?? 0) });
    return { checkpoints: page.checkpoints.map(answer), nextFrom: page.nextFrom };
  }

  @Get('key')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'The verifier key of the checkpoints (<name>+<key ID>+<base64 Ed25519 key>, as Go\'s sumdb/note reads it)' })
  @ApiResponse({ status: 200, description: 'the verifier key and a newline', content: { 'text/plain': { schema: { type: 'string' }, example: 'ktt-registry.local/log+1f3a9c2e+AW0x…\n' } } })
  async key(@Req() request: Request): Promise<string> {
    await this.refuseBadToken(request);
    return `${this.checkpoints.verifierKey}\n`;
  }

  private async refuseBadToken(request: Request): Promise<void> {
    await authenticate(request, this.tokens, this.revocations);
  }
}

function answer(checkpoint: StoredCheckpoint): CheckpointAnswer {
  return { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash.toString('hex'), issuedAt: checkpoint.issuedAt, note: checkpoint.note };
}
