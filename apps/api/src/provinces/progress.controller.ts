import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.decorators';
import { AnswerResponse } from '../openapi/answer-responses';
import { ProblemResponses } from '../openapi/problem-responses';
import { todayInVietnam } from '@ktt/domain';
import { AdministrativeUnits } from '@ktt/application';
import { ProgressQueries } from '@ktt/read-models';
import { RequestValidationError } from '../http/problem';
import { SeriesQueryDto, TemporalQueryDto } from '../http/query.dtos';
import { markDegraded, ReadConsistency } from '../http/read-consistency';

/** Two digits (else 400), and a code that named a province on some date (else 404 UNKNOWN_PROVINCE: api.md, "Queries"). */
async function provinceCode(code: string, units: AdministrativeUnits): Promise<string> {
  if (!/^\d{2}$/.test(code)) throw new RequestValidationError([{ path: 'path:code', message: 'code must be a two-digit province code' }]);
  await units.requireKnownProvinceCode(code, 'path:code', 'url-path');
  return code;
}

@ApiTags('provinces')
@ApiBearerAuth()
@Requires('progress:read')
@ProblemResponses(400, 404)
@Controller('api/provinces/:code/progress')
export class ProgressController {
  constructor(
    private readonly progress: ProgressQueries,
    private readonly consistency: ReadConsistency,
    private readonly units: AdministrativeUnits,
  ) {}

  /** Every metric of domain.md and each target in force, as of a date. */
  @Get()
  @ApiOperation({ summary: 'A province\'s metrics and the targets in force, as of a date' })
  @AnswerResponse('ProvinceProgress', 'Every metric and each target\'s evaluation')
  async get(@Param('code') code: string, @Query() query: TemporalQueryDto, @Res({ passthrough: true }) res: Response) {
    const generation = await this.consistency.prepare(query);
    const answer = await this.progress.progress(generation, await provinceCode(code, this.units), query.asOf ?? todayInVietnam(), query.knownAt);
    return markDegraded(answer, await this.consistency.degraded(generation, { province: answer.provinceCode }, res));
  }

  /** One point per period end (month, quarter, year) between from and to. */
  @Get('series')
  @ApiOperation({ summary: 'A province\'s metrics at each period end between two dates' })
  @AnswerResponse('SeriesPoint', 'One point (asOf, metrics) per month, quarter or year end', 'list')
  async series(@Param('code') code: string, @Query() query: SeriesQueryDto, @Res({ passthrough: true }) res: Response) {
    const generation = await this.consistency.prepare(query);
    const points = await this.progress.series(generation, await provinceCode(code, this.units), query.from, query.to, query.step, query.knownAt);
    await this.consistency.degraded(generation, { province: code }, res); // an array: the header says it
    return points;
  }
}
