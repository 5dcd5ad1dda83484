import { SetMetadata } from '@nestjs/common';
import type { Permission } from '@ktt/auth';

export const PUBLIC = 'ktt:public';
export const PERMISSION = 'ktt:permission';

/** Open without a token: /health, /metrics, /docs. */
export const Public = () => SetMetadata(PUBLIC, true);

/** The permission a handler needs (libs/auth/src/principal.ts maps roles to permissions). */
export const Requires = (permission: Permission) => SetMetadata(PERMISSION, permission);
