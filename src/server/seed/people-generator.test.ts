import { expect, it } from 'vitest';
import { isValidResidentId, normaliseMobile } from '../../platform/validators.ts';
import { syntheticPeople } from './people-generator.ts';

it('generates valid, unique, deterministic synthetic people', () => {
  const a = [...syntheticPeople(20_000, { seed: 1 })];
  const b = [...syntheticPeople(20_000, { seed: 1 })];
  expect(a).toEqual(b);
  expect(new Set(a.map((p) => p.idNumber)).size).toBe(20_000);
  const today = new Date('2026-11-29T00:00:00Z');
  for (const p of a) {
    expect(isValidResidentId(p.idNumber, today)).toBe(true);
    expect(normaliseMobile(p.mobile).ok).toBe(true);
    expect(p.idNumber.slice(6, 14)).toBe(p.birthDate.replace(/-/g, ''));
    expect(Number(p.idNumber[16]) % 2 === 1).toBe(p.sex === 'M');
  }
});
