import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { COVERAGE_NAMES, isShareMetric, METRIC_NAMES, type CoverageName, type MetricName, type PlanState } from '@ktt/domain';
import type { ProvinceProgress, SeriesPoint, TargetProgress } from '@ktt/read-models/answers';
import { unlessClosed } from './register-writers';
import { COUNT_FORMAT, DECIMAL_FORMAT, METRIC_LABELS, SHARE_FORMAT, TARGET_OP_LABELS, TARGET_STATUS_LABELS } from './report-labels';
import { DATE_FORMAT, dateCell, vietnameseDate } from './template';

/** What the report workbook shows: the answers of the progress queries, not a computation of its own. */
export interface ProgressReport {
  progress: ProvinceProgress;
  /** Month ends up to the report's date (GET …/progress/series with step=month). */
  series: SeriesPoint[];
  /** The plans whose targets the report lists (their references go in the header). */
  plans: readonly PlanState[];
  /** The recorded time the figures were read as of; null: every record so far (at `generatedAt`). */
  knownAt: string | null;
  generatedAt: string;
}

export const PROGRESS_SHEETS = { metrics: 'Chỉ số', targets: 'Chỉ tiêu', series: 'Theo tháng' } as const;

/** The header rows above each sheet's table: label in A, value in B. */
type HeaderLine = readonly [string, string | number | Date | null, string?];

/**
 * The report workbook (issue 17): a sheet of the metrics and their coverage, a sheet of the
 * targets (quote, aim, actual, attainment, status) and a sheet of the monthly series, each under
 * the same header (province, as-of, known-at, plan references). Numbers are number cells with
 * formats (counts grouped, shares as percentages, dates dd/mm/yyyy), so the ministry's own
 * spreadsheets can add them up.
 */
export async function writeProgressReport(out: Writable, report: ProgressReport): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const header = headerLines(report);
  metricsSheet(workbook, header, report.progress);
  targetsSheet(workbook, header, report.progress.targets, report.plans);
  seriesSheet(workbook, header, report);
  await unlessClosed(out, workbook.commit());
}

function headerLines(report: ProgressReport): HeaderLine[] {
  const { progress } = report;
  const plans = report.plans.map((plan) => `${plan.id}: ${plan.document ?? 'không số'} — ${plan.title} (${plan.issuer}, ban hành ${vietnameseDate(plan.adoptedOn)})`);
  return [
    ['Báo cáo tiến độ phát triển kinh tế tập thể', null],
    ['Tỉnh, thành phố', `${progress.territory.name} (${progress.territory.code})`],
    ['Địa bàn theo ranh giới ngày', dateCell(progress.territory.boundariesOn), DATE_FORMAT],
    ['Số liệu tính đến ngày (asOf)', dateCell(progress.asOf), DATE_FORMAT],
    ['Theo hồ sơ ghi nhận đến (knownAt)', report.knownAt ? `${vietnamTime(report.knownAt)} (${report.knownAt})` : `mọi hồ sơ đã ghi nhận lúc lập báo cáo, ${vietnamTime(report.generatedAt)}`],
    ...(progress.future ? [['Ngày trong tương lai', 'Chưa có số liệu: chỉ có mức cần đạt theo lộ trình'] as const] : []),
    ...(plans.length === 0 ? [['Kế hoạch', 'Không có kế hoạch nào có hiệu lực vào ngày này'] as const] : plans.map((plan, i) => [i === 0 ? 'Kế hoạch' : '', plan] as const)),
    ['Lập lúc', `${vietnamTime(report.generatedAt)} (${report.generatedAt})`],
  ];
}

function addHeader(sheet: ExcelJS.Worksheet, lines: readonly HeaderLine[]): void {
  lines.forEach(([label, value, format], index) => {
    const row = sheet.addRow([label, value]);
    if (index === 0) row.font = { bold: true, size: 14 };
    else row.getCell(1).font = { bold: true };
    if (format) row.getCell(2).numFmt = format;
    row.commit();
  });
  sheet.addRow([]).commit();
}

function tableHeader(sheet: ExcelJS.Worksheet, titles: readonly string[]): void {
  const row = sheet.addRow([...titles]);
  row.font = { bold: true };
  row.commit();
}

/** A metric's value cell format: a share as a percentage, a count grouped (population_share is a share too). */
function formatOf(metric: MetricName): string {
  return isShareMetric(metric) ? SHARE_FORMAT : COUNT_FORMAT;
}

function metricsSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, header: readonly HeaderLine[], progress: ProvinceProgress): void {
  const sheet = workbook.addWorksheet(PROGRESS_SHEETS.metrics);
  sheet.columns = [{ width: 48 }, { width: 44 }, { width: 16 }, { width: 22 }];
  addHeader(sheet, [...header, ['Dân số dùng cho tỷ lệ dân số', progress.population.value ?? progress.population.reason ?? null, progress.population.value === null ? undefined : COUNT_FORMAT]]);
  tableHeader(sheet, ['Chỉ số', 'Mã chỉ số', 'Giá trị', 'Độ phủ dữ liệu (đã biết / thuộc phạm vi)']);
  const covered = new Set<string>(COVERAGE_NAMES);
  for (const metric of METRIC_NAMES) {
    const coverage = covered.has(metric) ? progress.coverage[metric as CoverageName] : null;
    const row = sheet.addRow([METRIC_LABELS[metric], metric, progress.metrics[metric], coverage]);
    row.getCell(3).numFmt = formatOf(metric);
    row.getCell(4).numFmt = SHARE_FORMAT;
    row.commit();
  }
  sheet.commit();
}

function targetsSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, header: readonly HeaderLine[], targets: readonly TargetProgress[], plans: readonly PlanState[]): void {
  const sheet = workbook.addWorksheet(PROGRESS_SHEETS.targets);
  sheet.columns = [14, 22, 26, 40, 14, 12, 12, 12, 12, 60, 14, 14, 14, 12, 22].map((width) => ({ width }));
  addHeader(sheet, header);
  tableHeader(sheet, [
    'Kế hoạch',
    'Số văn bản',
    'Địa bàn của kế hoạch',
    'Chỉ số',
    'Điều kiện',
    'Mục tiêu',
    'Từ',
    'Đến',
    'Thời hạn',
    'Trích dẫn',
    'Lúc ban hành',
    'Theo lộ trình cần',
    'Thực tế',
    'Mức đạt',
    'Trạng thái',
  ]);
  const documents = new Map(plans.map((plan) => [plan.id, plan.document]));
  for (const target of targets) {
    const row = sheet.addRow([
      target.planId,
      documents.get(target.planId) ?? null,
      `${target.planTerritory.name} (${target.planTerritory.code}, ranh giới ${vietnameseDate(target.planTerritory.boundariesOn)})`,
      METRIC_LABELS[target.metric],
      TARGET_OP_LABELS[target.op],
      target.value ?? null,
      target.min ?? null,
      target.max ?? null,
      dateCell(target.deadline),
      target.quote,
      target.baseline,
      target.expected,
      target.actual,
      target.attainment,
      TARGET_STATUS_LABELS[target.status],
    ]);
    const format = formatOf(target.metric);
    for (const column of [6, 7, 8, 11, 12, 13]) row.getCell(column).numFmt = format;
    row.getCell(9).numFmt = DATE_FORMAT;
    row.getCell(10).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(14).numFmt = SHARE_FORMAT;
    row.commit();
  }
  sheet.commit();
}

function seriesSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, header: readonly HeaderLine[], report: ProgressReport): void {
  const sheet = workbook.addWorksheet(PROGRESS_SHEETS.series);
  // The expected lines of the targets (keyed planId/metric/deadline), in the order they first appear.
  const expectedKeys = [...new Set(report.series.flatMap((point) => Object.keys(point.expected)))];
  const metricOfKey = (key: string) => key.split('/')[1] as MetricName;
  sheet.columns = [{ width: 14 }, ...METRIC_NAMES.map(() => ({ width: 16 })), ...expectedKeys.map(() => ({ width: 22 })), { width: 30 }];
  addHeader(sheet, header);
  tableHeader(sheet, [
    'Cuối kỳ',
    ...METRIC_NAMES.map((metric) => METRIC_LABELS[metric]),
    ...expectedKeys.map((key) => `Theo lộ trình cần: ${key}`),
    'Ghi chú',
  ]);
  // The API's names under the labels: a formula or a script can find a column by them.
  tableHeader(sheet, ['asOf', ...METRIC_NAMES, ...expectedKeys, '']);
  for (const point of report.series) {
    const note = !point.inForce ? 'Mã tỉnh không có hiệu lực vào ngày này' : point.future ? 'Ngày trong tương lai' : '';
    const row = sheet.addRow([
      dateCell(point.asOf),
      ...METRIC_NAMES.map((metric) => point.metrics[metric] ?? null),
      ...expectedKeys.map((key) => point.expected[key] ?? null),
      note,
    ]);
    row.getCell(1).numFmt = DATE_FORMAT;
    METRIC_NAMES.forEach((metric, i) => (row.getCell(2 + i).numFmt = formatOf(metric)));
    expectedKeys.forEach((key, i) => (row.getCell(2 + METRIC_NAMES.length + i).numFmt = isShareMetric(metricOfKey(key)) ? SHARE_FORMAT : DECIMAL_FORMAT));
    row.commit();
  }
  sheet.commit();
}

/** A recorded time as read in Vietnam (UTC+7, no daylight saving): dd/mm/yyyy hh:mm:ss. */
function vietnamTime(timestamp: string): string {
  const local = new Date(new Date(timestamp).getTime() + 7 * 3_600_000).toISOString();
  return `${vietnameseDate(local.slice(0, 10))} ${local.slice(11, 19)} (giờ Việt Nam)`;
}
