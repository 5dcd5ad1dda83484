import type { Random } from '../random';
import type { PlannedCommand } from './commands';

const HOUR = 3_600_000;
/** 08:00 in Vietnam (UTC+7). */
const OFFICE_OPENS = 1 * HOUR;

/**
 * The recording instants of an organization's commands (in recording order), as the registry would
 * have entered them: the first of a day at a random time of office hours in Vietnam (08:00–15:00),
 * the next ones of that day a few minutes apart, none before `notBefore` (a union after its
 * cooperatives' registrations), strictly increasing. The generator and the demo both stamp their
 * records with these, so "known at" questions on either have answers.
 */
export function recordingTimes(planned: readonly PlannedCommand[], random: Random, notBefore: (p: PlannedCommand) => number): number[] {
  let previous = Number.NEGATIVE_INFINITY;
  let previousDay = '';
  return planned.map((p) => {
    const drawn =
      p.recordOn === previousDay ? previous + random.int(60_000, 300_000) : Date.parse(`${p.recordOn}T00:00:00Z`) + OFFICE_OPENS + random.int(0, 7 * HOUR);
    const time = Math.max(drawn, previous + 1, p.union ? notBefore(p) : 0);
    previous = time;
    previousDay = p.recordOn;
    return time;
  });
}
