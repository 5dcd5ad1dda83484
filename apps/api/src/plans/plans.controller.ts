import { Body, Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.decorators';
import { CommandHeaders } from '../openapi/command-headers';
import { AnswerResponse } from '../openapi/answer-responses';
import { ProblemResponses } from '../openapi/problem-responses';
import type { Response } from 'express';
import { DomainError, todayInVietnam, type PlanCommand } from '@ktt/domain';
import { CommandBus } from '@nestjs/cqrs';
import { AdministrativeUnits, PlanCommandMessage, type CommandContext, type CommandResult } from '@ktt/application';
import { liesWithin, PlanQueries, planTerritory, territoryAnswer } from '@ktt/read-models';
import { answer, CommandRoute } from '../http/command-answer';
import { RequestContext } from '../http/request-context';
import { PlanListQueryDto, TemporalQueryDto } from '../http/query.dtos';
import { markDegraded, ReadConsistency } from '../http/read-consistency';
import { planIdParam } from '../http/uuid-param';
import { AdoptPlanDto, AmendPlanDto, EndPlanDto } from './plan.dtos';

@ApiTags('plans')
@ApiBearerAuth()
@ProblemResponses(400)
@Controller('api/plans')
export class PlansController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: PlanQueries,
    private readonly consistency: ReadConsistency,
    private readonly units: AdministrativeUnits,
  ) {}

  @CommandRoute(undefined, 'Adopt a province\'s plan and its targets', 'created')
  @Requires('plans:write')
  @ProblemResponses(409, 412, 422)
  @CommandHeaders()
  async adopt(@Body() body: AdoptPlanDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    // A code that never named a province is refused before the command is decided (400 UNKNOWN_PROVINCE, nothing written).
    await this.units.requireKnownProvinceCode(body.provinceCode, 'provinceCode');
    const { id, ...plan } = body;
    return this.run({ ...plan, type: 'AdoptPlan', planId: id }, context, res);
  }

  @CommandRoute(':id/amendments', 'Amend a plan: targets added, changed or withdrawn from a date')
  @Requires('plans:write')
  @ProblemResponses(404, 409, 412, 422)
  @CommandHeaders()
  async amend(@Param('id', planIdParam()) id: string, @Body() body: AmendPlanDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'AmendPlan', planId: id }, context, res);
  }

  @CommandRoute(':id/end', 'End a plan by an event: repealed, or superseded by a named adopted plan, from a date')
  @Requires('plans:write')
  @ProblemResponses(404, 409, 412, 422)
  @CommandHeaders()
  async end(@Param('id', planIdParam()) id: string, @Body() body: EndPlanDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'EndPlan', planId: id }, context, res);
  }

  @Get()
  @Requires('plans:read')
  @ApiOperation({ summary: 'The plans in force at a date, with their amendments applied, each with the territory it covers; `provinceCode`: those whose territory lies within that province\'s on the date' })
  @AnswerResponse('PlanAnswer', 'Every plan in force at the date (repealed and superseded ones are not; ended by their deadlines ones are, with endReason)', 'list')
  @ProblemResponses(404)
  async list(@Query() query: PlanListQueryDto, @Res({ passthrough: true }) res: Response) {
    const asOf = query.asOf ?? todayInVietnam();
    if (query.provinceCode !== undefined) await this.units.requireKnownProvinceCode(query.provinceCode, 'provinceCode');
    const map = await this.units.map();
    const within = query.provinceCode === undefined ? null : map.territory(query.provinceCode, asOf);
    if (query.provinceCode !== undefined && !within) throw map.notInForce(query.provinceCode, asOf, 'not_found', 'provinceCode');
    const generation = await this.consistency.prepare(query);
    const plans = (await this.queries.inForce(generation, asOf, undefined, query.knownAt))
      .map((plan) => ({ plan, territory: planTerritory(map, plan) }))
      .filter(({ territory }) => !within || liesWithin(territory, within))
      .map(({ plan, territory }) => ({ ...plan, territory: territoryAnswer(territory) }));
    await this.consistency.degraded(generation, { plans: true }, res); // an array: the header says it
    return plans;
  }

  @Get(':id')
  @Requires('plans:read')
  @ApiOperation({ summary: 'A plan as in force at a date' })
  @AnswerResponse('PlanAnswer', 'The plan, its targets as amended by the date (none once repealed or superseded: endedOn, endReason say how), and the territory it covers')
  @ProblemResponses(404)
  async get(@Param('id', planIdParam()) id: string, @Query() query: TemporalQueryDto, @Res({ passthrough: true }) res: Response) {
    const generation = await this.consistency.prepare(query);
    const asOf = query.asOf ?? todayInVietnam();
    const plan = await this.queries.get(generation, id, asOf, query.knownAt);
    const degraded = await this.consistency.degraded(generation, { plans: true }, res);
    if (!plan) throw DomainError.notFound('PLAN_NOT_FOUND', `no plan ${id} in force on ${asOf}`);
    return markDegraded({ ...plan, territory: territoryAnswer(planTerritory(await this.units.map(), plan)) }, degraded);
  }

  /** Through the command bus to PlanCommandHandler, where the use case is. */
  private async run(command: PlanCommand, context: CommandContext, res: Response) {
    return answer(await this.commandBus.execute<PlanCommandMessage, CommandResult>(new PlanCommandMessage(command, context)), res);
  }
}
