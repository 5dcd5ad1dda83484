import jwt from 'jsonwebtoken';
import { AuthenticationError } from './errors';
import { defaultSubject, ROLES, type Principal, type Role } from './principal';

const ISSUER = 'ktt-registry';
const PROVINCE = /^\d{2}$/;

/**
 * Signed tokens (JWT, HS256) carrying subject, role and provinces. Built on
 * `jsonwebtoken` (what @nestjs/jwt wraps) because @nestjs/jwt 12 ships as ESM
 * only, which the cli and jest (on Node 20) cannot load from CommonJS; the
 * algorithm is pinned on verification, so an `alg: none` token is refused.
 */
export class TokenService {
  constructor(readonly secret: string) {
    if (secret.length < 32) throw new Error('the token signing secret must be at least 32 characters');
  }

  sign(input: { role: Role; provinces?: string[]; subject?: string; expiresInSeconds?: number }): string {
    const provinces = [...new Set(input.provinces ?? [])].sort();
    if (!ROLES.includes(input.role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
    if (input.role === 'registrar' && provinces.length === 0) throw new Error('a registrar token needs at least one --province');
    if (input.role !== 'registrar' && provinces.length > 0) throw new Error('only registrar tokens carry provinces');
    for (const province of provinces) if (!PROVINCE.test(province)) throw new Error(`province must be a two-digit code (got "${province}")`);
    const subject = input.subject ?? defaultSubject(input.role, provinces);
    if (!/^[\p{L}\p{N}._:@,-]{1,100}$/u.test(subject)) throw new Error('subject must be 1–100 letters, digits or . _ : @ , -');
    return jwt.sign({ role: input.role, provinces }, this.secret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      subject,
      expiresIn: input.expiresInSeconds ?? 30 * 24 * 3600,
    });
  }

  verify(token: string): Principal {
    let claims: { sub?: unknown; role?: unknown; provinces?: unknown };
    try {
      claims = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER }) as typeof claims;
    } catch (error) {
      const name = (error as Error).name;
      throw new AuthenticationError(name === 'TokenExpiredError' ? 'the token has expired' : 'the token is not valid');
    }
    const { sub, role, provinces } = claims;
    if (
      typeof sub !== 'string' ||
      !ROLES.includes(role as Role) ||
      !Array.isArray(provinces) ||
      !provinces.every((p) => typeof p === 'string' && PROVINCE.test(p))
    ) {
      throw new AuthenticationError('the token does not carry a subject, a role and provinces');
    }
    return { subject: sub, role: role as Role, provinces: provinces as string[] };
  }
}
