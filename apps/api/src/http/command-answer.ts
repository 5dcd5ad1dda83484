import { applyDecorators, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandResult } from '@ktt/application';

export class CommandResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "revision of the stream's last event" }) version!: number;
  @ApiProperty({ description: 'opaque position in the global log (for minPosition)' }) position!: string;
}

/**
 * How every command route answers (api.md): `{ id, version, position }` with
 * `ETag: "<version>"`; 201 for a creation (a registration, an adoption), 200
 * otherwise; a replayed Idempotency-Key answers as the first time did, with
 * `Idempotent-Replayed: true`.
 */
export function answer(result: CommandResult, res: Response): CommandResponseDto {
  res.status(result.created ? 201 : 200);
  res.setHeader('ETag', `"${result.version}"`);
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return { id: result.id, version: result.version, position: result.position };
}

/**
 * A command route: POST `path` (the controller's own path when undefined), its summary, and the
 * command answer in the OpenAPI document, 201 for a route that creates (a registration, an adoption)
 * and 200 for the others, as `answer` sends them.
 */
export function CommandRoute(path: string | undefined, summary: string, answers: 'created' | 'ok' = 'ok') {
  return applyDecorators(
    Post(path),
    ...(answers === 'created' ? [HttpCode(201), ApiCreatedResponse({ type: CommandResponseDto })] : [ApiOkResponse({ type: CommandResponseDto })]),
    ApiOperation({ summary }),
  );
}
