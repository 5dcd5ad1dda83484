import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsOptional, IsString, Matches, Max, Min, ValidateNested, ArrayMinSize } from 'class-validator';
import { LIMITS, METRIC_NAMES, TARGET_OPS } from '@ktt/domain';
import { IsLocalDate, IsText, NormalizeText } from '../http/validators';

// The domain's limits, repeated for messages (the domain checks them again on every path).
const TEXT = LIMITS.text;
const VALUE = LIMITS.targetValue.maxAbs;

export class TargetDto {
  @ApiProperty({ enum: METRIC_NAMES }) @IsIn(METRIC_NAMES) metric!: (typeof METRIC_NAMES)[number];
  @ApiProperty({ enum: TARGET_OPS }) @IsIn(TARGET_OPS) op!: (typeof TARGET_OPS)[number];
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-VALUE) @Max(VALUE) value?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-VALUE) @Max(VALUE) min?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-VALUE) @Max(VALUE) max?: number;
  @ApiProperty({ format: 'date' }) @IsLocalDate() deadline!: string;
  @ApiProperty({ description: 'the sentence of the source document that sets it' }) @NormalizeText() @IsText({ max: TEXT.targetQuote, multiline: true }) quote!: string;
}

export class AdoptPlanDto {
  @ApiProperty({ example: 'kien-giang-251-kh-ubnd-2023' })
  // A plan's id has one spelling (lower case), like every id on the way in.
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,99}$/, { message: 'id must be 1–100 lower-case letters, digits and "-"' })
  id!: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @NormalizeText() @IsText({ max: TEXT.planDocument }) document?: string | null;
  @ApiProperty() @NormalizeText() @IsText({ max: TEXT.planTitle }) title!: string;
  @ApiProperty() @NormalizeText() @IsText({ max: TEXT.planIssuer }) issuer!: string;
  @ApiProperty({ example: '91' }) @IsString() @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' }) provinceCode!: string;
  @ApiProperty({ format: 'date' }) @IsLocalDate() adoptedOn!: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsText({ max: TEXT.planSource }) source?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @NormalizeText() @IsText({ max: TEXT.planNote, multiline: true }) note?: string | null;
  @ApiProperty({ type: [TargetDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(LIMITS.planTargets.max) @ValidateNested({ each: true }) @Type(() => TargetDto) targets!: TargetDto[];
}

export class AmendPlanDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty() @NormalizeText() @IsText({ max: TEXT.planReason, multiline: true }) reason!: string;
  @ApiPropertyOptional({ type: [TargetDto], description: 'replaces the whole list from effectiveOn on' })
  @IsOptional() @IsArray() @ArrayMaxSize(LIMITS.planTargets.max) @ValidateNested({ each: true }) @Type(() => TargetDto) targets?: TargetDto[];
  @ApiPropertyOptional({ format: 'date', description: 'moves the baseline' }) @IsOptional() @IsLocalDate() adoptedOn?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @NormalizeText() @IsText({ max: TEXT.planDocument }) document?: string | null;
}

export class EndPlanDto {
  @ApiProperty({ format: 'date', description: 'the first day the plan is no longer in force' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty() @NormalizeText() @IsText({ max: TEXT.planReason, multiline: true }) reason!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'an-giang-2026-kh', description: 'the adopted plan that supersedes it; omitted or null = repealed' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,99}$/, { message: 'supersededBy must be a plan id: 1–100 lower-case letters, digits and "-"' })
  supersededBy?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the decision that ends it' }) @IsOptional() @NormalizeText() @IsText({ max: TEXT.planDocument }) document?: string | null;
}
