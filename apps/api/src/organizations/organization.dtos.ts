import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DISSOLUTION_MODES, ORGANIZATION_KINDS, RATINGS, SECTORS } from '@ktt/domain';
import { IsLocalDate, NormalizeText } from '../http/validators';

export class ManagersDto {
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100_000) total!: number;
  @ApiProperty({ minimum: 0, description: '0 ≤ withDegree ≤ total' }) @IsInt() @Min(0) @Max(100_000) withDegree!: number;
}

class ProfileFlagsDto {
  @ApiPropertyOptional({ type: ManagersDto }) @IsOptional() @ValidateNested() @Type(() => ManagersDto) managers?: ManagersDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() directorTrained?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() valueChain?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() highTech?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enterpriseLinked?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() digitalAdoption?: boolean;
}

export class RegisterOrganizationDto extends ProfileFlagsDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the client, else generated' })
  @IsOptional() @IsUUID() id?: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) @IsIn(ORGANIZATION_KINDS) kind!: (typeof ORGANIZATION_KINDS)[number];
  @ApiProperty({ minLength: 1, maxLength: 200 }) @NormalizeText() @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ example: '1801234567', description: '1–20 letters, digits, "-" and "/"; compared trimmed and upper-cased' })
  @NormalizeText() @IsString() @Matches(/^[\p{L}\p{Nd}/-]{1,20}$/u, { message: 'registrationNumber must be 1–20 letters, digits, "-" or "/"' })
  registrationNumber!: string;
  @ApiProperty({ example: '91' }) @IsString() @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' }) provinceCode!: string;
  @ApiProperty({ enum: SECTORS }) @IsIn(SECTORS) sector!: (typeof SECTORS)[number];
  @ApiProperty({ format: 'date' }) @IsLocalDate() registeredOn!: string;
  @ApiPropertyOptional({ minimum: 1, description: 'not for unions; at least 5 for a cooperative, 2 for a group' })
  @IsOptional() @IsInt() @Min(1) @Max(10_000_000) memberCount?: number;
  @ApiPropertyOptional({ type: [String], description: 'unions only: at least 3 founding cooperatives' })
  @IsOptional() @IsUUID('all', { each: true }) @ArrayUnique() @ArrayMaxSize(1000) memberCooperativeIds?: string[];
}

export class RateOrganizationDto {
  @ApiProperty({ enum: RATINGS }) @IsIn(RATINGS) rating!: (typeof RATINGS)[number];
  @ApiProperty({ example: 2025 }) @IsInt() @Min(1900) @Max(2200) year!: number;
  @ApiProperty({ format: 'date' }) @IsLocalDate() ratedOn!: string;
}

export class ChangeMemberCountDto {
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(10_000_000) memberCount!: number;
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class ChangeProfileDto extends ProfileFlagsDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class SuspendOrganizationDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty({ maxLength: 1000 }) @NormalizeText() @IsString() @Length(1, 1000) reason!: string;
  @ApiPropertyOptional({ format: 'date', description: "the notice's end date, recorded only" })
  @IsOptional() @IsLocalDate() until?: string;
  @ApiPropertyOptional({ maxLength: 200, description: "document reference of the suspension notice (recorded since schema v2)" })
  @IsOptional() @NormalizeText() @IsString() @Length(1, 200) noticeRef?: string;
}

export class FindDormantDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty({ maxLength: 1000 }) @NormalizeText() @IsString() @Length(1, 1000) finding!: string;
}

export class ResumeOrganizationDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class DissolveOrganizationDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty({ enum: DISSOLUTION_MODES }) @IsIn(DISSOLUTION_MODES) mode!: (typeof DISSOLUTION_MODES)[number];
  @ApiProperty({ maxLength: 200 }) @NormalizeText() @IsString() @Length(1, 200) decisionRef!: string;
}

export class JoinUnionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() cooperativeId!: string;
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class LeaveUnionDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class CommandResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "revision of the stream's last event" }) version!: number;
  @ApiProperty({ description: 'opaque position in the global log (for minPosition)' }) position!: string;
}

export class CorrectRecordDto {
  @ApiProperty({ format: 'uuid', description: 'the event of this organization\'s history to retract' }) @IsUUID() eventId!: string;
  @ApiProperty({ maxLength: 2000 }) @NormalizeText() @IsString() @Length(1, 2000) reason!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'the fields of the command that records the right fact in its place (for a rating: { rating, year, ratedOn }); judged by the same rules',
  })
  @IsOptional() @IsObject() replacement?: Record<string, unknown>;
}
