import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ConsistencyQueryDto } from '../http/query.dtos';
import { CanonicalId, IsId, IsText, IsTimestamp, NormalizeTimestamp } from '../http/validators';

/**
 * A moment, not a day: an RFC 3339 timestamp with its offset (the domain's
 * rule), so that no server time zone decides where a window starts.
 */
const TIMESTAMP_MESSAGE = (name: string) => `${name} must be an RFC 3339 timestamp with its offset, e.g. 2025-01-31T17:00:00Z`;

export class AuditEventsQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'recorded at or after' })
  @IsOptional() @NormalizeTimestamp() @IsTimestamp({ message: TIMESTAMP_MESSAGE('from') }) from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'recorded before (exclusive)' })
  @IsOptional() @NormalizeTimestamp() @IsTimestamp({ message: TIMESTAMP_MESSAGE('to') }) to?: string;

  @ApiPropertyOptional({ description: 'token subject that recorded the event, e.g. so-kh-dt-kien-giang' })
  @IsOptional() @IsText({ max: 200 }) recordedBy?: string;

  @ApiPropertyOptional({ example: '91' })
  @IsOptional() @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' }) provinceCode?: string;

  @ApiPropertyOptional({ example: 'OrganizationDissolved' })
  @IsOptional() @IsText({ max: 100 }) type?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "one organization's events (any letter case)" })
  @IsOptional() @CanonicalId() @IsId() organizationId?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'by recorded time: oldest first (asc) or newest first (desc); a cursor continues only the order it came from' })
  @IsOptional() @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' }) order?: 'asc' | 'desc';

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @Length(1, 200) cursor?: string;
}
