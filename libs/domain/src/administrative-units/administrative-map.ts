import { DomainError } from '../common/domain-error';
import type { LocalDate } from '../common/local-date';
import { isValidLocalDate } from '../common/local-date';

/** A province (provincial-level unit) as listed on the map of some date. */
export interface ProvinceInForce {
  code: string;
  name: string;
  /**
   * The codes, on the map of the day before it came into force, of the provinces whose whole
   * territory it took; a province that was not merged (and every province of the first map) lists
   * its own code (api.md, GET /api/provinces).
   */
  predecessors: string[];
  /** Set on a province that a later reorganization ended: the code its territory went to. */
  successor?: string;
}

/** A code on the boundaries of a date (domain.md: `91@2023-10-20`), with the first-map provinces it is made of. */
export interface Territory {
  code: string;
  boundariesOn: LocalDate;
  name: string;
  predecessors: string[];
  /** First-map province codes (before 1 July 2025), in code order: `91@2026-01-01` is ['89', '91']. */
  units: string[];
}

/** One reorganization (domain.md, "Administrative units"): the provinces it forms, from its date on. */
export interface Reorganization {
  effectiveOn: LocalDate;
  /** The provinces in force from `effectiveOn` that it lists; a province of the map before that it neither lists nor names as a predecessor goes on unchanged. */
  provinces: { code: string; name: string; predecessors: string[] }[];
}

interface Epoch {
  /** null: the first map, in force on every date before the first reorganization. */
  from: LocalDate | null;
  provinces: Map<string, ProvinceInForce>;
}

const TWO_DIGITS = /^\d{2}$/;

/**
 * The map of provinces through time: the first map (the 63 before 1 July 2025) and each
 * reorganization after it. Pure: it is given its data (data/reference/administrative-units-2025.json
 * through `administrativeMapFromReference`) and reads nothing. It refuses data that would lose or
 * double a territory, since a typo there would move organizations between provinces.
 */
export class AdministrativeMap {
  private readonly epochs: Epoch[];
  private readonly knownCodes: ReadonlySet<string>;

