import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.decorators';
import { todayInVietnam } from '@ktt/domain';
import { ProgressQueries } from '@ktt/read-models';
import { RequestValidationError } from '../http/problem';
import { SeriesQueryDto, TemporalQueryDto } from '../http/query.dtos';
import { ReadConsistency } from '../http/read-consistency';

function provinceCode(code: string): string {
  if (!/^\d{2}$/.test(code)) throw new RequestValidationError([{ path: 'path:code', message: 'code must be a two-digit province code' }]);
  return code;
}

@ApiTags('provinces')
@ApiBearerAuth()
@Requires('progress:read')
@Controller('api/provinces/:code/progress')
export class ProgressController {
  constructor(
    private readonly progress: ProgressQueries,
    private readonly consistency: ReadConsistency,
  ) {}

  /** Every metric of domain.md and each target in force, as of a date. */
  @Get()
  async get(@Param('code') code: string, @Query() query: TemporalQueryDto) {
    await this.consistency.prepare(query);
    return this.progress.progress(provinceCode(code), query.asOf ?? todayInVietnam(), query.knownAt);
  }

  /** One point per period end (month, quarter, year) between from and to. */
  @Get('series')
  async series(@Param('code') code: string, @Query() query: SeriesQueryDto) {
    await this.consistency.prepare(query);
    return this.progress.series(provinceCode(code), query.from, query.to, query.step, query.knownAt);
  }
}
