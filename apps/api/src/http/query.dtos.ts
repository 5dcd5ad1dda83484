import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { METRIC_NAMES, ORGANIZATION_KINDS, PERIOD_STEPS, SECTORS, STATUSES, type MetricName } from '@ktt/domain';
import { ORGANIZATION_SORTS, type OrganizationSort } from '@ktt/read-models';
import { IsKnownAt, IsLocalDate, IsText, MetricList, NormalizeKnownAt } from './validators';

/**
 * Every query parameter that reaches SQL is held to the domain's rules here
 * (dates, timestamps, texts, ids), so no input is left for the database to
 * refuse with a 500: a NUL in `q`, a week date in `knownAt`.
 */
const KNOWN_AT_DESCRIPTION =
  'what the system knew at that moment (records made later do not count): an RFC 3339 timestamp, or a date YYYY-MM-DD meaning the end of that day in Vietnam; answered in UTC; default: now';

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
  @ApiPropertyOptional({ format: 'date-time', description: KNOWN_AT_DESCRIPTION })
  @IsOptional() @NormalizeKnownAt() @IsKnownAt() knownAt?: string;
}

const BOUNDARIES_ON_DESCRIPTION =
  'the map whose boundaries the province code is read on (domain.md, "Administrative units"): `91` on 2024-01-01 is former Kiên Giang, on 2026-01-01 An Giang (former An Giang + former Kiên Giang); default: the date asked (`asOf`, or each point\'s own date in a series)';

/** A province's answers (progress, series): the territory the code names on `boundariesOn`. */
export class ProgressQueryDto extends TemporalQueryDto {
  @ApiPropertyOptional({ format: 'date', description: BOUNDARIES_ON_DESCRIPTION })
  @IsOptional() @IsLocalDate() boundariesOn?: string;
}

/** GET /api/plans: `provinceCode` keeps the plans whose territory lies within that province's on `asOf`. */
export class PlanListQueryDto extends TemporalQueryDto {
  @ApiPropertyOptional({ example: '91' }) @IsOptional() @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' }) provinceCode?: string;
}

export class OrganizationListQueryDto extends TemporalQueryDto {
  @ApiPropertyOptional({ format: 'date', description: BOUNDARIES_ON_DESCRIPTION }) @IsOptional() @IsLocalDate() boundariesOn?: string;
  @ApiPropertyOptional({ example: '91' }) @IsOptional() @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' }) provinceCode?: string;
  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS }) @IsOptional() @IsIn(ORGANIZATION_KINDS) kind?: (typeof ORGANIZATION_KINDS)[number];
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
  @ApiPropertyOptional({ enum: SECTORS }) @IsOptional() @IsIn(SECTORS) sector?: (typeof SECTORS)[number];
  @ApiPropertyOptional({ description: 'name or registration number, with or without diacritics' }) @IsOptional() @IsText({ max: 200 }) q?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ format: 'date', description: 'registered on or after this date' }) @IsOptional() @IsLocalDate() registeredFrom?: string;
  @ApiPropertyOptional({ format: 'date', description: 'registered on or before this date (not before registeredFrom)' }) @IsOptional() @IsLocalDate() registeredTo?: string;
  @ApiPropertyOptional({ enum: ORGANIZATION_SORTS, description: 'name (Vietnamese collation: An, Ấp, Dương, Đông), registration date oldest or newest first; default: by id' })
  @IsOptional() @IsIn(ORGANIZATION_SORTS, { message: `sort must be one of ${ORGANIZATION_SORTS.join(', ')}` }) sort?: OrganizationSort;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page (in the same sort)' })
  @IsOptional() @IsString() @Length(1, 2000) @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor from an earlier answer' }) cursor?: string;
}

export class SeriesQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ format: 'date' }) @IsLocalDate() from!: string;
  @ApiPropertyOptional({ format: 'date' }) @IsLocalDate() to!: string;
  @ApiPropertyOptional({ enum: PERIOD_STEPS }) @IsIn(PERIOD_STEPS) step!: (typeof PERIOD_STEPS)[number];
  @ApiPropertyOptional({ format: 'date-time', description: KNOWN_AT_DESCRIPTION }) @IsOptional() @NormalizeKnownAt() @IsKnownAt() knownAt?: string;
  @ApiPropertyOptional({ format: 'date', description: BOUNDARIES_ON_DESCRIPTION }) @IsOptional() @IsLocalDate() boundariesOn?: string;
  @ApiPropertyOptional({ description: `only these metrics, comma-separated (and only their targets' expected values); default: every metric. One of: ${METRIC_NAMES.join(', ')}`, example: 'cooperatives,cooperative_members' })
  @IsOptional() @MetricList() metrics?: MetricName[];
}
