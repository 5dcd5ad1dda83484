import type { DissolutionMode, LocalDate, OrganizationState } from '@ktt/domain';
import { DISSOLUTION_MODE_WORDS, flagText, KIND_WORDS, RATING_WORDS, SECTOR_WORDS, STATUS_WORDS, vietnameseOf, type TemplateField } from './template';

/**
 * One organization as the register export sees it: its state as of the export's date, and what the
 * state does not say (read beside it from the organization's facts).
 */
export interface RegisterEntry {
  /** As of the export's `asOf`: `provinceCode` is the province in force then (`Tỉnh hiện nay`). */
  state: OrganizationState;
  /** The seat on the registration date, as a command on that date names it (`Mã tỉnh`, `Mã tỉnh cũ`). */
  registeredIn: { provinceCode: string; formerProvinceCode: string | null };
  /** The date of the lifecycle event the status comes from; null when it never changed (active since registration). */
  statusSince: LocalDate | null;
  dissolution: { mode: DissolutionMode; decisionRef: string } | null;
}

/**
 * A row's values by column: text, a whole number, or a date (`{ date }`, a date cell in XLSX and
 * dd/mm/yyyy in CSV); null is an empty cell (unknown, or not applicable).
 */
export type RegisterCell = string | number | { date: LocalDate } | null;
export type RegisterRow = Record<TemplateField, RegisterCell>;

/**
 * The template's row of an organization (template.ts: the same columns the import reads, so a row
 * imports where it was registered): `Mã tỉnh` is the seat's code on `Ngày đăng ký`, `Tỉnh hiện
 * nay` the province at the export's date. Unions are written too (a register lists them), with no
 * member count; the import refuses them by row, as the template's notes say.
 */
export function registerRow(entry: RegisterEntry): RegisterRow {
  const { state } = entry;
  const date = (value: LocalDate | null | undefined) => (value ? { date: value } : null);
  return {
    kind: vietnameseOf(KIND_WORDS, state.kind),
    name: state.name,
    registrationNumber: state.registrationNumber,
    provinceCode: entry.registeredIn.provinceCode,
    formerProvinceCode: entry.registeredIn.formerProvinceCode,
    sector: vietnameseOf(SECTOR_WORDS, state.sector),
    registeredOn: date(state.registeredOn),
    memberCount: state.memberCount,
    rating: state.rating ? vietnameseOf(RATING_WORDS, state.rating.rating) : null,
    ratingYear: state.rating?.year ?? null,
    ratedOn: date(state.rating?.ratedOn),
    status: vietnameseOf(STATUS_WORDS, state.status),
    statusOn: date(entry.statusSince),
    valueChain: flagText(state.valueChain) || null,
    highTech: flagText(state.highTech) || null,
    enterpriseLinked: flagText(state.enterpriseLinked) || null,
    digitalAdoption: flagText(state.digitalAdoption) || null,
    directorTrained: flagText(state.directorTrained) || null,
    managersTotal: state.managers?.total ?? null,
    managersWithDegree: state.managers?.withDegree ?? null,
    dissolutionMode: state.status === 'dissolved' && entry.dissolution ? vietnameseOf(DISSOLUTION_MODE_WORDS, entry.dissolution.mode) : null,
    dissolutionDecisionRef: state.status === 'dissolved' ? (entry.dissolution?.decisionRef ?? null) : null,
    currentProvinceCode: state.provinceCode,
  };
}
