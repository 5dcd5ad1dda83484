import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { FieldError } from '@ktt/domain';
import type { Problem } from '../http/problem';

/** One refused field of a Problem: which one (a JSON path such as `targets[3].min`) and the rule it broke. */
@ApiSchema({ name: 'FieldError' })
export class FieldErrorSchema implements FieldError {
  @ApiProperty({ example: 'registeredOn' })
  path!: string;
  @ApiProperty({ example: 'registeredOn must be a date (YYYY-MM-DD)' })
  message!: string;
}

/** RFC 9457 problem details as http/problem.ts writes them: the `Problem` schema of the document, checked against its type. */
@ApiSchema({ name: 'Problem' })
export class ProblemSchema implements Problem {
  @ApiProperty({ example: '/problems/validation-failed' })
  type!: string;
  @ApiProperty({ example: 'The request is not valid' })
  title!: string;
  @ApiProperty({ example: 400 })
  status!: number;
  @ApiProperty()
  detail!: string;
  @ApiProperty({ description: 'Stable, for programs to branch on', example: 'VALIDATION_FAILED' })
  code!: string;
  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'Each refused field and the rule it broke' })
  errors?: FieldErrorSchema[];
  @ApiPropertyOptional({ example: '91', description: 'PROVINCE_NOT_IN_FORCE: the province code in force on the date that took the territory over' })
  successor?: string;
  @ApiPropertyOptional({ type: [String], example: ['89', '91'], description: 'FORMER_PROVINCE_REQUIRED, NOT_A_PREDECESSOR: the former provinces formerProvinceCode may name' })
  predecessors?: string[];
}

/** The error answers of api.md, each as application/problem+json. */
const WHEN = {
  400: 'The request is not valid (VALIDATION_FAILED names each field in `errors`, MALFORMED_JSON)',
  401: 'No valid, unrevoked bearer token',
  403: 'The token\'s role or provinces do not allow this',
  404: 'Not found (or not yet registered at the date asked)',
  409: 'Refused by the recorded history (a rule of domain.md; e.g. PROVINCE_NOT_IN_FORCE with `successor`, FORMER_PROVINCE_REQUIRED, NOT_A_PREDECESSOR, ALREADY_SEATED_THERE), or the stream is quarantined',
  412: 'If-Match names another version than the stream\'s latest',
  422: 'The Idempotency-Key was used before with another request',
  429: 'Too many requests for this token or address (see Retry-After)',
  503: 'The database is unavailable, the read models are behind, or too many concurrent changes (see Retry-After)',
} as const;

export type ProblemStatus = keyof typeof WHEN;

/**
 * Documents the error answers an operation (or every operation of a controller) can give, all with the
 * one `Problem` schema, so a generated client knows each of them.
 */
export function ProblemResponses(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema, FieldErrorSchema),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: WHEN[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemSchema) } } },
      }),
    ),
  );
}
