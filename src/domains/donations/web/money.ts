/**
 * Money on screen: integer fen in, yuan out. Never a float in between — amounts are split into
 * yuan and fen as integers and strings, so that ¥0.29 stays 29 fen.
 */

/** `123456` fen → `1,234.56`. */
export function formatYuan(fen: number): string {
  const neg = fen < 0;
  const s = String(Math.abs(Math.trunc(fen))).padStart(3, '0');
  const yuan = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${yuan}.${s.slice(-2)}`;
}

/** `¥1,234.56`. */
export function formatMoney(fen: number): string {
  return fen < 0 ? `-¥${formatYuan(-fen)}` : `¥${formatYuan(fen)}`;
}

export type YuanProblem = 'empty' | 'format' | 'decimals' | 'zero' | 'too_large';

/**
 * A yuan amount typed by a person (`1234.5`, `1,234.50`, `１２３`) → integer fen, exactly.
 * More than two decimals is refused rather than rounded: money is never silently changed.
 */
export function parseYuan(input: string | null | undefined): { ok: true; fen: number } | { ok: false; problem: YuanProblem } {
  const s = (input ?? '')
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[,，\s]/g, '')
    .replace(/^[¥￥]/, '');
  if (!s) return { ok: false, problem: 'empty' };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return { ok: false, problem: 'format' };
  const decimals = m[2] ?? '';
  if (decimals.length > 2) return { ok: false, problem: 'decimals' };
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  if (whole.length > 13) return { ok: false, problem: 'too_large' };
  const fen = Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return { ok: false, problem: 'too_large' };
  if (fen === 0) return { ok: false, problem: 'zero' };
  return { ok: true, fen };
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES = ['', '拾', '佰', '仟'];
const SECTIONS = ['', '万', '亿', '万亿'];

/** One group of four digits (1–9999), without leading 零: `1020` → `壹仟零贰拾`. */
function section(n: number): string {
  let out = '';
  let zero = false;
  for (let place = 3; place >= 0; place--) {
    const d = Math.floor(n / 10 ** place) % 10;
    if (d === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d]! + PLACES[place]!;
  }
  return out;
}

/**
 * 大写金额 as written on Chinese receipts and cheques (《正确填写票据和结算凭证的基本规定》):
 * `123456` fen → `壹仟贰佰叁拾肆元伍角陆分`; whole yuan end in 整; a missing 角 before 分 is 零;
 * zeros inside the number are one 零; 拾 is always written with its digit (`壹拾元整`).
 */
export function amountInWords(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not an amount in fen: ${fen}`);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let int = '';
  if (yuan > 0) {
    const groups: number[] = [];
    for (let v = yuan; v > 0; v = Math.floor(v / 10_000)) groups.push(v % 10_000);
    let pendingZero = false;
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i]!;
      if (g === 0) {
        if (int) pendingZero = true;
        continue;
      }
      if (int && (pendingZero || g < 1000)) int += '零';
      pendingZero = false;
      int += section(g) + SECTIONS[i]!;
    }
    int += '元';
  }
  if (jiao === 0 && cents === 0) return `${int || '零元'}整`;
  if (jiao === 0) return `${int}${int ? '零' : ''}${DIGITS[cents]}分`;
  return `${int}${DIGITS[jiao]}角${cents === 0 ? '整' : `${DIGITS[cents]}分`}`;
}
