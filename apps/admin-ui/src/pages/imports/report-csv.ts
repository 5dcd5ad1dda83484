import type { ImportReport, ImportValue } from './upload';

/** A cell as CSV writes it: quoted when it must be, and a leading formula character defused (the text came from a file). */
function cell(value: ImportValue | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  // A spreadsheet would run `=…`, `+…`, `-…`, `@…` as a formula (CSV injection): a quote mark keeps it text.
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface ReportCsvWords {
  headers: [kind: string, row: string, column: string, code: string, reason: string, recorded: string, file: string];
  refused: string;
  difference: string;
  wholeRow: string;
}

/**
 * The report by row as a CSV file (UTF-8 with a byte-order mark, so Excel reads the Vietnamese):
 * what a registrar opens beside the spreadsheet to correct a large file row by row.
 */
export function reportCsv(report: ImportReport, locale: 'vi' | 'en', words: ReportCsvWords): string {
  const lines = [words.headers.map(cell).join(',')];
  const entries = [
    ...report.refused.map((refusal) => ({ row: refusal.row, cells: [words.refused, refusal.row, refusal.column ?? words.wholeRow, refusal.code, refusal.messages?.[locale] ?? refusal.message, null, null] })),
    ...report.differences.map((difference) => ({ row: difference.row, cells: [words.difference, difference.row, difference.column, null, null, difference.recorded, difference.file] })),
  ].sort((a, b) => a.row - b.row);
  for (const entry of entries) lines.push(entry.cells.map((value) => cell(value as ImportValue)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
