import jwt from 'jsonwebtoken';
import { AuthenticationError } from './errors';
import { can, canWriteProvince } from './principal';
import { TokenService } from './token-service';

const secret = 's'.repeat(40);

describe('TokenService', () => {
  const tokens = new TokenService(secret);

  it('signs and verifies subject, role and provinces', () => {
    const token = tokens.sign({ role: 'registrar', provinces: ['91', '15', '91'] });
    expect(tokens.verify(token)).toEqual({ subject: 'registrar:15,91', role: 'registrar', provinces: ['15', '91'] });
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
    expect(() => tokens.sign({ role: 'registrar' })).toThrow('--province');
    expect(() => tokens.sign({ role: 'analyst', provinces: ['91'] })).toThrow('only registrar');
    expect(() => tokens.sign({ role: 'registrar', provinces: ['9'] })).toThrow('two-digit');
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
