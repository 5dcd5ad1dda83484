import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { AuthenticationError } from './errors';
import { can, canWriteProvince } from './principal';
import { TokenService } from './token-service';

const secret = 's'.repeat(40);

describe('TokenService', () => {
  const tokens = new TokenService(secret);

  it('signs and verifies subject, role, provinces and an id (jti) of every token', () => {
    const minted = tokens.mint({ role: 'registrar', provinces: ['91', '15', '91'], subject: 'nguyen-van-a' });
    expect(tokens.verifyToken(minted.token)).toEqual({
      principal: { subject: 'nguyen-van-a', role: 'registrar', provinces: ['15', '91'] },
      jti: minted.jti,
      expiresAt: minted.expiresAt,
    });
    expect(minted.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens.mint({ role: 'analyst' }).jti).not.toBe(minted.jti);
    expect(tokens.verify(tokens.sign({ role: 'auditor' }))).toEqual({ subject: 'auditor', role: 'auditor', provinces: [] });
  });

  it('lives 30 days by default and at most 366 (finding 8: tokens of 10 years)', () => {
    const days = (minted: { expiresAt: Date }) => Math.round((minted.expiresAt.getTime() - Date.now()) / 86_400_000);
    expect(days(tokens.mint({ role: 'admin' }))).toBe(30);
    expect(days(tokens.mint({ role: 'admin', expiresInSeconds: 366 * 86_400 }))).toBe(366);
    expect(() => tokens.mint({ role: 'admin', expiresInSeconds: 367 * 86_400 })).toThrow('366 days');
    expect(() => tokens.mint({ role: 'admin', expiresInSeconds: 3650 * 86_400 })).toThrow('366 days');
    const tenYears = jwt.sign({ role: 'admin', provinces: [] }, secret, { algorithm: 'HS256', issuer: 'ktt-registry', subject: 'a', jwtid: randomUUID(), expiresIn: '3650d' });
    expect(() => tokens.verify(tenYears)).toThrow('within 366 days');
  });

  it('refuses a token without an id, as minted before tokens had one', () => {
    const old = jwt.sign({ role: 'admin', provinces: [] }, secret, { algorithm: 'HS256', issuer: 'ktt-registry', subject: 'first-admin', expiresIn: '7d' });
    expect(() => tokens.verify(old)).toThrow(new AuthenticationError('the token has no id (jti): it was minted by an older version; mint a new one with "npm run cli -- token"'));
  });

  it('mints a registrar only for a named person, and never a system: subject', () => {
    expect(() => tokens.sign({ role: 'registrar', provinces: ['91'] })).toThrow('--subject is required');
    expect(() => tokens.sign({ role: 'admin', subject: 'system:demo' })).toThrow('reserved');
  });

  it('refuses an expired token, one signed with another key, an alg:none token and garbage', () => {
    const expired = jwt.sign({ role: 'admin', provinces: [] }, secret, { algorithm: 'HS256', issuer: 'ktt-registry', subject: 'a', expiresIn: -1 });
    const forged = jwt.sign({ role: 'admin', provinces: [] }, 'x'.repeat(40), { algorithm: 'HS256', issuer: 'ktt-registry', subject: 'a' });
    const unsigned = jwt.sign({ role: 'admin', provinces: [] }, '', { algorithm: 'none', issuer: 'ktt-registry', subject: 'a' });
    expect(() => tokens.verify(expired)).toThrow(new AuthenticationError('the token has expired'));
    for (const token of [forged, unsigned, 'not.a.token']) expect(() => tokens.verify(token)).toThrow(AuthenticationError);
  });

  it('refuses a validly signed token without a known role', () => {
    const odd = jwt.sign({ role: 'superuser', provinces: [] }, secret, { algorithm: 'HS256', issuer: 'ktt-registry', subject: 'a' });
    expect(() => tokens.verify(odd)).toThrow('the token does not carry a subject, a role and provinces');
  });

  it('will not mint a registrar without provinces, provinces for other roles, or a short secret', () => {
    expect(() => tokens.sign({ role: 'registrar', subject: 'x' })).toThrow('--province');
    expect(() => tokens.sign({ role: 'analyst', provinces: ['91'] })).toThrow('only registrar');
    expect(() => tokens.sign({ role: 'registrar', provinces: ['9'], subject: 'x' })).toThrow('two-digit');
    expect(() => new TokenService('short')).toThrow('32 characters');
  });
});

describe('permissions', () => {
  const principal = (role: 'admin' | 'registrar' | 'auditor' | 'analyst', provinces: string[] = []) => ({ subject: role, role, provinces });

  it('lets only admins adopt plans and only auditors and admins read the audit endpoints', () => {
    expect(can(principal('admin'), 'plans:write')).toBe(true);
    for (const role of ['registrar', 'auditor', 'analyst'] as const) expect(can(principal(role), 'plans:write')).toBe(false);
    expect(can(principal('auditor'), 'audit:read')).toBe(true);
    expect(can(principal('analyst'), 'audit:read')).toBe(false);
    expect(can(principal('analyst'), 'history:read')).toBe(false);
  });

  it('lets a registrar write only for its provinces', () => {
    expect(canWriteProvince(principal('registrar', ['91']), '91')).toBe(true);
    expect(canWriteProvince(principal('registrar', ['91']), '15')).toBe(false);
    expect(canWriteProvince(principal('admin'), '15')).toBe(true);
    expect(canWriteProvince(principal('auditor'), '91')).toBe(false);
  });
});
