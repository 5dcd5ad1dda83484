import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsObject,
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { canonicalUuid, DISSOLUTION_MODES, LIMITS, ORGANIZATION_KINDS, RATINGS, SECTORS } from '@ktt/domain';
import { CanonicalId, IsId, IsLocalDate, IsText, NormalizeText } from '../http/validators';

// The domain's limits, repeated for messages (the domain checks them again on every path).
const TEXT = LIMITS.text;
const MEMBERS = LIMITS.memberCount;

const PROVINCE_CODE = /^\d{2}$/;

const FORMER_PROVINCE_CODE = {
  example: '89',
  type: String,
  nullable: true,
  description:
    'where provinceCode names a merged province on the date (e.g. 91 from 2025-07-01: former 89 An Giang or 91 Kiên Giang), the former province whose territory holds the seat: required there (409 FORMER_PROVINCE_REQUIRED), one of its predecessors (409 NOT_A_PREDECESSOR); elsewhere omitted',
};

export class ManagersDto {
  @ApiProperty({ minimum: 0, maximum: LIMITS.managers.max }) @IsInt() @Min(0) @Max(LIMITS.managers.max) total!: number;
  @ApiProperty({ minimum: 0, maximum: LIMITS.managers.max, description: '0 ≤ withDegree ≤ total' }) @IsInt() @Min(0) @Max(LIMITS.managers.max) withDegree!: number;
}

/** domain.md, profile flags: true, false or null (unknown). At registration omitted = null; in a profile change omitted = unchanged, null = back to unknown. */
const FLAG = {
  type: Boolean,
  nullable: true,
  description: 'true, false or null (unknown). Omitted at registration: unknown; omitted in a profile change: unchanged; null there: back to unknown',
};

// @IsOptional lets null through to the domain, which records it as unknown (and checks the flag again).
class ProfileFlagsDto {
  // Inline, not a reference: OpenAPI 3.0's `nullable` does not reach into a $ref (or allOf), so null would not match it.
  @ApiProperty({
    type: 'object',
    selfRequired: false,
    nullable: true,
    properties: {
      total: { type: 'integer', minimum: 0, maximum: LIMITS.managers.max },
      withDegree: { type: 'integer', minimum: 0, maximum: LIMITS.managers.max, description: '0 ≤ withDegree ≤ total' },
    },
    required: ['total', 'withDegree'],
    description: 'null (or omitted at registration): unknown; null in a profile change: back to unknown',
  })
  @IsOptional() @ValidateNested() @Type(() => ManagersDto) managers?: ManagersDto | null;
  @ApiPropertyOptional(FLAG) @IsOptional() @IsBoolean() directorTrained?: boolean | null;
  @ApiPropertyOptional(FLAG) @IsOptional() @IsBoolean() valueChain?: boolean | null;
  @ApiPropertyOptional(FLAG) @IsOptional() @IsBoolean() highTech?: boolean | null;
  @ApiPropertyOptional(FLAG) @IsOptional() @IsBoolean() enterpriseLinked?: boolean | null;
  @ApiPropertyOptional(FLAG) @IsOptional() @IsBoolean() digitalAdoption?: boolean | null;
}

export class RegisterOrganizationDto extends ProfileFlagsDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the client, else generated; any letter case, stored and answered in lower case' })
  @IsOptional() @CanonicalId() @IsId() id?: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) @IsIn(ORGANIZATION_KINDS) kind!: (typeof ORGANIZATION_KINDS)[number];
  @ApiProperty({ minLength: 1, maxLength: TEXT.name }) @NormalizeText() @IsText({ max: TEXT.name }) name!: string;
  @ApiProperty({ example: '1801234567', description: '1–20 letters, digits, "-" and "/"; compared trimmed and upper-cased' })
  @NormalizeText() @IsString() @Matches(/^[\p{L}\p{Nd}/-]{1,20}$/u, { message: 'registrationNumber must be 1–20 letters, digits, "-" or "/"' })
  registrationNumber!: string;
  @ApiProperty({ example: '91', description: 'a province in force on registeredOn (409 PROVINCE_NOT_IN_FORCE naming the successor otherwise; 400 UNKNOWN_PROVINCE for a code that never named one)' })
  @IsString() @Matches(PROVINCE_CODE, { message: 'provinceCode must be a two-digit province code' }) provinceCode!: string;
  @ApiPropertyOptional(FORMER_PROVINCE_CODE)
  @IsOptional() @IsString() @Matches(PROVINCE_CODE, { message: 'formerProvinceCode must be a two-digit province code' }) formerProvinceCode?: string | null;
  @ApiProperty({ enum: SECTORS }) @IsIn(SECTORS) sector!: (typeof SECTORS)[number];
  @ApiProperty({ format: 'date' }) @IsLocalDate() registeredOn!: string;
  @ApiPropertyOptional({ minimum: MEMBERS.min, maximum: MEMBERS.max, description: 'not for unions; at least 5 for a cooperative, 2 for a group' })
  @IsOptional() @IsInt() @Min(MEMBERS.min) @Max(MEMBERS.max) memberCount?: number;
  @ApiPropertyOptional({ type: [String], description: 'unions only: at least 3 founding cooperatives' })
  @IsOptional() @CanonicalId() @IsId({ each: true }) @ArrayUnique() @ArrayMaxSize(LIMITS.memberCooperativeIds.max) memberCooperativeIds?: string[];
}

