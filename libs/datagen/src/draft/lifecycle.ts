import type { DissolutionMode, LocalDate, OrganizationKind } from '@ktt/domain';
import { COMMON_SUSPENSION_REASONS, COVID_SUSPENSION_REASON, type ProvinceVocabulary } from '../demo/demo-places';
import { addDays, maxDate, type Random } from '../random';
import type { Draft, LifecycleStep } from './draft';
import { WINDOW_END } from './settings';

// The lifecycle of a draft: suspension, dormancy found by inspection, resumption, dissolution, with their wording.

const FINDINGS = [
  'không còn hoạt động tại trụ sở đăng ký',
  'không tổ chức đại hội thành viên thường niên ba năm liền',
  'không phát sinh doanh thu, không nộp báo cáo tài chính',
  'thành viên đã rút hết vốn góp, bộ máy quản lý không còn',
];

function decisionRef(random: Random, mode: DissolutionMode, kind: OrganizationKind): string {
  if (mode === 'compulsory') return `QĐ ${random.int(15, 1890)}/QĐ-UBND`;
  return kind === 'cooperative_group' ? `TB ${random.int(1, 240)}/TB-UBND` : `NQ ${random.int(1, 12)}/NQ-ĐHTV`;
}

function suspensionReason(random: Random, vocabulary: ProvinceVocabulary, date: LocalDate): string {
  if (date >= '2020-03-01' && date <= '2021-12-31' && random.chance(0.6)) return COVID_SUSPENSION_REASON;
  const local = vocabulary.localSuspensionReasons.filter((r) => (r.from ?? date) <= date && date <= (r.to ?? date));
  return random.chance(0.35) && local.length > 0 ? random.pick(local).reason : random.pick(COMMON_SUSPENSION_REASONS);
}

export interface LifecycleRates {
  suspend: number;
  dormant: number;
  dissolve: number;
}

/** Suspension (with a notice of up to 12 months), dormancy found by inspection, dissolution; in lifecycle order. */
export function drawLifecycle(random: Random, draft: Draft, rates: LifecycleRates): LifecycleStep[] {
  const steps: LifecycleStep[] = [];
  const start = addDays(maxDate(draft.registeredOn, draft.settings.historyFrom), 60);
  const push = (step: LifecycleStep) => {
    if (step.date <= WINDOW_END && (steps.length === 0 || step.date >= steps[steps.length - 1].date)) steps.push(step);
  };
  const dissolve = (date: LocalDate, mode: DissolutionMode) =>
    push({ type: 'dissolve', date, mode, decisionRef: decisionRef(random, mode, draft.kind) });
  const dormant = (date: LocalDate) =>
    push({
      type: 'dormant',
      date,
      finding: `Kiểm tra tháng ${date.slice(5, 7)}/${date.slice(0, 4)} của UBND ${draft.district}: ${random.pick(FINDINGS)}`,
    });
  if (start > WINDOW_END) return steps;
  const u = random.float();
  if (u < rates.suspend) {
    const date = random.date(start, WINDOW_END);
    push({ type: 'suspend', date, reason: suspensionReason(random, draft.vocabulary, date), until: addDays(date, random.int(90, 365)) });
    const v = random.float();
    if (v < 0.6) {
      const resumed = addDays(date, random.int(60, 420));
      push({ type: 'resume', date: resumed });
      if (random.chance(0.15)) dissolve(addDays(resumed, random.int(200, 900)), 'voluntary');
    } else if (v < 0.8) {
      dissolve(addDays(date, random.int(120, 540)), 'voluntary');
    } else if (v < 0.9) {
      const found = addDays(date, random.int(365, 700));
      dormant(found);
      if (random.chance(0.6)) dissolve(addDays(found, random.int(120, 500)), 'compulsory');
    }
  } else if (u < rates.suspend + rates.dormant) {
    const found = random.date(start, WINDOW_END);
    dormant(found);
    const v = random.float();
    if (v < 0.55) dissolve(addDays(found, random.int(90, 600)), 'compulsory');
    else if (v < 0.75) push({ type: 'resume', date: addDays(found, random.int(60, 365)) });
  } else if (u < rates.suspend + rates.dormant + rates.dissolve) {
    dissolve(random.date(addDays(start, 120), addDays(WINDOW_END, 0)), 'voluntary');
  }
  return steps;
}
