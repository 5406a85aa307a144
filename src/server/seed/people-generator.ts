import { residentIdCheckChar } from '../../platform/validators.ts';

/**
 * Synthetic people for the sandbox, tests and benchmarks: plausible names, valid-checksum resident
 * ID numbers with Quzhou area codes (unique for the first 27 million of a run), mobiles and
 * addresses. Deterministic for a seed. Every one of them is invented.
 */
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const COMPOUND = ['欧阳', '司马', '诸葛', '上官'];
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华红玉兰飞鹏辉斌宇浩凯健俊帆晨欣怡梓涵子轩一诺雨萱宇航浩然思远佳怡文博志强建华国庆海燕丽萍春梅晓东';
const STREETS = ['信安路', '府山街', '荷花路', '衢化路', '白云大道', '花园路', '新新街', '双港路', '樟潭街', '江滨路', '太真路', '东华街'];
export const QUZHOU_REGION_CODES = ['330802', '330803', '330822', '330824', '330825', '330881'];
const COUNTY_NAME: Record<string, string> = { '330802': '柯城区', '330803': '衢江区', '330822': '常山县', '330824': '开化县', '330825': '龙游县', '330881': '江山市' };

export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SyntheticPerson = { name: string; idType: 'resident_id'; idNumber: string; sex: 'M' | 'F'; birthDate: string; mobile: string; address: string; regionCode: string };

const DAY = 86_400_000;
const FIRST = Date.UTC(1945, 0, 1);
const SPAN_DAYS = Math.floor((Date.UTC(2015, 11, 31) - FIRST) / DAY);

export function* syntheticPeople(count: number, opts: { seed?: number; regions?: string[]; offset?: number } = {}): Generator<SyntheticPerson> {
  const rnd = mulberry32(opts.seed ?? 20261129);
  const regions = opts.regions ?? QUZHOU_REGION_CODES;
  const pick = (s: string | string[]) => s[Math.floor(rnd() * s.length)]!;
  for (let n = 0; n < count; n++) {
    const i = n + (opts.offset ?? 0);
    const region = regions[i % regions.length]!;
    // Day and sequence from the index: no two people of one run share a number.
    const day = (i * 7919) % SPAN_DAYS;
    const seq = Math.floor(i / SPAN_DAYS) % 500;
    const male = rnd() < 0.5;
    const birth = new Date(FIRST + day * DAY).toISOString().slice(0, 10);
    const seqCode = String(seq * 2 + (male ? 1 : 0)).padStart(3, '0');
    const first17 = region + birth.replace(/-/g, '') + seqCode;
    const surname = rnd() < 0.01 ? pick(COMPOUND) : pick(SURNAMES);
    const given = pick(GIVEN) + (rnd() < 0.7 ? pick(GIVEN) : '');
    yield {
      name: surname + given,
      idType: 'resident_id',
      idNumber: first17 + residentIdCheckChar(first17),
      sex: male ? 'M' : 'F',
      birthDate: birth,
      mobile: '1' + pick('3578') + String(Math.floor(rnd() * 1e9)).padStart(9, '0'),
      address: `衢州市${COUNTY_NAME[region] ?? ''}${pick(STREETS)}${1 + Math.floor(rnd() * 300)}号`,
      regionCode: region,
    };
  }
}
