import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../auth/auth.decorators';
import { PROVINCES } from '../tokens';

export class ProvinceDto {
  @ApiProperty({ example: '91' }) provinceCode!: string;
  @ApiProperty({ example: 'Kiên Giang' }) name!: string;
}

/** Extension of api.md: the 63 provinces as they were before 1 July 2025 (data/reference/provinces.json), for pickers. */
@ApiTags('provinces')
@ApiBearerAuth()
@Controller('api/provinces')
export class ProvincesController {
  constructor(@Inject(PROVINCES) private readonly provinces: ProvinceDto[]) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'The provinces, for pickers' })
  @ApiOkResponse({ type: [ProvinceDto] })
  list(): ProvinceDto[] {
    return this.provinces;
  }
}
