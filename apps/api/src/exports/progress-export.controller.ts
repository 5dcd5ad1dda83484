import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { todayInVietnam } from '@ktt/domain';
import { AdministrativeUnits, writeProgressReport, XLSX_MEDIA_TYPE } from '@ktt/application';
import { PlanQueries, ProgressQueries } from '@ktt/read-models';
import { Requires } from '../auth/auth.decorators';
import { ProblemResponses } from '../openapi/problem-responses';
import { RequestValidationError } from '../http/problem';
import { ReadConsistency } from '../http/read-consistency';
import { territoryOn } from '../provinces/progress.controller';
import { attachment } from './attachment';
import { ProgressExportQueryDto } from './export.dtos';

@ApiTags('spreadsheets')
@ApiBearerAuth()
@Requires('progress:read')
@ProblemResponses(400, 404)
@Controller('api/provinces/:code/progress')
export class ProgressExportController {
  constructor(
    private readonly progress: ProgressQueries,
    private readonly plans: PlanQueries,
    private readonly consistency: ReadConsistency,
    private readonly units: AdministrativeUnits,
  ) {}

  /**
   * The progress answer and the monthly series as a report workbook (application's progress-report.ts):
   * the same queries as GET …/progress and …/progress/series, read on one generation and the
   * question's `knownAt` (default: every record so far, as those answers read).
   */
  @Get('export')
  @ApiOperation({ summary: 'A province\'s progress report as an XLSX workbook: metrics and coverage, targets, monthly series' })
  @ApiProduces(XLSX_MEDIA_TYPE)
  @ApiResponse({ status: 200, description: 'The workbook (Content-Disposition: attachment)', content: { [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  async export(@Param('code') code: string, @Query() query: ProgressExportQueryDto, @Res() res: Response): Promise<void> {
    if (!/^\d{2}$/.test(code)) throw new RequestValidationError([{ path: 'path:code', message: 'code must be a two-digit province code' }]);
    await this.units.requireKnownProvinceCode(code, 'path:code', 'url-path');
    const map = await this.units.map();
    const asOf = query.asOf ?? todayInVietnam();
    const from = query.from ?? `${Number(asOf.slice(0, 4)) - 1}-01-01`;
    if (from > asOf) throw new RequestValidationError([{ path: 'from', message: `from (${from}) must not be after asOf (${asOf})` }]);
    const territory = territoryOn(map, code, query.boundariesOn ?? asOf);
    const generation = await this.consistency.prepare(query);
    const knownAt = query.knownAt;
    const progress = await this.progress.progress(generation, { map, territory, asOf, knownAt });
    // The series on the same boundaries as the progress answer when they are fixed; else each month's own.
    const series = await this.progress.series(generation, { map, code, from, to: asOf, step: 'month', knownAt, boundariesOn: query.boundariesOn });
    const planIds = new Set(progress.targets.map((target) => target.planId));
    const plans = (await this.plans.inForce(generation, asOf, undefined, knownAt)).filter((plan) => planIds.has(plan.id));
    await this.consistency.degraded(generation, { province: [code, ...territory.units] }, res);

    res.status(200);
    res.setHeader('Content-Type', XLSX_MEDIA_TYPE);
    res.setHeader('Content-Disposition', attachment(`bao-cao-tien-do-${code}-${asOf}.xlsx`));
    res.setHeader('Cache-Control', 'no-store');
    try {
      await writeProgressReport(res, { progress, series, plans, knownAt: knownAt ?? null, generatedAt: new Date().toISOString() });
    } catch (error) {
      // Everything was read before the first byte; a failure here can only cut the file short.
      res.destroy(error instanceof Error ? error : undefined);
    }
  }
}
