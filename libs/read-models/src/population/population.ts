import { readFileSync } from 'node:fs';
import type { LocalDate } from '@ktt/domain';
import type { PopulationAnswer } from '../answers';
import type { Units } from '../progress/metrics-query';

/** One sourced figure of data/reference/province-population-figures.json. */
export interface PopulationFigure {
  /** The unit: a province of the first map (before 1 July 2025). */
  provinceCode: string;
  year: number;
  kind: 'census' | 'yearly-average';
  population: number;
  sources: { publisher: string; url: string }[];
}

/**
 * Population per territory and year (domain.md, "Population"): the figure of a unit for a date
 * is that of the latest year ≤ the date's year (a yearly average before the census within one
 * year: it is the year's own figure); a territory's is the sum over its units, and is null, with
 * the reason naming the units that lack one, when any unit has no figure that early. The whole
 * country (`'all'`) has its own figure in the file (`country`), not the sum of the 63, so the
 * national share does not wait for every province's figure.
 */
export class Populations {
  private readonly byUnit = new Map<string, PopulationFigure[]>();

  constructor(
    figures: readonly PopulationFigure[],
    private readonly country: readonly Omit<PopulationFigure, 'provinceCode'>[] = [],
  ) {
    for (const figure of figures) {
      const list = this.byUnit.get(figure.provinceCode) ?? [];
      list.push(figure);
      this.byUnit.set(figure.provinceCode, list);
    }
    for (const list of this.byUnit.values()) list.sort(newestFirst);
  }

  /** `populationOf(units, date)`: the territory's population for the date's year, with the figures used or why none. */
  populationOf(units: Units, date: LocalDate): PopulationAnswer {
    const year = Number(date.slice(0, 4));
    if (units === 'all') {
      const figure = [...this.country].sort(newestFirst).find((f) => f.year <= year);
      if (!figure) return { value: null, figures: [], reason: `no sourced population of the country for ${year} or earlier` };
      return { value: figure.population, figures: [{ unit: 'country', year: figure.year, kind: figure.kind, population: figure.population }] };
    }
    if (units.length === 0) return { value: null, figures: [], reason: 'the territory has no units' };
    const figures: PopulationAnswer['figures'] = [];
    const lacking: string[] = [];
    for (const unit of units) {
      const figure = this.byUnit.get(unit)?.find((f) => f.year <= year);
      if (figure) figures.push({ unit, year: figure.year, kind: figure.kind, population: figure.population });
      else lacking.push(unit);
    }
    if (lacking.length > 0) {
      return {
        value: null,
        figures,
        reason: `no sourced population for ${year} or earlier of former province${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')} (data/reference/province-population-figures.json)`,
      };
    }
    return { value: figures.reduce((sum, f) => sum + f.population, 0), figures };
  }

  /** The `populationOn` that `metricsAt` takes, for one territory. */
  on(units: Units): (date: LocalDate) => number | null {
    return (date) => this.populationOf(units, date).value;
  }
}

/** Latest year first; within a year, the yearly average before the census (the year's own figure). */
function newestFirst(a: { year: number; kind: string }, b: { year: number; kind: string }): number {
  return b.year - a.year || (a.kind === 'yearly-average' ? -1 : 0) - (b.kind === 'yearly-average' ? -1 : 0);
}

/** Reads the reference file (its `figures` by unit and its `country` figures). */
export function loadPopulationFigures(file: string): Populations {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { figures: PopulationFigure[]; country?: Omit<PopulationFigure, 'provinceCode'>[] };
  return new Populations(data.figures, data.country ?? []);
}
