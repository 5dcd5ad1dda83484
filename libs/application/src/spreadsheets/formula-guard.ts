/**
 * A text cell a spreadsheet would run as a formula when it opens a CSV (`=`, `+`, `-`, `@`, tab,
 * carriage return first: OWASP's "CSV injection"). The export writes such text after an apostrophe,
 * which Excel and LibreOffice show as the text itself; the import takes the apostrophe off again.
 */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/** Text as the CSV export writes it: an apostrophe before a formula's first character. */
export function guardFormula(text: string): string {
  return FORMULA_TRIGGER.test(text) ? `'${text}` : text;
}

/** The inverse of `guardFormula`, for the import of a CSV cell. */
export function unguardFormula(text: string): string {
  return text.startsWith("'") && FORMULA_TRIGGER.test(text.slice(1)) ? text.slice(1) : text;
}
