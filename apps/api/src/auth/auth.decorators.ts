import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { Permission } from '@ktt/auth';
import { ProblemResponses } from '../openapi/problem-responses';

export const PUBLIC = 'ktt:public';
export const PERMISSION = 'ktt:permission';
export const ANY_ROLE = 'ktt:any-role';

// Each decorator below both decides who may call a route (auth.guard.ts) and documents it in OpenAPI
// (the bearer scheme is the document's default, openapi-document.ts), so the document claims no other
// security than the one enforced. 503: the guard reads the token revocations from the database.

/** Open without a token: /health, /metrics, /docs. `{}`: no security requirement, unlike the document's default. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC, true), ApiSecurity({}));

/** The permission a handler needs (libs/auth/src/principal.ts maps roles to permissions). */
export const Requires = (permission: Permission) =>
  applyDecorators(SetMetadata(PERMISSION, permission), ProblemResponses(401, 403, 429, 503));

/** Any valid token, whatever its role (who am I, the province list): still never without one. */
export const AnyRole = () => applyDecorators(SetMetadata(ANY_ROLE, true), ProblemResponses(401, 429, 503));
