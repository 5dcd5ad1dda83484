import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.decorators';
import { AnswerResponse } from '../openapi/answer-responses';
import { ProblemResponses } from '../openapi/problem-responses';
import type { Response } from 'express';
import { DomainError, todayInVietnam } from '@ktt/domain';
import { AdministrativeUnits, OrganizationHistoryQueries } from '@ktt/application';
import { decodeOrganizationCursor, OrganizationQueries } from '@ktt/read-models';
import type { FieldError } from '@ktt/domain';
import { RequestValidationError } from '../http/problem';
import { uuidParam } from '../http/uuid-param';
import { OrganizationListQueryDto, TemporalQueryDto, ConsistencyQueryDto } from '../http/query.dtos';
import { markDegraded, ReadConsistency } from '../http/read-consistency';

@ApiTags('organizations: queries')
@ApiBearerAuth()
@ProblemResponses(400)
@Controller('api/organizations')
export class OrganizationQueriesController {
  constructor(
    private readonly organizations: OrganizationQueries,
    private readonly history: OrganizationHistoryQueries,
    private readonly consistency: ReadConsistency,
    private readonly units: AdministrativeUnits,
  ) {}

  @Get()
  @Requires('organizations:read')
  @ApiOperation({ summary: 'Organizations as of a date, filtered and paged' })
  @AnswerResponse('OrganizationPage', 'A page: `items` (each an organization\'s state), `nextCursor`, and `total` (every match, not the page)')
  async list(@Query() query: OrganizationListQueryDto, @Res({ passthrough: true }) res: Response) {
    checkListQuery(query);
    if (query.provinceCode !== undefined) await this.units.requireKnownProvinceCode(query.provinceCode, 'provinceCode');
    const map = await this.units.map();
    const { asOf = todayInVietnam(), limit = 50, minPosition: _m, provinceCode, boundariesOn, ...filters } = query;
    // The province's territory on the boundaries asked (default asOf): 404 PROVINCE_NOT_IN_FORCE naming the successor where the code names none then.
    const territory = provinceCode === undefined ? null : map.territory(provinceCode, boundariesOn ?? asOf);
    if (provinceCode !== undefined && !territory) throw map.notInForce(provinceCode, boundariesOn ?? asOf, 'not_found', 'provinceCode');
    const generation = await this.consistency.prepare(query);
    const page = await this.organizations.list(generation, { ...filters, asOf, limit, ...(territory ? { units: territory.units } : {}) }, map);
    return markDegraded(page, await this.consistency.degraded(generation, territory ? { province: [provinceCode!, ...territory.units] } : { all: true }, res));
  }

  /** Its state as of a date, from the temporal read model. */
  @Get(':id')
  @Requires('organizations:read')
  @ApiOperation({ summary: 'An organization\'s state as of a date (and as known at a time)' })
  @AnswerResponse('OrganizationAsOf', 'Its state; the ETag is its stream\'s version, for If-Match')
  @ProblemResponses(404)
  async get(@Param('id', uuidParam('id')) id: string, @Query() query: TemporalQueryDto, @Res({ passthrough: true }) res: Response) {
    const generation = await this.consistency.prepare(query);
    const asOf = query.asOf ?? todayInVietnam();
    const state = await this.organizations.get(generation, id, asOf, query.knownAt, await this.units.map());
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
  @ApiOperation({ summary: 'An organization\'s whole recorded history, with its corrections' })
  @AnswerResponse('HistoryEntry', 'Every event of its stream, oldest first', 'list')
  @ProblemResponses(404)
  async events(@Param('id', uuidParam('id')) id: string, @Query() query: ConsistencyQueryDto) {
    void query;
    return this.history.history(id);
  }
}

/** What the parameters show together, before any database is asked: a period that ends before it starts, a cursor of another order. */
function checkListQuery(query: OrganizationListQueryDto): void {
  const errors: FieldError[] = [];
  if (query.registeredFrom && query.registeredTo && query.registeredFrom > query.registeredTo) {
    errors.push({ path: 'registeredTo', message: 'registeredTo must not be before registeredFrom' });
  }
  if (query.cursor !== undefined) {
    const cursor = decodeOrganizationCursor(query.cursor);
    const sort = query.sort ?? 'id';
    if (!cursor) errors.push({ path: 'cursor', message: 'cursor must be a nextCursor from an earlier answer' });
    else if (cursor.sort !== sort) errors.push({ path: 'cursor', message: `cursor continues ${cursor.sort === 'id' ? 'the default order' : `sort=${cursor.sort}`}, not ${sort === 'id' ? 'the default order' : `sort=${sort}`}` });
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
}
