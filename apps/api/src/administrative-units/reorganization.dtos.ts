import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, ValidateNested } from 'class-validator';
import { IsLocalDate, IsText, NormalizeText } from '../http/validators';

// Shapes and messages at the edge; the domain checks every rule again (decideReorganization), and the
// map's own rules (predecessors in force the day before, one successor each) only there: they need the stream.
const TWO_DIGITS = /^\d{2}$/;

export class ReorganizedProvinceDto {
  @ApiProperty({ example: '91' }) @IsString() @Matches(TWO_DIGITS, { message: 'code must be a two-digit province code' }) code!: string;
  @ApiProperty({ example: 'An Giang' }) @NormalizeText() @IsText({ max: 100 }) name!: string;
  @ApiProperty({ type: [String], example: ['89', '91'], description: 'the provinces in force the day before whose whole territory it takes; a province that goes on lists its own code' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @Matches(TWO_DIGITS, { each: true, message: 'predecessors must be two-digit province codes' })
  predecessors!: string[];
}

export class ReorganizeProvincesDto {
  @ApiProperty({ format: 'date', example: '2025-07-01', description: 'the first day of the new map; the date of an earlier reorganization corrects it' }) @IsLocalDate() effectiveOn!: string;
  @ApiProperty({ example: 'Nghị quyết 202/2025/QH15' }) @NormalizeText() @IsText({ max: 200 }) document!: string;
  @ApiProperty({ type: [ReorganizedProvinceDto], description: 'the provinces it forms; a province in force the day before that is neither listed nor a predecessor goes on unchanged' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ReorganizedProvinceDto)
  provinces!: ReorganizedProvinceDto[];
}
