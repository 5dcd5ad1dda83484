import { ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import answerSchemas from './answer-schemas.json';

type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

/**
 * The schemas of the api's answers, generated from their TypeScript types by `npm run openapi:answers`
 * (infra/openapi/answer-schemas.ts; a spec fails while this file is stale), so no DTO class states them again.
 */
export const ANSWER_SCHEMAS = answerSchemas as unknown as Schemas;

export type AnswerName = keyof typeof answerSchemas;

/** A query's 200 answer: the named answer schema, or a list of them. */
export function AnswerResponse(name: AnswerName, description: string, shape: 'one' | 'list' = 'one'): MethodDecorator & ClassDecorator {
  const ref = { $ref: `#/components/schemas/${name}` };
  return ApiResponse({ status: 200, description, schema: shape === 'list' ? { type: 'array', items: ref } : ref });
}
