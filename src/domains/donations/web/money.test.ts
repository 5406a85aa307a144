import { describe, expect, test } from 'vitest';
import { amountInWords, formatMoney, formatYuan, parseYuan } from './money.ts';

describe('amounts in words (大写金额)', () => {
  test.each([
    [0, '零元整'],
    [5, '伍分'],
    [50, '伍角整'],
    [55, '伍角伍分'],
    [100, '壹元整'],
    [1000, '壹拾元整'],
    [1005, '壹拾元零伍分'],
    [32504, '叁佰贰拾伍元零肆分'],
    [140950, '壹仟肆佰零玖元伍角整'],
    [600714, '陆仟零柒元壹角肆分'],
    [168032, '壹仟陆佰捌拾元叁角贰分'],
    [10700053, '壹拾万柒仟元伍角叁分'],
    [100070000, '壹佰万零柒佰元整'],
    [1000000000, '壹仟万元整'],
    [10000000100, '壹亿零壹元整'],
    [12345678900, '壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整'],
    [10000010000000, '壹仟亿零壹拾万元整'],
    [123456, '壹仟贰佰叁拾肆元伍角陆分'],
    [1000000000000000, '壹拾万亿元整'],
  ])('%i fen → %s', (fen, words) => {
    expect(amountInWords(fen)).toBe(words);
  });

  test('refuses what is not an amount', () => {
    expect(() => amountInWords(-1)).toThrow(RangeError);
    expect(() => amountInWords(1.5)).toThrow(RangeError);
  });
});

describe('yuan typed by a person → fen, exactly', () => {
  test.each([
    ['1', 100],
    ['0.29', 29],
    ['0.1', 10],
    ['1,234.5', 123450],
    ['12345.67', 1234567],
    ['１２３．４', 12340],
    ['¥ 8,000', 800000],
    ['007.10', 710],
    ['1.', 100],
  ])('%s → %i', (input, fen) => {
    expect(parseYuan(input)).toEqual({ ok: true, fen });
  });

  test.each([
    ['', 'empty'],
    ['  ', 'empty'],
    ['abc', 'format'],
    ['-5', 'format'],
    ['1e3', 'format'],
    ['1.234', 'decimals'],
    ['0.001', 'decimals'],
    ['0', 'zero'],
    ['0.00', 'zero'],
    ['99999999999999', 'too_large'],
  ])('%s is refused (%s)', (input, problem) => {
    expect(parseYuan(input)).toEqual({ ok: false, problem });
  });

  test('shown back with two decimals', () => {
    expect(formatYuan(29)).toBe('0.29');
    expect(formatYuan(123456789)).toBe('1,234,567.89');
    expect(formatMoney(100)).toBe('¥1.00');
    expect(formatMoney(-2550)).toBe('-¥25.50');
  });
});
