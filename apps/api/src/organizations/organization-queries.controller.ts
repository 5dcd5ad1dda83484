import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { uuidParam } from '../http/uuid-param';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrganizationHistoryQueries } from '@ktt/application';
import { AsOfQueryDto } from './organization.dtos';

@ApiTags('organizations: queries')
@Controller('api/organizations')
export class OrganizationQueriesController {
  constructor(private readonly queries: OrganizationHistoryQueries) {}

  /** Its state as of a date, by folding its stream (the read models answer this in the next issue). */
  @Get(':id')
  async get(@Param('id', uuidParam('id')) id: string, @Query() query: AsOfQueryDto, @Res({ passthrough: true }) res: Response) {
    const state = await this.queries.stateAsOf(id, query.asOf);
    res.setHeader('ETag', `"${state.version}"`);
    return state;
  }

  @Get(':id/events')
  events(@Param('id', uuidParam('id')) id: string) {
    return this.queries.history(id);
  }
}
