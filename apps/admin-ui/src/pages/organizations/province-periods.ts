import { addDays, type MapHistory } from '../../api/map-history';
import type { HistoryEntry } from '../../api/types';

/**
 * The provinces an organization's seat belonged to over time (domain.md, "Administrative units"),
 * derived from its history and the map: a registration or relocation records the seat as a unit (its
 * `formerProvinceCode`, else its `provinceCode`: a first-map province); the province holding that
 * unit on a date is the map's. Pure, so a unit spec pins it (test/ui/province-periods.spec.ts).
 */

export interface ProvincePeriod {
  kind: 'registered' | 'relocated' | 'reorganized';
  /** From this date on. */
  date: string;
  code: string;
  name: string;
  /** The first-map province holding the seat. */
  unit: string;
  /** Whether the province was formed from several (then the former province is worth saying). */
  merged: boolean;
}

const SEAT_EVENTS = new Set(['OrganizationRegistered', 'OrganizationRelocated']);

interface SeatRecord {
  date: string;
  unit: string;
  kind: 'registered' | 'relocated';
  order: number;
}

/** A seat event's date and unit, or null when its data does not name a seat. */
function seatOf(type: string, data: Record<string, unknown>, effectiveOn: string | null, order: number): SeatRecord | null {
  if (!SEAT_EVENTS.has(type)) return null;
  const code = typeof data.formerProvinceCode === 'string' && data.formerProvinceCode ? data.formerProvinceCode : data.provinceCode;
  const date = (typeof data.effectiveOn === 'string' ? data.effectiveOn : null) ?? (typeof data.registeredOn === 'string' ? data.registeredOn : null) ?? effectiveOn;
  if (typeof code !== 'string' || !date) return null;
  return { date, unit: code, kind: type === 'OrganizationRegistered' ? 'registered' : 'relocated', order };
}

/**
 * The periods from the history: each seat (registration, relocation, a correction's replacement of
 * one; retracted events left out) and each change of the map while a seat held, up to `until`.
 */
export function provincePeriods(events: HistoryEntry[], history: MapHistory, until: string): ProvincePeriod[] {
  const seats: SeatRecord[] = [];
  events.forEach((event, order) => {
    if (event.correctedBy) return;
    const replacement = event.type === 'RecordCorrected' ? (event.data.replacement as { type?: string; data?: Record<string, unknown> } | null | undefined) : null;
    const seat = replacement?.type && replacement.data ? seatOf(replacement.type, replacement.data, event.effectiveOn, order) : seatOf(event.type, event.data, event.effectiveOn, order);
    if (seat) seats.push(seat);
  });
  // By effective date; of two on one date, the one recorded later holds (domain.md, "Two clocks").
  seats.sort((a, b) => a.date.localeCompare(b.date) || a.order - b.order);
  const periods: ProvincePeriod[] = [];
  const province = (unit: string, date: string) => {
    try {
      const found = history.map.provinceOfUnit(unit, date);
      return { code: found.code, name: found.name, merged: (history.map.unitsOf(found.code, date) ?? []).length > 1 };
    } catch {
      // A unit the map does not know (a record older than the map's checks): shown as recorded.
      return { code: unit, name: unit, merged: false };
    }
  };
  seats.forEach((seat, index) => {
    const end = seats[index + 1]?.date ?? null;
    if (end === seat.date) return; // replaced on its own day
    periods.push({ kind: seat.kind, date: seat.date, unit: seat.unit, ...province(seat.unit, seat.date) });
    for (const change of history.changes) {
      if (change <= seat.date || (end !== null && change >= end) || change > until) continue;
      const before = province(seat.unit, addDays(change, -1));
      const after = province(seat.unit, change);
      if (before.code !== after.code || before.name !== after.name || before.merged !== after.merged) {
        periods.push({ kind: 'reorganized', date: change, unit: seat.unit, ...after });
      }
    }
  });
  return periods;
}
