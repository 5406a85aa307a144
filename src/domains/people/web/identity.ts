import { checkIdNumber, ID_PROBLEM_MESSAGES, type IdType } from '../people.contract.ts';
import type { Text } from '../../../platform/i18n.ts';
import { ageOn, normaliseMobile, parseResidentId } from '../../../platform/validators.ts';

/**
 * The identity checks of the registration forms: the same functions the server validates with,
 * and messages in both languages.
 */
export { ageOn, normaliseMobile, parseResidentId };

const documentInvalid: Text = { zh: '证件号应为 5–30 位字母或数字', en: 'A document number has 5–30 letters or digits' };
export const mobileInvalid: Text = { zh: '手机号应为 11 位中国大陆手机号（1 开头，第二位 3–9）', en: 'A mainland mobile number has 11 digits, starting 13–19' };

/** What is wrong with a document number, or null. */
export function idNumberProblem(idType: IdType, value: string): Text | null {
  if (idType === 'resident_id') {
    const p = parseResidentId(value);
    return p.ok ? null : ID_PROBLEM_MESSAGES[p.problem];
  }
  return checkIdNumber(idType, value) ? documentInvalid : null;
}

/** Sex, birth date and age read from a valid resident ID number. */
export function derivedFromResidentId(value: string | undefined, at: Date = new Date()) {
  if (!value) return null;
  const p = parseResidentId(value, at);
  if (!p.ok) return null;
  return { sex: p.id.sex, birthDate: p.id.birthDate, age: ageOn(p.id.birthDate, at), normalised: p.id.value };
}

/** A lookup box's text: a mobile number, or a document number. */
export function looksLikeMobile(value: string): boolean {
  return normaliseMobile(value).ok;
}
