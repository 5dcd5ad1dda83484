import { Body, Controller, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { ReorganizeProvincesMessage, type CommandContext, type CommandResult } from '@ktt/application';
import { Requires } from '../auth/auth.decorators';
import { answer, CommandRoute } from '../http/command-answer';
import { RequestContext } from '../http/request-context';
import { CommandHeaders } from '../openapi/command-headers';
import { ProblemResponses } from '../openapi/problem-responses';
import { ReorganizeProvincesDto } from './reorganization.dtos';

/**
 * The map's history (domain.md, "Administrative units"): the 2025 merger is seeded on first start; an
 * admin records a later reorganization, or corrects one by sending its effective date again.
 */
@ApiTags('administrative-units')
@ApiBearerAuth()
@Controller('api/administrative-units')
export class ReorganizationsController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute('reorganizations', 'Record a reorganization of the provinces (or correct the one of the same effective date)')
  @Requires('administrative-units:write')
  @ProblemResponses(400, 409, 412, 422)
  @CommandHeaders()
  async reorganize(@Body() body: ReorganizeProvincesDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return answer(await this.commandBus.execute<ReorganizeProvincesMessage, CommandResult>(new ReorganizeProvincesMessage({ ...body, type: 'ReorganizeProvinces' }, context)), res);
  }
}
