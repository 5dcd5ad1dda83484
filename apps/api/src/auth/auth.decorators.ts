import { SetMetadata } from '@nestjs/common';
import type { Permission } from '@ktt/auth';

export const PUBLIC = 'ktt:public';
export const PERMISSION = 'ktt:permission';
export const ANY_ROLE = 'ktt:any-role';

/** Open without a token: /health, /metrics, /docs. */
export const Public = () => SetMetadata(PUBLIC, true);

/** The permission a handler needs (libs/auth/src/principal.ts maps roles to permissions). */
export const Requires = (permission: Permission) => SetMetadata(PERMISSION, permission);

/** Any valid token, whatever its role (who am I, the province list): still never without one. */
export const AnyRole = () => SetMetadata(ANY_ROLE, true);
