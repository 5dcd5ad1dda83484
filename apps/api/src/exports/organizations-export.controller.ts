import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { todayInVietnam, type FieldError } from '@ktt/domain';
import {
  AdministrativeUnits,
  CSV_MEDIA_TYPE,
  csvRegisterWriter,
  ExportAborted,
  registerRow,
  TEMPLATE_NOTES,
  xlsxRegisterWriter,
  XLSX_MEDIA_TYPE,
  type RegisterRow,
  type RegisterWriter,
  type RelocatedRegisterRow,
} from '@ktt/application';
import { OrganizationQueries, organizationsWithRelocations, registerDetails, type OrganizationFilter } from '@ktt/read-models';
import { Requires } from '../auth/auth.decorators';
import { ProblemResponses } from '../openapi/problem-responses';
import { RequestValidationError } from '../http/problem';
import { ReadConsistency } from '../http/read-consistency';
import { LOGGER } from '../tokens';
import { OrganizationExportQueryDto } from './export.dtos';
import { attachment } from './attachment';

/**
 * Rows read per statement: a page of the list and its details, then written out before the next is
 * read. Large enough that the list's count (in every page's statement) and its plan for a province
 * (an index walk by id below a few thousand rows) are paid a few times, not a hundred (bench/RESULTS-export.md).
 */
const PAGE = 2000;

