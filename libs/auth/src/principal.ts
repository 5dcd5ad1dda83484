/** Roles of api.md, "Authentication". */
export const ROLES = ['admin', 'registrar', 'auditor', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

/** Who a verified token speaks for. `subject` becomes `recordedBy` of every event it writes. */
export interface Principal {
  subject: string;
  role: Role;
  /** Registrars only: the provinces whose organizations it may write. */
  provinces: string[];
}

/**
 * What each role may do. Registrars read what analysts read plus organization
 * histories (they need to see what was entered); only auditors and admins
 * read the audit endpoints; plans are adopted and amended, and
 * reorganizations of the map recorded, by admins.
 */
export const PERMISSIONS = [
  'organizations:write',
  'organizations:read',
  'history:read',
  'progress:read',
  'plans:read',
  'plans:write',
  'audit:read',
  'corrections:write',
  'administrative-units:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** GET /api/me: who the token speaks for and what its role may do (what a client offers). */
export interface Me extends Principal {
  permissions: Permission[];
}

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  registrar: ['organizations:write', 'organizations:read', 'history:read', 'progress:read', 'plans:read'],
  auditor: ['organizations:read', 'history:read', 'progress:read', 'plans:read', 'audit:read', 'corrections:write'],
  analyst: ['organizations:read', 'progress:read', 'plans:read'],
};

export function can(principal: Principal, permission: Permission): boolean {
  return ROLE_PERMISSIONS[principal.role].includes(permission);
}

/** A registrar writes only for the provinces in its token (the organization's province; a union's for its membership). */
export function canWriteProvince(principal: Principal, provinceCode: string): boolean {
  return principal.role === 'admin' || (principal.role === 'registrar' && principal.provinces.includes(provinceCode));
}

/** The default subject: role and provinces, e.g. `registrar:91` or `auditor`. */
export function defaultSubject(role: Role, provinces: string[]): string {
  return provinces.length > 0 ? `${role}:${provinces.join(',')}` : role;
}

/**
 * The product's own writers (plan seeding, the demo, the generator, a cli
 * command, tests): admins in process, never a token (minting refuses
 * `system:` subjects). Every command names its principal; this is the one for
 * them. `subject` is recorded as is, e.g. `system:demo`.
 */
export function systemPrincipal(subject: string): Principal {
  return { subject, role: 'admin', provinces: [] };
}
