import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditQueries, decodeAuditCursor } from '@ktt/read-models';
import { AdministrativeUnits } from '@ktt/application';
import { todayInVietnam } from '@ktt/domain';
import { Requires } from '../auth/auth.decorators';
import { AnswerResponse } from '../openapi/answer-responses';
import { ProblemResponses } from '../openapi/problem-responses';
import { RequestValidationError } from '../http/problem';
import { markDegraded, ReadConsistency } from '../http/read-consistency';
import { AuditEventsQueryDto } from './audit-events.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditEventsController {
  constructor(
    private readonly audit: AuditQueries,
    private readonly consistency: ReadConsistency,
    private readonly units: AdministrativeUnits,
  ) {}

  /**
   * Organization and plan events by recorded time, oldest first (`order=desc`: newest first), with who
   * recorded them, the organization's current name and registration number, and their corrections.
   */
  @Get('events')
  @Requires('audit:read')
  @ApiOperation({ summary: 'The audit trail: organization and plan events by recorded time' })
  @AnswerResponse('AuditEventPage', 'A page of events: `items` and the `nextCursor` of the next page (null on the last)')
  @ProblemResponses(400)
  async events(@Query() query: AuditEventsQueryDto, @Res({ passthrough: true }) res: Response) {
    // Checks that need two fields or our own token format: still request-only, so 400 before any wait.
    const errors = [];
    if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) errors.push({ path: 'to', message: 'to must not be before from' });
    if (query.cursor !== undefined) {
      const cursor = decodeAuditCursor(query.cursor);
      if (!cursor) errors.push({ path: 'cursor', message: 'cursor must be a nextCursor from an earlier answer' });
      else if (cursor.order !== (query.order ?? 'asc')) errors.push({ path: 'cursor', message: `cursor continues order=${cursor.order}, not order=${query.order ?? 'asc'}` });
    }
    if (errors.length > 0) throw new RequestValidationError(errors);
    if (query.provinceCode !== undefined) await this.units.requireKnownProvinceCode(query.provinceCode, 'provinceCode');
    // The province's territory today (the trail records units); a code that names none today stands for its own former territory.
    const units = query.provinceCode === undefined ? undefined : ((await this.units.map()).unitsOf(query.provinceCode, todayInVietnam()) ?? [query.provinceCode]);
    const generation = await this.consistency.prepare(query);
    const { limit = 50, minPosition: _m, provinceCode, ...filter } = query;
    const page = await this.audit.events(generation, { ...filter, units, limit });
    const scope = filter.organizationId ? { organization: filter.organizationId } : provinceCode && units ? { province: [provinceCode, ...units] } : { all: true as const };
    return markDegraded(page, await this.consistency.degraded(generation, scope, res));
  }
}