@ApiTags('spreadsheets')
@ApiBearerAuth()
@ProblemResponses(400, 404)
@Controller('api/organizations')
export class OrganizationsExportController {
  constructor(
    private readonly organizations: OrganizationQueries,
    private readonly consistency: ReadConsistency,
    private readonly units: AdministrativeUnits,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Every organization the list would answer (its filters, its order), in the import template's
   * columns, streamed page by page: the first sheet is the template (so the file imports again), an
   * XLSX's second sheet says what was exported. Without `knownAt` it reads what is known as the list
   * does (every record so far: a record stamped later today by the demo's clock counts too); paging by
   * the list's cursor, a record made while it runs can add or leave out a row, never repeat one.
   */
  @Get('export')
  @Requires('organizations:read')
  @ApiOperation({ summary: 'The organizations the list would answer, as an XLSX or CSV file in the import template\'s columns' })
  @ApiProduces(XLSX_MEDIA_TYPE, CSV_MEDIA_TYPE)
  @ApiResponse({
    status: 200,
    description:
      'The file (Content-Disposition: attachment), streamed; CSV is UTF-8 with a byte-order mark. Organizations whose seat moved to another province by asOf are listed apart ' +
      '(an XLSX\'s "Đã chuyển tỉnh" sheet; left out of a CSV, which says how many in X-Relocated-Listed-Apart, and fetched with relocated=only)',
    headers: { 'X-Relocated-Listed-Apart': { description: 'CSV: how many organizations relocated to another province are listed apart', schema: { type: 'integer' } } },
    content: { [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } }, [CSV_MEDIA_TYPE]: { schema: { type: 'string' } } },
  })
  async export(@Query() query: OrganizationExportQueryDto, @Res() res: Response): Promise<void> {
    if (query.registeredFrom && query.registeredTo && query.registeredFrom > query.registeredTo) {
      throw new RequestValidationError([{ path: 'registeredTo', message: 'registeredTo must not be before registeredFrom' } satisfies FieldError]);
    }
    if (query.provinceCode !== undefined) await this.units.requireKnownProvinceCode(query.provinceCode, 'provinceCode');
    const map = await this.units.map();
    const { asOf = todayInVietnam(), format = 'xlsx', minPosition: _m, provinceCode, boundariesOn, knownAt: asked, relocated, ...filters } = query;
    const relocatedOnly = relocated === 'only';
    const territory = provinceCode === undefined ? null : map.territory(provinceCode, boundariesOn ?? asOf);
    if (provinceCode !== undefined && !territory) throw map.notInForce(provinceCode, boundariesOn ?? asOf, 'not_found', 'provinceCode');
    const generation = await this.consistency.prepare(query);
    const startedAt = new Date().toISOString();
    const knownAt = asked;
    const filter: OrganizationFilter = { ...filters, asOf, ...(knownAt ? { knownAt } : {}), limit: PAGE, ...(territory ? { units: territory.units } : {}) };
    await this.consistency.degraded(generation, territory ? { province: [provinceCode!, ...territory.units] } : { all: true }, res);

    // The first page before the first byte: a refusal or a failure there is still a problem+json answer.
    const pageOf = async (cursor: string | undefined) => {
      const page = await this.organizations.list(generation, { ...filter, ...(cursor ? { cursor } : {}) }, map);
      const details = await registerDetails(generation, page.items.map((item) => item.id), asOf, knownAt, map);
      // A row imports where it was registered: one whose seat moved to another province is listed apart, or its move would be lost.
      const rows: RegisterRow[] = [];
      const apart: RelocatedRegisterRow[] = [];
      for (const state of page.items) {
        const detail = details.get(state.id);
        const row = registerRow({ state, registeredIn: detail?.registeredIn ?? { provinceCode: state.provinceCode, formerProvinceCode: null }, statusSince: detail?.statusSince ?? null, dissolution: detail?.dissolution ?? null });
        if (detail?.relocatedOn) apart.push({ row, relocatedOn: detail.relocatedOn });
        else if (!relocatedOnly) rows.push(row);
      }
      return { rows, apart, nextCursor: page.nextCursor };
    };
    // A CSV says in a header how many it leaves out, so they are counted before the first byte.
    const listedApart = format === 'csv' ? await this.countRelocated(generation, filter, asOf, knownAt, map) : null;
    let page = await pageOf(undefined);

    const name = `to-chuc-${provinceCode ?? 'ca-nuoc'}-${asOf}.${format}`;
    res.status(200);
    res.setHeader('Content-Type', format === 'csv' ? `${CSV_MEDIA_TYPE}; charset=utf-8` : XLSX_MEDIA_TYPE);
    res.setHeader('Content-Disposition', attachment(name));
    res.setHeader('Cache-Control', 'no-store');
    if (listedApart !== null) res.setHeader('X-Relocated-Listed-Apart', String(listedApart));
    const writer: RegisterWriter = format === 'csv' ? csvRegisterWriter(res, { relocatedOnly }) : xlsxRegisterWriter(res);
    try {
      let written = 0;
      let apart = 0;
      for (;;) {
        await writer.write(page.rows, page.apart);
        written += page.rows.length;
        apart += page.apart.length;
        if (!page.nextCursor) break;
        page = await pageOf(page.nextCursor);
      }
      await writer.end([
        ['Danh sách tổ chức kinh tế tập thể', ''],
        ['Tỉnh, thành phố', territory ? `${territory.name} (${territory.code}, ranh giới ngày ${boundariesOn ?? asOf})` : 'Cả nước'],
        ['Tính đến ngày (asOf)', asOf],
        ['Theo hồ sơ ghi nhận đến (knownAt)', knownAt ?? `mọi hồ sơ đã ghi nhận lúc xuất (${startedAt})`],
        ['Bộ lọc', describeFilters(query)],
        ['Số tổ chức', String(written)],
        [
          'Đã chuyển tỉnh (liệt kê riêng)',
          `${apart} tổ chức có trụ sở đã chuyển sang tỉnh khác đến ngày ${asOf}: liệt kê ở trang "Đã chuyển tỉnh", không ở trang đầu, vì mỗi dòng của trang đầu được nhập tại tỉnh đăng ký và việc chuyển tỉnh sẽ mất khi nhập`,
        ],
        ['Lập lúc', new Date().toISOString()],
        ['', ''],
        ...TEMPLATE_NOTES.map((note) => ['Ghi chú', note] as const),
      ]);
    } catch (error) {
      // The status and part of the file are sent: the only honest signal left is a cut connection.
      if (!(error instanceof ExportAborted)) this.logger.error({ err: error }, 'organizations export failed mid-stream');
      res.destroy(error instanceof Error ? error : undefined);
    }
  }

  /**
   * How many organizations the export lists apart: those with a relocation (few) whose details say
   * they moved to another province, and which the list's filter holds (read by a pass over its ids,
   * only when there is one such organization at all).
   */
  private async countRelocated(generation: Parameters<OrganizationQueries['list']>[0], filter: OrganizationFilter, asOf: string, knownAt: string | undefined, map: Parameters<typeof registerDetails>[4]): Promise<number> {
    const candidates = await organizationsWithRelocations(generation, knownAt);
    if (candidates.length === 0) return 0;
    const details = await registerDetails(generation, candidates, asOf, knownAt, map);
    const moved = new Set([...details].filter(([, detail]) => detail.relocatedOn !== null).map(([id]) => id));
    if (moved.size === 0) return 0;
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await this.organizations.list(generation, { ...filter, ...(cursor ? { cursor } : {}) }, map);
      count += page.items.filter((item) => moved.has(item.id)).length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return count;
  }
}

/** The filters asked, as the info sheet shows them. */
function describeFilters(query: OrganizationExportQueryDto): string {
  const shown = Object.entries(query).filter(([key, value]) => value !== undefined && !['format', 'minPosition', 'asOf', 'knownAt'].includes(key));
  return shown.length === 0 ? 'không có' : shown.map(([key, value]) => `${key}=${String(value)}`).join(', ');
}
