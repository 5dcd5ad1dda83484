import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import { canonicalUuid, ORGANIZATION_STREAM_PREFIX, organizationIdOfStream } from '@ktt/domain';
import { ConsistencyQueryDto } from '../http/query.dtos';

/** `<kind>-<id>`: organization-<uuid>, plan-…, registration-number-…, idempotency-<sha256>. */
export const STREAM_ID = /^[a-z]+(?:-[a-z]+)*-[A-Za-z0-9/_.-]{1,100}$/;

export class VerifyQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ example: 'organization-3f1c2a9e-8d4b-4b7a-9c1e-2f6d8a0b5c7d', description: 'one stream; without it, every stream' })
  @IsOptional()
  // An organization's stream is named by its id in lower case; the id may come in any case.
  @Transform(({ value }) => {
    const id = typeof value === 'string' ? organizationIdOfStream(value) : null;
    return id === null ? value : `${ORGANIZATION_STREAM_PREFIX}${canonicalUuid(id)}`;
  })
  @IsString()
  @Matches(STREAM_ID, { message: 'streamId must be a stream id such as organization-<id>' })
  streamId?: string;
}
