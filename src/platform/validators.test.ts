import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ageOn, isValidResidentId, maskMobile, maskResidentId, normaliseMobile, parseCreditCode, parseResidentId, residentIdCheckChar, usccCheckChar } from './validators.ts';

const today = new Date('2026-11-29T00:00:00Z');

/** Arbitrary valid resident IDs: Quzhou-ish region, real birth date 1900–2026, any sequence. */
const validId = fc
  .record({
    region: fc.constantFrom('330802', '330803', '330822', '330824', '330825', '330881', '360426', '110105'),
    birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-28T00:00:00Z'), noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, birth, seq }) => {
    const first17 = region + birth.toISOString().slice(0, 10).replace(/-/g, '') + String(seq).padStart(3, '0');
    return first17 + residentIdCheckChar(first17);
  });

describe('resident ID (GB 11643)', () => {
  it('accepts the public test vectors', () => {
    for (const v of ['360426199101010071', '330802199001011232', '330825198506150027', '33088120010309456X']) expect(isValidResidentId(v, today), v).toBe(true);
    const p = parseResidentId('33088120010309456X', today);
    expect(p.ok && p.id).toMatchObject({ birthDate: '2001-03-09', sex: 'F', regionCode: '330881' });
    expect(parseResidentId('330802199001011232', today).ok && (parseResidentId('330802199001011232', today) as { id: { sex: string } }).id.sex).toBe('M');
  });
  it('accepts every well-formed number and rejects any single-digit change (property)', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), (id, pos, delta) => {
        expect(isValidResidentId(id, today)).toBe(true);
        const chars = id.split('');
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const i = alphabet.indexOf(chars[pos]!);
        chars[pos] = alphabet[(i + delta) % alphabet.length]!;
        expect(isValidResidentId(chars.join(''), today)).toBe(false);
      }),
      { numRuns: 1000, seed: 20261129 },
    );
  });
  it('rejects impossible and future birth dates and bad formats', () => {
    const make = (d: string) => { const f = '330802' + d + '123'; return f + residentIdCheckChar(f); };
    expect(parseResidentId(make('19900230'), today)).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseResidentId(make('20270101'), today)).toEqual({ ok: false, problem: 'future_birth_date' });
    expect(parseResidentId('33080219900101123', today)).toEqual({ ok: false, problem: 'format' });
    expect(parseResidentId('330802199001011233', today)).toEqual({ ok: false, problem: 'check_digit' });
  });
  it('upgrades a legacy 15-digit number and normalises input', () => {
    const p = parseResidentId('330802900101123', today);
    expect(p.ok).toBe(true);
    if (p.ok) {
      expect(p.id.value).toBe('330802' + '19900101123' + residentIdCheckChar('33080219900101123'));
      expect(p.id.upgradedFrom15).toBe(true);
    }
    expect(parseResidentId(' 33088120010309456x ', today).ok).toBe(true);
    expect(parseResidentId('３３０８０２１９９００１０１１２３２', today).ok).toBe(true);
  });
  it('computes age with birthdays counted on the day', () => {
    expect(ageOn('2012-11-29', today)).toBe(14);
    expect(ageOn('2012-11-30', today)).toBe(13);
    expect(ageOn('2008-02-29', new Date('2026-02-28T00:00:00Z'))).toBe(17);
  });
});

describe('mobile numbers', () => {
  it('normalises prefixes and separators, stores E.164, rejects non-mobiles', () => {
    expect(normaliseMobile('+86 138-0013-8000')).toEqual({ ok: true, national: '13800138000', e164: '+8613800138000' });
    expect(normaliseMobile('8613800138000')).toMatchObject({ e164: '+8613800138000' });
    expect(normaliseMobile('0086 19912345678')).toMatchObject({ national: '19912345678' });
    for (const bad of ['12800138000', '1380013800', '138001380001', '0570-1234567', '']) expect(normaliseMobile(bad).ok, bad).toBe(false);
  });
  it('accepts exactly 1[3-9] followed by nine digits (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (s) => {
        expect(normaliseMobile(s).ok).toBe(/^1[3-9]\d{9}$/.test(s));
      }),
      { numRuns: 500, seed: 9 },
    );
  });
});

describe('unified social credit code (GB 32100)', () => {
  it('accepts the public vectors', () => {
    for (const v of ['91110000600037341L', '51330800MJ00000005', '91330802000000000A', '12330800000000000J']) expect(parseCreditCode(v).ok, v).toBe(true);
    expect(parseCreditCode(' ９１１１００００６０００３７３４１ｌ ')).toEqual({ ok: true, value: '91110000600037341L' });
  });
  it('rejects any single-character change and the excluded letters (property)', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const code = fc
      .tuple(fc.constantFrom(...'159Y'), fc.constantFrom(...'123'), fc.stringMatching(/^\d{6}$/), fc.array(fc.constantFrom(...alphabet), { minLength: 9, maxLength: 9 }))
      .map(([a, b, region, rest]) => { const f = a + b + region + rest.join(''); return f + usccCheckChar(f); });
    fc.assert(
      fc.property(code, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (c, pos, delta) => {
        expect(parseCreditCode(c).ok).toBe(true);
        const chars = c.split('');
        const set = pos >= 2 && pos <= 7 ? '0123456789' : alphabet;
        chars[pos] = set[(set.indexOf(chars[pos]!) + 1 + (delta % (set.length - 1))) % set.length]!;
        expect(parseCreditCode(chars.join('')).ok).toBe(false);
      }),
      { numRuns: 1000, seed: 32100 },
    );
    for (const l of 'IOSVZ') expect(parseCreditCode('9111000060003734' + l + 'L').ok).toBe(false);
  });
});

describe('masks', () => {
  it('never shows the birth date digits or the middle of a mobile', () => {
    expect(maskResidentId('330802199001011232')).toBe('330802********1232');
    expect(maskMobile('+8613800138000')).toBe('138****8000');
    fc.assert(
      fc.property(validId, (id) => {
        expect(maskResidentId(id).slice(6, 14)).toBe('********');
      }),
      { numRuns: 200, seed: 2 },
    );
  });
});
