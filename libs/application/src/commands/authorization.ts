import { can, canWriteProvince, ForbiddenError, type Permission, type Principal } from '@ktt/auth';
import type { AdministrativeMap, LocalDate } from '@ktt/domain';

/**
 * Authorization in the application (api.md, "Authentication"): every command
 * path passes here, whatever its entry (HTTP, cli, import), before anything is
 * read for the caller, decided or appended. The HTTP guard checks the role too,
 * but only as an early answer; this is the check that holds.
 */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) throw new ForbiddenError(`the role ${principal.role} may not ${permission.replace(':', ' ')}`);
}

/** A registrar writes only for the provinces in its token (admins for all): the codes as written, for callers without a map. */
export function requireProvince(principal: Principal, provinceCode: string): void {
  if (!canWriteProvince(principal, provinceCode)) {
    throw new ForbiddenError(`${principal.subject} may not write for province ${provinceCode}`);
  }
}

/**
 * The territory a registrar's token covers, as units (first-map provinces): its codes read on
 * today's map, so a token for `91` covers the merged An Giang (units 89 and 91) once the merger is
 * in force. A code of the token not in force today covers nothing (tokens are minted for codes in
 * force; one minted before a reorganization is refused and should be minted again).
 */
export function tokenUnits(principal: Principal, map: AdministrativeMap, today: LocalDate): ReadonlySet<string> {
  return new Set(principal.provinces.flatMap((code) => map.unitsOf(code, today) ?? []));
}

/**
 * A registrar writes for an organization only when its seat on the command's effective date lies
 * within the token's territory (`tokenUnits`): `seatUnits` are the units the seat lies in (one for a
 * recorded seat; those of the named province where the command does not tell which). Admins write
 * for every province. An empty `seatUnits` (a code that names no province) is left to the decision
 * (400 UNKNOWN_PROVINCE): it names no one's territory.
 */
export function requireSeatInTerritory(
  principal: Principal,
  map: AdministrativeMap,
  today: LocalDate,
  seatUnits: readonly string[],
  seat: string,
): void {
  if (principal.role === 'admin') return;
  if (principal.role !== 'registrar') throw new ForbiddenError(`the role ${principal.role} may not write for a province`);
  const covered = tokenUnits(principal, map, today);
  if (seatUnits.every((unit) => covered.has(unit))) return;
  throw new ForbiddenError(`${principal.subject} may not write for ${seat}: it lies outside ${describeToken(principal, map, today)}`);
}

function describeToken(principal: Principal, map: AdministrativeMap, today: LocalDate): string {
  const codes = principal.provinces.map((code) => {
    if (map.provinceOn(code, today)) return code;
    const successor = map.successorOn(code, today);
    return successor ? `${code} (not in force on ${today}: now part of ${successor})` : `${code} (not in force on ${today})`;
  });
  return codes.length > 0 ? `the provinces of its token on ${today} (${codes.join(', ')})` : 'its token, which names no province';
}

/**
 * Why a token may not name these provinces, or null when it may (api.md: registrar tokens name
 * provinces in force): each code must be in force on `today`; the message names the code that
 * holds the territory now (`89` in 2026 → `91`), or says that a code never named a province.
 */
export function tokenProvincesProblem(map: AdministrativeMap, provinces: readonly string[], today: LocalDate): string | null {
  const problems = provinces.flatMap((code) => {
    if (!map.isKnownProvinceCode(code)) return [`${code} names no province on any date`];
    if (map.provinceOn(code, today)) return [];
    const successor = map.successorOn(code, today);
    if (successor === null) return [`${code} is not in force on ${today}`];
    const province = map.provinceOn(successor, today)!;
    return [`${code} is not in force on ${today}: its territory is part of ${successor} (${province.name}); mint the token for ${successor}, which covers it`];
  });
  return problems.length > 0 ? `--province ${problems.join('; ')}` : null;
}
