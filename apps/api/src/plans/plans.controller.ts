import { Body, Controller, Get, Param, Post, Query, Res, Inject } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, planAsOf, planStreamId, todayInVietnam } from '@ktt/domain';
import { foldRecordedPlan, PlanCommands, type CommandContext } from '@ktt/application';
import type { EventStore } from '@ktt/event-store';
import { Command } from '../http/command-context';
import { answer } from '../organizations/organization-commands.controller';
import { AsOfQueryDto, CommandResponseDto } from '../organizations/organization.dtos';
import { AdoptPlanDto, AmendPlanDto } from './plan.dtos';
import { EVENT_STORE } from '../tokens';

@ApiTags('plans')
@Controller('api/plans')
export class PlansController {
  constructor(
    private readonly plans: PlanCommands,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CommandResponseDto })
  async adopt(@Body() body: AdoptPlanDto, @Command() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    const { id, ...plan } = body;
    return answer(await this.plans.execute({ ...plan, type: 'AdoptPlan', planId: id }, context), res, true);
  }

  @Post(':id/amendments')
  @ApiOkResponse({ type: CommandResponseDto })
  async amend(@Param('id') id: string, @Body() body: AmendPlanDto, @Command() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return answer(await this.plans.execute({ ...body, type: 'AmendPlan', planId: id }, context), res, false);
  }

  /** Until the read models exist, the plan list is found by scanning the log for plan streams. */
  @Get()
  async list(@Query() query: AsOfQueryDto) {
    const asOf = query.asOf ?? todayInVietnam();
    const ids = new Set<string>();
    for (let after: string | undefined; ; ) {
      const page = await this.store.readAll({ after: after as never, streamPrefixes: ['plan-'], limit: 1000 });
      if (page.length === 0) break;
      for (const event of page) ids.add(event.streamId.slice('plan-'.length));
      after = page[page.length - 1].position;
    }
    const plans = await Promise.all([...ids].sort().map((id) => this.planAt(id, asOf)));
    return plans.filter((plan) => plan !== null);
  }

  @Get(':id')
  async get(@Param('id') id: string, @Query() query: AsOfQueryDto) {
    const asOf = query.asOf ?? todayInVietnam();
    const plan = await this.planAt(id, asOf);
    if (!plan) throw DomainError.notFound('PLAN_NOT_FOUND', `no plan ${id} in force on ${asOf}`);
    return plan;
  }

  private async planAt(id: string, asOf: string) {
    const history = foldRecordedPlan(await this.store.readStream(planStreamId(id)));
    return history ? planAsOf(history, asOf) : null;
  }
}
