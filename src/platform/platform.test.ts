import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExcelJS } from './exceljs.ts';
import { canonicalJson } from './canonical-json.ts';
import { decryptField, encryptField } from './crypto.ts';
import { escapeCell, xlsxStream, contentDisposition } from './excel.ts';
import { keysFromSecret } from './keys.ts';
import { base32Decode, base32Encode, hotp, totpAt, verifyTotp } from './totp.ts';
import { pickLang, fill } from './i18n.ts';

const keys = keysFromSecret(Buffer.alloc(32, 1));

describe('canonical JSON', () => {
  it('sorts keys and drops undefined, whatever the insertion order', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 1, y: 2 } })).toBe('{"a":[true,null,"x"],"b":1,"d":{"y":2,"z":1}}');
  });
  it('is stable: equal values give equal bytes (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const shuffled = JSON.parse(JSON.stringify(v));
        expect(canonicalJson(shuffled)).toBe(canonicalJson(v));
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
  it('refuses values JSON cannot carry exactly', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(10n)).toThrow();
  });
});

describe('field encryption', () => {
  it('round-trips and never repeats a ciphertext', () => {
    const a = encryptField(keys, '330802199001011232', 'people.id_number');
    const b = encryptField(keys, '330802199001011232', 'people.id_number');
    expect(a).not.toBe(b);
    expect(a.startsWith('k1.a256gcm.')).toBe(true);
    expect(decryptField(keys, a, 'people.id_number')).toBe('330802199001011232');
  });
  it('refuses a tampered value, another column, or another key', () => {
    const a = encryptField(keys, 'secret', 'ctx');
    const raw = Buffer.from(a.split('.')[2]!, 'base64url');
    raw[14] = raw[14]! ^ 1;
    expect(() => decryptField(keys, `k1.a256gcm.${raw.toString('base64url')}`, 'ctx')).toThrow();
    expect(() => decryptField(keys, a, 'other')).toThrow();
    expect(() => decryptField(keysFromSecret(Buffer.alloc(32, 2)), a, 'ctx')).toThrow();
  });
});

describe('TOTP (RFC 6238 / RFC 4226)', () => {
  it('matches the RFC 4226 HOTP vectors', () => {
    const key = Buffer.from('12345678901234567890');
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => expect(hotp(key, counter)).toBe(code));
  });
  it('matches the RFC 6238 SHA-1 vectors (last 6 digits)', () => {
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    expect(totpAt(secret, new Date(59_000))).toBe('287082');
    expect(totpAt(secret, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpAt(secret, new Date(1_234_567_890_000))).toBe('005924');
    expect(totpAt(secret, new Date(20_000_000_000_000))).toBe('353130');
  });
  it('accepts ±1 step, once, and nothing older', () => {
    const secret = base32Encode(Buffer.from('abcdefghijabcdefghij'));
    const t = new Date('2026-06-01T00:00:15Z');
    const code = totpAt(secret, t);
    const step = verifyTotp(secret, code, t, null);
    expect(step).not.toBeNull();
    expect(verifyTotp(secret, code, t, step)).toBeNull(); // replay in the same step
    expect(verifyTotp(secret, totpAt(secret, new Date(t.getTime() - 60_000)), t, null)).toBeNull();
    expect(verifyTotp(secret, totpAt(secret, new Date(t.getTime() + 60_000)), t, null)).toBeNull();
    expect(verifyTotp(secret, totpAt(secret, new Date(t.getTime() - 30_000)), t, null)).not.toBeNull();
  });
  it('base32 round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect([...base32Decode(base32Encode(Buffer.from(b)))]).toEqual([...b]);
      }),
      { numRuns: 200, seed: 1 },
    );
  });
});

describe('excel export', () => {
  it('never lets a cell start a formula (property, read back with exceljs)', async () => {
    const values = fc.sample(fc.oneof(fc.string(), fc.constantFrom('=1+1', '+SUM(A1)', '-2', '@cmd', '\tx', '\rx', '=HYPERLINK("http://x")')), { numRuns: 200, seed: 7 });
    const stream = xlsxStream({ sheetName: 's', title: 't', watermark: 'tester 2026', columns: [{ header: '值', key: 'v' }], rows: values.map((v) => ({ v })) });
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe('值');
    expect(wb.creator).toBe('tester 2026');
    for (let i = 0; i < values.length; i++) {
      const cell = ws.getCell(`A${i + 2}`);
      expect(cell.formula).toBeUndefined();
      const text = String(cell.value ?? '');
      expect(/^[=+\-@\t\r]/.test(text)).toBe(false);
    }
    expect(escapeCell('=1')).toBe("'=1");
    expect(escapeCell(5)).toBe(5);
  });
  it('writes safe download headers', () => {
    const h = contentDisposition('审计日志"\r\nSet-Cookie: x=1.xlsx');
    expect(h).not.toMatch(/[\r\n]/);
    expect(h).toContain("filename*=UTF-8''");
  });
});

describe('i18n', () => {
  it('picks the first language we speak', () => {
    expect(pickLang('en-US,en;q=0.9,zh;q=0.8')).toBe('en');
    expect(pickLang('zh-TW,en')).toBe('zh-CN');
    expect(pickLang('fr-FR')).toBe('zh-CN');
    expect(pickLang(undefined)).toBe('zh-CN');
    expect(fill('参数“{name}”', { name: 'limit' })).toBe('参数“limit”');
  });
});
