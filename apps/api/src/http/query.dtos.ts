import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ORGANIZATION_KINDS, PERIOD_STEPS, SECTORS, STATUSES } from '@ktt/domain';
import { IsLocalDate } from './validators';

/** Accepted by every query (api.md). */
export class ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'answer once the read models have applied this position (from a command answer); 503 after 5 s' })
  @IsOptional() @IsString() @Length(1, 100) minPosition?: string;
}

export class AsOfQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'default: today in Vietnam' })
  @IsOptional() @IsLocalDate() asOf?: string;
}

export class TemporalQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'what the system knew at that moment (records made later do not count); default: now' })
  @IsOptional() @IsISO8601({ strict: true }) knownAt?: string;
}

export class OrganizationListQueryDto extends TemporalQueryDto {
  @ApiPropertyOptional({ example: '91' }) @IsOptional() @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' }) provinceCode?: string;
  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS }) @IsOptional() @IsIn(ORGANIZATION_KINDS) kind?: (typeof ORGANIZATION_KINDS)[number];
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
  @ApiPropertyOptional({ enum: SECTORS }) @IsOptional() @IsIn(SECTORS) sector?: (typeof SECTORS)[number];
  @ApiPropertyOptional({ description: 'name or registration number, with or without diacritics' }) @IsOptional() @IsString() @Length(1, 200) q?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsUUID() cursor?: string;
}

export class SeriesQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ format: 'date' }) @IsLocalDate() from!: string;
  @ApiPropertyOptional({ format: 'date' }) @IsLocalDate() to!: string;
  @ApiPropertyOptional({ enum: PERIOD_STEPS }) @IsIn(PERIOD_STEPS) step!: (typeof PERIOD_STEPS)[number];
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) knownAt?: string;
}
