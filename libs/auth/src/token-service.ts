import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { AuthenticationError } from './errors';
import { defaultSubject, ROLES, type Principal, type Role } from './principal';

const ISSUER = 'ktt-registry';
const PROVINCE = /^\d{2}$/;
const SUBJECT = /^[\p{L}\p{N}._:@,-]{1,100}$/u;
const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = 24 * 3600;

/** api.md, "Authentication": a token lives 30 days unless asked otherwise, never more than 366. */
export const DEFAULT_TOKEN_DAYS = 30;
export const MAX_TOKEN_DAYS = 366;

export interface MintedToken {
  token: string;
  /** The token's id (`jti`): what `cli token revoke` names. */
  jti: string;
  expiresAt: Date;
}

/** A verified token: who it speaks for, and which token it is (for revocation). */
export interface VerifiedToken {
  principal: Principal;
  jti: string;
  expiresAt: Date;
}

/**
 * Signed tokens (JWT, HS256) carrying subject, role, provinces and an id
 * (`jti`). Built on `jsonwebtoken` (what @nestjs/jwt wraps) because
 * @nestjs/jwt 12 ships as ESM only, which the cli and jest cannot load from
 * CommonJS; the algorithm is pinned on verification, so an `alg: none` token
 * is refused. Revocation is the caller's (a store of revoked ids): this class
 * needs no database.
 */
export class TokenService {
  constructor(readonly secret: string) {
    if (secret.length < 32) throw new Error('the token signing secret must be at least 32 characters');
  }

  /** The token only; `mint` when the caller needs its id. */
  sign(input: TokenRequest): string {
    return this.mint(input).token;
  }

  mint(input: TokenRequest): MintedToken {
    const provinces = [...new Set(input.provinces ?? [])].sort();
    if (!ROLES.includes(input.role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
    if (input.role === 'registrar' && provinces.length === 0) throw new Error('a registrar token needs at least one --province');
    if (input.role !== 'registrar' && provinces.length > 0) throw new Error('only registrar tokens carry provinces');
    for (const province of provinces) if (!PROVINCE.test(province)) throw new Error(`province must be a two-digit code (got "${province}")`);
    // The record says who wrote: a registrar's writes name a person, not "registrar:91" shared by a whole office.
    if (input.role === 'registrar' && !input.subject) throw new Error('a registrar token names the person who writes: --subject is required');
    const subject = input.subject ?? defaultSubject(input.role, provinces);
    if (!SUBJECT.test(subject)) throw new Error('subject must be 1–100 letters, digits or . _ : @ , -');
    // system:… subjects are the product's own writers (seed, demo, generator): a token cannot pose as one.
    if (subject.startsWith('system:')) throw new Error('subjects starting with "system:" are reserved');
    const seconds = input.expiresInSeconds ?? DEFAULT_TOKEN_DAYS * DAY;
    if (!Number.isInteger(seconds) || seconds <= 0 || seconds > MAX_TOKEN_DAYS * DAY) {
      throw new Error(`a token lives from 1 second to ${MAX_TOKEN_DAYS} days`);
    }
    const jti = randomUUID();
    const token = jwt.sign({ role: input.role, provinces }, this.secret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      subject,
      jwtid: jti,
      expiresIn: seconds,
    });
    const { exp } = jwt.decode(token) as { exp: number };
    return { token, jti, expiresAt: new Date(exp * 1000) };
  }

  verify(token: string): Principal {
    return this.verifyToken(token).principal;
  }

  verifyToken(token: string): VerifiedToken {
    let claims: { sub?: unknown; role?: unknown; provinces?: unknown; jti?: unknown; exp?: unknown; iat?: unknown };
    try {
      claims = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER }) as typeof claims;
    } catch (error) {
      const name = (error as Error).name;
      throw new AuthenticationError(name === 'TokenExpiredError' ? 'the token has expired' : 'the token is not valid');
    }
    const { sub, role, provinces, jti, exp, iat } = claims;
    if (
      typeof sub !== 'string' ||
      !ROLES.includes(role as Role) ||
      !Array.isArray(provinces) ||
      !provinces.every((p) => typeof p === 'string' && PROVINCE.test(p))
    ) {
      throw new AuthenticationError('the token does not carry a subject, a role and provinces');
    }
    if (typeof jti !== 'string' || !TOKEN_ID.test(jti)) {
      // Tokens minted before tokens had ids cannot be revoked one by one: they are refused (README, "Security").
      throw new AuthenticationError('the token has no id (jti): it was minted by an older version; mint a new one with "npm run cli -- token"');
    }
    if (typeof exp !== 'number' || typeof iat !== 'number' || exp - iat > MAX_TOKEN_DAYS * DAY) {
      throw new AuthenticationError(`the token must expire within ${MAX_TOKEN_DAYS} days of being issued; mint a new one`);
    }
    return { principal: { subject: sub, role: role as Role, provinces: provinces as string[] }, jti, expiresAt: new Date(exp * 1000) };
  }
}

export interface TokenRequest {
  role: Role;
  provinces?: string[];
  /** Required for registrars (a named person); others default to role and provinces. */
  subject?: string;
  /** Default 30 days; at most 366. */
  expiresInSeconds?: number;
}
