import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { AdministrativeUnits } from '@ktt/application';
import { FlowsQueries } from '@ktt/read-models';
import { Requires } from '../auth/auth.decorators';
import { AnswerResponse } from '../openapi/answer-responses';
import { ProblemResponses } from '../openapi/problem-responses';
import { RequestValidationError } from '../http/problem';
import { ConsistencyQueryDto } from '../http/query.dtos';
import { IsKnownAt, IsLocalDate, NormalizeKnownAt } from '../http/validators';
import { markDegraded, ReadConsistency } from '../http/read-consistency';

export class FlowsQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'first effective date counted (inclusive)' }) @IsLocalDate() from!: string;
  @ApiPropertyOptional({ format: 'date', description: 'last effective date counted (inclusive)' }) @IsLocalDate() to!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'what the system knew at that moment (records made later, and corrections made later, do not count); default: now' })
  @IsOptional() @NormalizeKnownAt() @IsKnownAt() knownAt?: string;
  @ApiPropertyOptional({
    format: 'date',
    description: 'count on the territory the code names on this date, fixed over the period (reorganizedIn/Out are then 0); default: the territory follows the map, each event counted on the map of its own date',
  })
  @IsOptional() @IsLocalDate() boundariesOn?: string;
}

/**
 * Flows (api.md, GET /api/provinces/{code}/flows; domain.md, "Flows"): how many organizations of each
 * kind a province registered, dissolved, suspended, found dormant, saw resume, and gained or lost by
 * relocation and by reorganization over a period: "how many cooperatives did 91 register in 2024".
 */
@ApiTags('provinces')
@ApiBearerAuth()
@Requires('progress:read')
@ProblemResponses(400, 404)
@Controller('api/provinces/:code/flows')
export class FlowsController {
  constructor(
    private readonly flows: FlowsQueries,
    private readonly consistency: ReadConsistency,
    private readonly units: AdministrativeUnits,
  ) {}

  @Get()
  @ApiOperation({ summary: 'What moved in a province over a period (effective dates, inclusive), per kind' })
  @AnswerResponse('ProvinceFlows', 'Registrations, dissolutions, suspensions, dormancy findings, resumptions, relocations and reorganizations per kind')
  async get(@Param('code') code: string, @Query() query: FlowsQueryDto, @Res({ passthrough: true }) res: Response) {
    if (!/^\d{2}$/.test(code)) throw new RequestValidationError([{ path: 'path:code', message: 'code must be a two-digit province code' }]);
    if (query.from > query.to) throw new RequestValidationError([{ path: 'to', message: 'to must not be before from' }]);
    const map = await this.units.map();
    map.requireKnownProvinceCode(code, 'path:code', 'url-path');
    const generation = await this.consistency.prepare(query);
    const answer = await this.flows.flows(generation, map, code, query);
    return markDegraded(answer, await this.consistency.degraded(generation, { province: this.flows.unitsAsked(map, code, query) }, res));
  }
}
