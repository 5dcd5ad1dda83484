import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.decorators';
import type { Response } from 'express';
import { DomainError, todayInVietnam } from '@ktt/domain';
import { OrganizationHistoryQueries } from '@ktt/application';
import { OrganizationQueries } from '@ktt/read-models';
import { uuidParam } from '../http/uuid-param';
import { OrganizationListQueryDto, TemporalQueryDto, ConsistencyQueryDto } from '../http/query.dtos';
import { markDegraded, ReadConsistency } from '../http/read-consistency';

@ApiTags('organizations: queries')
@ApiBearerAuth()
@Controller('api/organizations')
export class OrganizationQueriesController {
  constructor(
    private readonly organizations: OrganizationQueries,
    private readonly history: OrganizationHistoryQueries,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get()
  @Requires('organizations:read')
  async list(@Query() query: OrganizationListQueryDto, @Res({ passthrough: true }) res: Response) {
    const generation = await this.consistency.prepare(query);
    const { asOf = todayInVietnam(), limit = 50, minPosition: _m, ...filters } = query;
    const page = await this.organizations.list(generation, { ...filters, asOf, limit });
    return markDegraded(page, await this.consistency.degraded(generation, filters.provinceCode ? { province: filters.provinceCode } : { all: true }, res));
  }

  /** Its state as of a date, from the temporal read model. */
  @Get(':id')
  @Requires('organizations:read')
  async get(@Param('id', uuidParam('id')) id: string, @Query() query: TemporalQueryDto, @Res({ passthrough: true }) res: Response) {
    const generation = await this.consistency.prepare(query);
    const asOf = query.asOf ?? todayInVietnam();
    const state = await this.organizations.get(generation, id, asOf, query.knownAt);
    // Before a 404 too: a registration held in quarantine is why it is not found.
    const degraded = await this.consistency.degraded(generation, { organization: id }, res);
    if (!state) {
      throw DomainError.notFound('ORGANIZATION_NOT_FOUND', `no organization ${id} registered on or before ${asOf}${query.knownAt ? ` and recorded by ${query.knownAt}` : ''}`);
    }
    res.setHeader('ETag', `"${state.version}"`);
    return markDegraded(state, degraded);
  }

  /** The whole history from its stream (always current: it reads the event store). */
  @Get(':id/events')
  @Requires('history:read')
  async events(@Param('id', uuidParam('id')) id: string, @Query() query: ConsistencyQueryDto) {
    void query;
    return this.history.history(id);
  }
}