  constructor(first: readonly { code: string; name: string }[], reorganizations: readonly Reorganization[] = []) {
    const initial = new Map<string, ProvinceInForce>();
    for (const p of first) {
      requireCode(p.code, 'the first map');
      if (initial.has(p.code)) throw new Error(`the first map lists province ${p.code} twice`);
      initial.set(p.code, { code: p.code, name: p.name, predecessors: [p.code] });
    }
    this.epochs = [{ from: null, provinces: initial }];
    for (const r of [...reorganizations].sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn))) this.apply(r);
    this.knownCodes = new Set(this.epochs.flatMap((e) => [...e.provinces.keys()]));
  }

  /** The provinces in force on `date`, in code order. */
  provincesInForce(date: LocalDate): ProvinceInForce[] {
    return [...this.epochOn(date).provinces.values()].map((p) => ({ ...p, predecessors: [...p.predecessors] }));
  }

  /** The province `code` names on `date`, or null when no province in force then has it. */
  provinceOn(code: string, date: LocalDate): ProvinceInForce | null {
    const p = this.epochOn(date).provinces.get(code);
    return p ? { ...p, predecessors: [...p.predecessors] } : null;
  }

  /**
   * The territory `code` names on `date` as units: the provinces of the first map (before
   * 1 July 2025) whose territories make it up, in code order; null when `code` is not in force then.
   * Reorganizations only merge whole provinces (the constructor refuses a split), so a first-map
   * province never straddles two provinces: it is the unit every territory is made of, and the
   * read models record a seat as one (`seatUnit`).
   */
  unitsOf(code: string, date: LocalDate): string[] | null {
    const index = this.epochIndexOn(date);
    if (!this.epochs[index].provinces.has(code)) return null;
    return this.unitsAt(code, index);
  }

  /** The province in force on `date` whose territory holds the first-map province `unit`. */
  provinceOfUnit(unit: string, date: LocalDate): ProvinceInForce {
    if (!this.epochs[0].provinces.has(unit)) throw new Error(`${unit} is not a province of the first map`);
    const index = this.epochIndexOn(date);
    let code = unit;
    for (let i = 1; i <= index; i++) code = this.successorIn(i, code);
    return this.provinceOn(code, date)!;
  }

  /**
   * A territory as answered (api.md: `{ code, boundariesOn, name }`) with its units; null when
   * `code` is not in force on `boundariesOn`.
   */
  territory(code: string, boundariesOn: LocalDate): Territory | null {
    const p = this.provinceOn(code, boundariesOn);
    if (!p) return null;
    return { code, boundariesOn, name: p.name, predecessors: p.predecessors, units: this.unitsOf(code, boundariesOn)! };
  }

  /**
   * The code in force on `date` that took over the territory of `code` (which is not in force
   * then): for `89` on 2026-01-05, `91`. Null when `code` first names a province after `date`.
   */
  successorOn(code: string, date: LocalDate): string | null {
    const index = this.epochIndexOn(date);
    for (let i = index; i >= 0; i--) {
      if (!this.epochs[i].provinces.has(code)) continue;
      // `code` was in force in epoch i, before `date`: follow it forward through the merges since.
      let current = code;
      for (let j = i + 1; j <= index; j++) current = this.successorIn(j, current);
      return current;
    }
    return null;
  }

  /**
   * Judges a seat named by a command on the map of its effective date (domain.md, "Administrative
   * units"), and answers the seat's unit (the first-map province whose territory holds it):
   * - a code that never named a province: 400 UNKNOWN_PROVINCE;
   * - a code not in force on `date`: 409 PROVINCE_NOT_IN_FORCE naming the successor;
   * - a province made of several units (a merged one): `formerProvinceCode` must name one of them
   *   (409 FORMER_PROVINCE_REQUIRED when missing, NOT_A_PREDECESSOR when another code);
   * - a province of one unit: `formerProvinceCode` may be omitted or name that unit.
   * `paths` name the fields in the request, so the error points at them.
   */
  judgeSeat(
    seat: { provinceCode: string; formerProvinceCode?: string | null },
    date: LocalDate,
    paths: { provinceCode: string; formerProvinceCode: string } = { provinceCode: 'provinceCode', formerProvinceCode: 'formerProvinceCode' },
  ): string {
    const { provinceCode, formerProvinceCode } = seat;
    this.requireKnownProvinceCode(provinceCode, paths.provinceCode);
    const units = this.unitsOf(provinceCode, date);
    if (units === null) throw this.notInForce(provinceCode, date, 'conflict');
    if (formerProvinceCode === undefined || formerProvinceCode === null) {
      if (units.length === 1) return units[0];
      throw new DomainError(
        'conflict',
        'FORMER_PROVINCE_REQUIRED',
        `${paths.formerProvinceCode} is required: province ${provinceCode} on ${date} was formed from ${units.join(', ')}; name the one whose former territory holds the seat`,
        [{ path: paths.formerProvinceCode, message: `one of ${units.join(', ')}` }],
        { predecessors: units },
      );
    }
    if (units.includes(formerProvinceCode)) return formerProvinceCode;
    throw new DomainError(
      'conflict',
      'NOT_A_PREDECESSOR',
      `${paths.formerProvinceCode} ${formerProvinceCode} is not a former province of ${provinceCode} on ${date} (its former provinces: ${units.join(', ')})`,
      [{ path: paths.formerProvinceCode, message: `one of ${units.join(', ')}` }],
      { predecessors: units },
    );
  }

  /**
   * PROVINCE_NOT_IN_FORCE for `code` on `date`, naming the successor where there is one: 409 for a
   * command (`conflict`), 404 for a province asked for in a query path (`not_found`).
   */
  notInForce(code: string, date: LocalDate, kind: 'conflict' | 'not_found', path = 'provinceCode'): DomainError {
    const successor = this.successorOn(code, date);
    const message = successor
      ? `province ${code} is not in force on ${date}: its territory is part of province ${successor} (${this.provinceOn(successor, date)!.name}) from ${this.epochs[this.epochIndexOn(date)].from}`
      : `province ${code} is not in force on ${date}`;
    return new DomainError(kind, 'PROVINCE_NOT_IN_FORCE', message, [{ path, message }], successor ? { successor } : {});
  }

  /** The dates from which the map changed (each reorganization's `effectiveOn`), in order: where a territory that follows the map may change. */
  reorganizationDates(): LocalDate[] {
    return this.epochs.flatMap((e) => (e.from === null ? [] : [e.from]));
  }

  /** Whether `code` names a province on some date: `00` and `99` never did. */
  isKnownProvinceCode(code: string): boolean {
    return this.knownCodes.has(code);
  }

  /**
   * Refuses a code that names no province on any date with `UNKNOWN_PROVINCE` naming the field
   * (`path`): 400 for a body field or query parameter, 404 for a code in a URL path (api.md, "Queries").
   * A code that names a province on some other date passes: which date's map applies is the caller's rule.
   */
  requireKnownProvinceCode(code: string, path: string, where: 'body-or-query' | 'url-path' = 'body-or-query'): void {
    if (this.isKnownProvinceCode(code)) return;
    const message = `${path} ${code} names no province on any date`;
    throw new DomainError(where === 'url-path' ? 'not_found' : 'invalid', 'UNKNOWN_PROVINCE', message, [{ path, message }]);
  }

  private epochOn(date: LocalDate): Epoch {
    return this.epochs[this.epochIndexOn(date)];
  }

  private epochIndexOn(date: LocalDate): number {
    if (!isValidLocalDate(date)) throw new Error(`not a calendar date: ${date}`);
    let found = 0;
    this.epochs.forEach((e, i) => {
      if (e.from !== null && e.from <= date) found = i;
    });
    return found;
  }

  /** The code that province `code` of epoch i - 1 belongs to in epoch i. */
  private successorIn(i: number, code: string): string {
    for (const p of this.epochs[i].provinces.values()) if (p.predecessors.includes(code)) return p.code;
    throw new Error(`province ${code} has no successor in the map from ${this.epochs[i].from}`);
  }

  private unitsAt(code: string, index: number): string[] {
    if (index === 0) return [code];
    const p = this.epochs[index].provinces.get(code)!;
    return p.predecessors.flatMap((predecessor) => this.unitsAt(predecessor, index - 1)).sort();
  }

  private apply(r: Reorganization): void {
    if (!isValidLocalDate(r.effectiveOn)) throw new Error(`a reorganization's effectiveOn is not a calendar date: ${r.effectiveOn}`);
    const previous = this.epochs[this.epochs.length - 1];
    if (previous.from !== null && r.effectiveOn <= previous.from) throw new Error(`two reorganizations take effect on ${r.effectiveOn}`);
    const before = previous.provinces;
    const takenBy = new Map<string, string>();
    const listed = new Map<string, ProvinceInForce>();
    for (const p of r.provinces) {
      requireCode(p.code, `the reorganization of ${r.effectiveOn}`);
      if (listed.has(p.code)) throw new Error(`the reorganization of ${r.effectiveOn} lists province ${p.code} twice`);
      if (p.predecessors.length === 0) throw new Error(`province ${p.code} of ${r.effectiveOn} has no predecessor`);
      for (const code of p.predecessors) {
        if (!before.has(code)) throw new Error(`province ${p.code} of ${r.effectiveOn} names ${code}, not in force the day before`);
        const other = takenBy.get(code);
        if (other !== undefined) throw new Error(`province ${code} goes to both ${other} and ${p.code} on ${r.effectiveOn}`);
        takenBy.set(code, p.code);
      }
      listed.set(p.code, { code: p.code, name: p.name, predecessors: [...p.predecessors].sort() });
    }
    const after = new Map<string, ProvinceInForce>();
    for (const [code, p] of before) {
      const successor = takenBy.get(code);
      if (successor === undefined) {
        // Neither listed nor merged: it goes on, with the same territory.
        if (listed.has(code)) throw new Error(`province ${code} of ${r.effectiveOn} reuses a code whose province goes on`);
        after.set(code, { code, name: p.name, predecessors: [code] });
        continue;
      }
      const unchanged = successor === code && listed.get(code)!.predecessors.length === 1;
      if (!unchanged) before.set(code, { ...p, successor });
    }
    for (const p of listed.values()) after.set(p.code, p);
    this.epochs.push({ from: r.effectiveOn, provinces: new Map([...after].sort(([a], [b]) => a.localeCompare(b))) });
  }
}

function requireCode(code: string, where: string): void {
  if (!TWO_DIGITS.test(code)) throw new Error(`${where} lists a province code that is not two digits: ${code}`);
}
