import { can, canWriteProvince, ForbiddenError, type Permission, type Principal } from '@ktt/auth';

/**
 * Authorization in the application (api.md, "Authentication"): every command
 * path passes here, whatever its entry (HTTP, cli, import), before anything is
 * read for the caller, decided or appended. The HTTP guard checks the role too,
 * but only as an early answer; this is the check that holds.
 */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) throw new ForbiddenError(`the role ${principal.role} may not ${permission.replace(':', ' ')}`);
}

/** A registrar writes only for the provinces in its token (admins for all). */
export function requireProvince(principal: Principal, provinceCode: string): void {
  if (!canWriteProvince(principal, provinceCode)) {
    throw new ForbiddenError(`${principal.subject} may not write for province ${provinceCode}`);
  }
}
