import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.decorators';
import { AnswerResponse } from '../openapi/answer-responses';
import { ProblemResponses } from '../openapi/problem-responses';
import { todayInVietnam, type AdministrativeMap, type LocalDate, type Territory } from '@ktt/domain';
import { AdministrativeUnits } from '@ktt/application';
import { ProgressQueries } from '@ktt/read-models';
import { RequestValidationError } from '../http/problem';
import { ProgressQueryDto, SeriesQueryDto } from '../http/query.dtos';
import { markDegraded, ReadConsistency } from '../http/read-consistency';

/** Two digits (else 400), and a code that named a province on some date (else 404 UNKNOWN_PROVINCE: api.md, "Queries"). */
async function provinceCode(code: string, units: AdministrativeUnits): Promise<string> {
  if (!/^\d{2}$/.test(code)) throw new RequestValidationError([{ path: 'path:code', message: 'code must be a two-digit province code' }]);
  await units.requireKnownProvinceCode(code, 'path:code', 'url-path');
  return code;
}

/**
 * The territory `code` names on the boundaries of `boundariesOn`: 404 PROVINCE_NOT_IN_FORCE naming
 * the successor where it names none then (89 on 2026-01-01 is part of 91).
 */
export function territoryOn(map: AdministrativeMap, code: string, boundariesOn: LocalDate): Territory {
  const territory = map.territory(code, boundariesOn);
  if (!territory) throw map.notInForce(code, boundariesOn, 'not_found', 'path:code');
  return territory;
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
  async get(@Param('code') code: string, @Query() query: ProgressQueryDto, @Res({ passthrough: true }) res: Response) {
    const asked = await provinceCode(code, this.units);
    const map = await this.units.map();
    const asOf = query.asOf ?? todayInVietnam();
    const territory = territoryOn(map, asked, query.boundariesOn ?? asOf);
    const generation = await this.consistency.prepare(query);
    const answer = await this.progress.progress(generation, { map, territory, asOf, knownAt: query.knownAt });
    return markDegraded(answer, await this.consistency.degraded(generation, { province: [asked, ...territory.units] }, res));
  }

  /**
   * One point per period end (month, quarter, year) between from and to. Without boundariesOn each
   * point counts the territory the code names on its own date; a point where it names none is
   * `inForce: false`. Each point gives the expected values of the targets its date's progress answer
   * would list; `metrics=` keeps only those metrics (and their targets).
   */
  @Get('series')
  @ApiOperation({ summary: 'A province\'s metrics at each period end between two dates' })
  @AnswerResponse('SeriesPoint', 'One point (asOf, future, inForce, metrics, expected) per month, quarter or year end', 'list')
  async series(@Param('code') code: string, @Query() query: SeriesQueryDto, @Res({ passthrough: true }) res: Response) {
    const asked = await provinceCode(code, this.units);
    const map = await this.units.map();
    const fixed = query.boundariesOn === undefined ? null : territoryOn(map, asked, query.boundariesOn);
    const generation = await this.consistency.prepare(query);
    const points = await this.progress.series(generation, { map, code: asked, from: query.from, to: query.to, step: query.step, knownAt: query.knownAt, boundariesOn: query.boundariesOn, metrics: query.metrics });
    // Every unit the code held over the period (or on the fixed boundaries): an array, the header says it.
    const units = fixed ? fixed.units : unitsOver(map, asked, query.from, query.to);
    await this.consistency.degraded(generation, { province: [asked, ...units] }, res);
    return points;
  }
}

/** The units a code named on the dates between `from` and `to` (on either side of a reorganization). */
function unitsOver(map: AdministrativeMap, code: string, from: LocalDate, to: LocalDate): string[] {
  return [...new Set([from, to].flatMap((date) => map.unitsOf(code, date) ?? []))];
}
