import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsLocalDate } from '../http/validators';
import { OrganizationListQueryDto, ProgressQueryDto } from '../http/query.dtos';

export const REGISTER_FORMATS = ['xlsx', 'csv'] as const;
export type RegisterFormat = (typeof REGISTER_FORMATS)[number];

/** GET /api/organizations/export: the list's filters (not its paging: every match is written), and the file format. */
export class OrganizationExportQueryDto extends OmitType(OrganizationListQueryDto, ['limit', 'cursor'] as const) {
  @ApiPropertyOptional({ enum: REGISTER_FORMATS, default: 'xlsx' })
  @IsOptional() @IsIn(REGISTER_FORMATS, { message: `format must be one of ${REGISTER_FORMATS.join(', ')}` }) format?: RegisterFormat;
  @ApiPropertyOptional({
    enum: ['only'],
    description:
      'only: just the organizations whose seat moved to another province by asOf (listed apart: a row imports where it was registered, so the register leaves them out; CSV adds "Ngày chuyển tỉnh" and "Mã tỉnh hiện nay", an XLSX has them on its "Đã chuyển tỉnh" sheet)',
  })
  @IsOptional() @IsIn(['only'], { message: 'relocated must be only' }) relocated?: 'only';
}

/** GET /api/provinces/:code/progress/export: the progress question, and where its monthly series starts. */
export class ProgressExportQueryDto extends ProgressQueryDto {
  @ApiPropertyOptional({ enum: ['xlsx'], default: 'xlsx' })
  @IsOptional() @IsIn(['xlsx'], { message: 'format must be xlsx' }) format?: 'xlsx';
  @ApiPropertyOptional({ format: 'date', description: 'first month of the monthly series (not after asOf); default: 1 January of the year before asOf' })
  @IsOptional() @IsLocalDate() from?: string;
}
