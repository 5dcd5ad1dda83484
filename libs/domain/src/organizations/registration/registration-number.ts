import { invalid } from '../../common/validation';

/** Registration numbers are compared after trimming and upper-casing (api.md, "Fields"). */
export function normalizeRegistrationNumber(raw: string): string {
  return raw.normalize('NFC').trim().toUpperCase().normalize('NFC');
}

/** 1–20 letters, digits, `-` and `/`, once normalised. */
const REGISTRATION_NUMBER = /^[\p{L}\p{Nd}/-]{1,20}$/u;

export function requireRegistrationNumber(normalized: string, path = 'registrationNumber'): void {
  if (!REGISTRATION_NUMBER.test(normalized)) {
    throw invalid(path, `${path} must be 1–20 letters, digits, "-" or "/"`);
  }
}

/** Names are stored in Unicode NFC, trimmed. */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').trim();
}
