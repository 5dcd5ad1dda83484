import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AdministrativeUnits } from '@ktt/application';
import { todayInVietnam, type AdministrativeMap, type LocalDate, type ProvinceInForce } from '@ktt/domain';
import { Populations } from '@ktt/read-models';
import { AnyRole } from '../auth/auth.decorators';
import { AsOfQueryDto } from '../http/query.dtos';
import { ProblemResponses } from '../openapi/problem-responses';

export class ProvinceDto {
  @ApiProperty({ example: '91' }) code!: string;
  @ApiProperty({ example: '91', description: 'the same as `code`: the field of the first version of this answer, kept for its clients' })
  provinceCode!: string;
  @ApiProperty({ example: 'An Giang' }) name!: string;
  @ApiProperty({
    type: [String],
    example: ['89', '91'],
    description: 'the codes, on the map of the day before it came into force, of the provinces it was formed from; a province that was not merged lists its own code',
  })
  predecessors!: string[];
  @ApiPropertyOptional({ example: '91', description: 'set on a province that a later reorganization ended: the code of the province its territory went to' })
  successor?: string;
  @ApiPropertyOptional({
    example: 3631419,
    description:
      'its population for the year of asOf: the sum over the provinces before 1 July 2025 that make it of each one\'s latest sourced figure of that year or before (data/reference/province-population-figures.json); absent where one of them has none',
  })
  population?: number;
}

/** A province of the map as answered: `provinceCode` stays beside `code` for the clients of the first version. */
function toDto(province: ProvinceInForce, population: number | null): ProvinceDto {
  return {
    code: province.code,
    provinceCode: province.code,
    name: province.name,
    predecessors: province.predecessors,
    ...(province.successor ? { successor: province.successor } : {}),
    ...(population === null ? {} : { population }),
  };
}

/**
 * The provinces in force on a date (api.md, GET /api/provinces): the 63 of the reference data up to the
 * first reorganization, then the map each reorganization of the `administrative-units` stream made (the
 * 2025 merger, seeded on first start: the 34 from 1 July 2025). Folded from the stream on each request,
 * not the read models, so `minPosition` is met at once. The map is law: no `knownAt`.
 */
@ApiTags('provinces')
@ApiBearerAuth()
@Controller('api/provinces')
export class ProvincesController {
  constructor(
    private readonly units: AdministrativeUnits,
    private readonly populations: Populations,
  ) {}

  @Get()
  @AnyRole()
  @ProblemResponses(400)
  @ApiOperation({ summary: 'The provinces in force on a date (default today in Vietnam), with their predecessors' })
  @ApiOkResponse({ type: [ProvinceDto] })
  async list(@Query() query: AsOfQueryDto): Promise<ProvinceDto[]> {
    const asOf = query.asOf ?? todayInVietnam();
    const map = await this.units.map();
    return map.provincesInForce(asOf).map((province) => toDto(province, this.populationOf(map, province.code, asOf)));
  }

  private populationOf(map: AdministrativeMap, code: string, asOf: LocalDate): number | null {
    return this.populations.populationOf(map.unitsOf(code, asOf)!, asOf).value;
  }
}
