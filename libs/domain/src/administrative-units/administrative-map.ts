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
    if (!isValidLocalDate(date)) throw new Error(`not a calendar date: ${date}`);
    let found = this.epochs[0];
    for (const e of this.epochs) if (e.from !== null && e.from <= date) found = e;
    return found;
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
