import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { todayInVietnam } from '@ktt/domain';
import { NationalQueries } from '@ktt/read-models';
import { Requires } from '../auth/auth.decorators';
import { AnswerResponse } from '../openapi/answer-responses';
import { ProblemResponses } from '../openapi/problem-responses';
import { SeriesQueryDto, TemporalQueryDto } from '../http/query.dtos';
import { markDegraded, ReadConsistency } from '../http/read-consistency';

/**
 * The whole country (api.md, `/api/national/progress` and `/series`): the metrics of a province's
 * answers over every organization, whatever its province; no targets until national targets are data.
 */
@ApiTags('provinces')
@ApiBearerAuth()
@Requires('progress:read')
@ProblemResponses(400)
@Controller('api/national')
export class NationalController {
  constructor(
    private readonly national: NationalQueries,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get('progress')
  @ApiOperation({ summary: 'The metrics over the whole country, as of a date' })
  @AnswerResponse('NationalProgress', 'Every metric over the whole country, the coverage of those built on profile flags, and the population used for population_share')
  async progress(@Query() query: TemporalQueryDto, @Res({ passthrough: true }) res: Response) {
    const generation = await this.consistency.prepare(query);
    const answer = await this.national.progress(generation, query.asOf ?? todayInVietnam(), query.knownAt);
    return markDegraded(answer, await this.consistency.degraded(generation, { all: true }, res));
  }

  @Get('series')
  @ApiOperation({ summary: 'The metrics over the whole country at each period end between two dates' })
  @AnswerResponse('NationalSeriesPoint', 'One point (asOf, future, metrics) per month, quarter or year end', 'list')
  async series(@Query() query: SeriesQueryDto, @Res({ passthrough: true }) res: Response) {
    const generation = await this.consistency.prepare(query);
    const points = await this.national.series(generation, query.from, query.to, query.step, query.knownAt, query.metrics);
    await this.consistency.degraded(generation, { all: true }, res); // an array: the header says it
    return points;
  }
}
