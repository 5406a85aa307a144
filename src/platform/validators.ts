/**
 * Identity validators shared by the server and the web forms (browser-safe, no dependencies).
 * Sources: ../shared/reference/domain-rules.md §10 (GB 11643-1999, GB 32100-2015, mobile numbering).
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type ResidentIdProblem = 'format' | 'check_digit' | 'birth_date' | 'future_birth_date';
export type ResidentId = { value: string; birthDate: string; sex: 'M' | 'F'; regionCode: string; upgradedFrom15: boolean };

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

function realDate(y: number, m: number, d: number) {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d ? dt : null;
}

/** Normalises full-width digits, spaces and a lower-case x. */
export function normaliseIdInput(input: string): string {
  return input
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[ｘＸ]/g, 'X')
    .replace(/[\s-]/g, '')
    .toUpperCase();
}

/**
 * GB 11643-1999: 6-digit region, 8-digit birth date (real, not in the future), 3-digit sequence
 * (odd for men), check character. A legacy 15-digit number (2-digit year 19xx, no check digit) is
 * accepted and upgraded to 18 digits.
 */
type ParsedResidentId = { ok: true; id: ResidentId } | { ok: false; problem: ResidentIdProblem };

/**
 * The last answer, by input and day: a row is checked by the form schema, the sealing and the
 * derivation of sex and birth date in turn, each parsing the same number (an import does 100,000s).
 */
let lastParse: { input: string; day: number; result: ParsedResidentId } | null = null;

export function parseResidentId(input: string, today: Date = new Date()): ParsedResidentId {
  const day = Math.floor(today.getTime() / 86_400_000);
  if (lastParse && lastParse.input === input && lastParse.day === day) return lastParse.result;
  const result = parseUncached(input, today);
  lastParse = { input, day, result: Object.freeze(result.ok ? { ok: true as const, id: Object.freeze(result.id) } : result) as ParsedResidentId };
  return lastParse.result;
}

function parseUncached(input: string, today: Date): ParsedResidentId {
  let s = normaliseIdInput(input);
  let upgraded = false;
  if (/^\d{15}$/.test(s)) {
    const first17 = s.slice(0, 6) + '19' + s.slice(6);
    s = first17 + residentIdCheckChar(first17);
    upgraded = true;
  }
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, problem: 'format' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const birth = realDate(y, m, d);
  if (!birth || y < 1900) return { ok: false, problem: 'birth_date' };
  if (birth.getTime() > Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) return { ok: false, problem: 'future_birth_date' };
  if (!upgraded && residentIdCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, problem: 'check_digit' };
  return {
    ok: true,
    id: { value: s, birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`, sex: Number(s[16]) % 2 ? 'M' : 'F', regionCode: s.slice(0, 6), upgradedFrom15: upgraded },
  };
}

export function isValidResidentId(input: string, today?: Date) {
  return parseResidentId(input, today).ok;
}

/** Whole years of age on `at` (a birthday counts on the day). */
export function ageOn(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = at.getUTCFullYear() - y;
  const beforeBirthday = at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d);
  if (beforeBirthday) age--;
  return age;
}

/** Mainland mobile: spaces, dashes and a +86/86/0086 prefix removed; `^1[3-9]\d{9}$`; stored as E.164. */
export function normaliseMobile(input: string): { ok: true; national: string; e164: string } | { ok: false } {
  let s = input.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\-()（）]/g, '');
  s = s.replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  if (!/^1[3-9]\d{9}$/.test(s)) return { ok: false };
  return { ok: true, national: s, e164: '+86' + s };
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** GB 32100-2015 unified social credit code: alphabet without I O S V Z, positions 3–8 digits, check character. */
export function parseCreditCode(input: string): { ok: true; value: string } | { ok: false; problem: 'format' | 'check_digit' } {
  const s = input
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s/g, '')
    .toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(s)) return { ok: false, problem: 'format' };
  if (usccCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, problem: 'check_digit' };
  return { ok: true, value: s };
}

/** Masks for screens: ID first 6 + last 4 (the birth date never shown), mobile first 3 + last 4. */
export function maskResidentId(id: string): string {
  return id.length <= 10 ? '*'.repeat(id.length) : id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}
export function maskMobile(national: string): string {
  const n = national.replace(/^\+86/, '');
  return n.length === 11 ? `${n.slice(0, 3)}****${n.slice(7)}` : '*'.repeat(n.length);
}
/** Other identity documents: only the last 4 characters. */
export function maskDocument(value: string): string {
  return value.length <= 4 ? '*'.repeat(value.length) : '*'.repeat(Math.min(8, value.length - 4)) + value.slice(-4);
}
