import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsOptional, IsString, Length, Matches, ValidateNested, ArrayMinSize } from 'class-validator';
import { METRIC_NAMES, TARGET_OPS } from '@ktt/domain';
import { IsLocalDate, NormalizeText } from '../http/validators';

export class TargetDto {
  @ApiProperty({ enum: METRIC_NAMES }) @IsIn(METRIC_NAMES) metric!: (typeof METRIC_NAMES)[number];
  @ApiProperty({ enum: TARGET_OPS }) @IsIn(TARGET_OPS) op!: (typeof TARGET_OPS)[number];
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) value?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) min?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) max?: number;
  @ApiProperty({ format: 'date' }) @IsLocalDate() deadline!: string;
  @ApiProperty({ description: 'the sentence of the source document that sets it' }) @NormalizeText() @IsString() @Length(1, 2000) quote!: string;
}

export class AdoptPlanDto {
  @ApiProperty({ example: 'kien-giang-251-kh-ubnd-2023' })
  @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,99}$/, { message: 'id must be 1–100 lower-case letters, digits and "-"' })
  id!: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @NormalizeText() @IsString() @Length(1, 200) document?: string | null;
  @ApiProperty() @NormalizeText() @IsString() @Length(1, 1000) title!: string;
  @ApiProperty() @NormalizeText() @IsString() @Length(1, 300) issuer!: string;
  @ApiProperty({ example: '91' }) @IsString() @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' }) provinceCode!: string;
  @ApiProperty({ format: 'date' }) @IsLocalDate() adoptedOn!: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @Length(1, 500) source?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @NormalizeText() @IsString() @Length(1, 2000) note?: string | null;
  @ApiProperty({ type: [TargetDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => TargetDto) targets!: TargetDto[];
}

export class AmendPlanDto {
  @ApiProperty({ format: 'date' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty() @NormalizeText() @IsString() @Length(1, 2000) reason!: string;
  @ApiPropertyOptional({ type: [TargetDto], description: 'replaces the whole list from effectiveOn on' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => TargetDto) targets?: TargetDto[];
  @ApiPropertyOptional({ format: 'date', description: 'moves the baseline' }) @IsOptional() @IsLocalDate() adoptedOn?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @NormalizeText() @IsString() @Length(1, 200) document?: string | null;
}