export class RateOrganizationDto {
  @ApiProperty({ enum: RATINGS }) @IsIn(RATINGS) rating!: (typeof RATINGS)[number];
  @ApiProperty({ example: 2025 }) @IsInt() @Min(1900) @Max(2200) year!: number;
  @ApiProperty({ format: 'date' }) @IsLocalDate() ratedOn!: string;
}

export class ChangeMemberCountDto {
  @ApiProperty({ minimum: MEMBERS.min, maximum: MEMBERS.max }) @IsInt() @Min(MEMBERS.min) @Max(MEMBERS.max) memberCount!: number;
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class ChangeProfileDto extends ProfileFlagsDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class SuspendOrganizationDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty({ maxLength: TEXT.reason, description: 'line breaks allowed' }) @NormalizeText() @IsText({ max: TEXT.reason, multiline: true }) reason!: string;
  @ApiPropertyOptional({ format: 'date', description: "the notice's end date, recorded only" })
  @IsOptional() @IsLocalDate() until?: string;
  @ApiPropertyOptional({ maxLength: 200, description: "document reference of the suspension notice (recorded since schema v2)" })
  @IsOptional() @NormalizeText() @IsText({ max: TEXT.noticeRef }) noticeRef?: string;
}

export class FindDormantDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty({ maxLength: TEXT.finding, description: 'line breaks allowed' }) @NormalizeText() @IsText({ max: TEXT.finding, multiline: true }) finding!: string;
}

export class ResumeOrganizationDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class DissolveOrganizationDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty({ enum: DISSOLUTION_MODES }) @IsIn(DISSOLUTION_MODES) mode!: (typeof DISSOLUTION_MODES)[number];
  @ApiProperty({ maxLength: TEXT.decisionRef }) @NormalizeText() @IsText({ max: TEXT.decisionRef }) decisionRef!: string;
}

export class JoinUnionDto {
  @ApiProperty({ format: 'uuid' }) @CanonicalId() @IsId() cooperativeId!: string;
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class LeaveUnionDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
}

export class RelocateOrganizationDto {
  @ApiProperty({ example: '91', description: 'the destination: a province in force on effectiveOn (409 PROVINCE_NOT_IN_FORCE naming the successor otherwise); a registrar of the destination records it' })
  @IsString() @Matches(PROVINCE_CODE, { message: 'provinceCode must be a two-digit province code' }) provinceCode!: string;
  @ApiPropertyOptional(FORMER_PROVINCE_CODE)
  @IsOptional() @IsString() @Matches(PROVINCE_CODE, { message: 'formerProvinceCode must be a two-digit province code' }) formerProvinceCode?: string | null;
  @ApiProperty({ format: 'date', description: 'the seat is in the destination from this date on (not before registration or the latest relocation)' })
  @IsLocalDate() effectiveOn!: string;
}

export class CorrectRecordDto {
  @ApiProperty({ format: 'uuid', description: 'the event of this organization\'s history to retract' }) @CanonicalId() @IsId() eventId!: string;
  @ApiProperty({ maxLength: TEXT.correctionReason, description: 'line breaks allowed' }) @NormalizeText() @IsText({ max: TEXT.correctionReason, multiline: true }) reason!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'the fields of the command that records the right fact in its place (for a rating: { rating, year, ratedOn }); judged by the same rules',
  })
  @IsOptional() @Transform(({ value }) => canonicalReplacement(value)) @IsObject() replacement?: Record<string, unknown>;
}

/**
 * A replacement is free-form here (the domain judges it by the rules of the
 * command it replaces); its one id, a join's or leave's `cooperativeId`, is
 * canonicalised like every other id on the way in.
 */
function canonicalReplacement(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('cooperativeId' in value)) return value;
  return { ...value, cooperativeId: canonicalUuid((value as { cooperativeId: unknown }).cooperativeId) };
}
