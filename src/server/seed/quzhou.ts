/**
 * Quzhou's reference data: the real division codes and the 100 township-level units of the 2022
 * statistical code set, and the population figures the plan uses. Sources in
 * ../shared/reference/domain-rules.md §9 and the plan itself (seed/). Villages and communities
 * are not here: their codes are not public, and the demo generates synthetic ones (demo.ts).
 */
export type CountySeed = {
  code: string;
  name: string;
  slug: string;
  streets: string[];
  towns: string[];
  xiang: string[];
};

export const QUZHOU_CITY = { code: '330800', name: '衢州市', slug: 'quzhou' } as const;

export const QUZHOU_COUNTIES: CountySeed[] = [
  {
    code: '330802', name: '柯城区', slug: 'kecheng',
    streets: ['信安', '双港', '府山', '新新', '白云', '花园', '荷花', '衢化'],
    towns: ['石梁', '航埠'],
    xiang: ['七里', '万田', '九华', '华墅', '姜家山', '沟溪', '石室', '黄家'],
  },
  {
    code: '330803', name: '衢江区', slug: 'qujiang',
    streets: ['樟潭', '浮石'],
    towns: ['上方', '全旺', '后溪', '大洲', '峡川', '廿里', '杜泽', '湖南', '莲花', '高家'],
    xiang: ['举村', '云溪', '双桥', '周家', '太真', '岭洋', '灰坪', '黄坛口'],
  },
  {
    code: '330822', name: '常山县', slug: 'changshan',
    streets: ['天马', '紫港', '金川'],
    towns: ['招贤', '球川', '白石', '芳村', '辉埠', '青石'],
    xiang: ['东案', '何家', '同弓', '大桥头', '新昌'],
  },
  {
    code: '330824', name: '开化县', slug: 'kaihua',
    streets: [],
    towns: ['华埠', '村头', '杨林', '桐村', '池淮', '苏庄', '马金', '齐溪'],
    xiang: ['中村', '何田', '大溪边', '林山', '长虹', '音坑'],
  },
  {
    code: '330825', name: '龙游县', slug: 'longyou',
    streets: ['东华', '龙洲'],
    towns: ['塔石', '小南海', '横山', '湖镇', '溪口', '詹家'],
    xiang: ['大街', '庙下', '模环', '沐尘畲族', '石佛', '社阳', '罗家'],
  },
  {
    code: '330881', name: '江山市', slug: 'jiangshan',
    streets: ['双塔', '清湖', '虎山'],
    towns: ['上余', '凤林', '四都', '坛石', '大桥', '峡口', '廿八都', '新塘边', '石门', '贺村', '长台'],
    xiang: ['保安', '塘源口', '大陈', '张村', '碗窑'],
  },
];

/** Units the plan names that are not GB/T 2260 divisions. */
export const QUZHOU_OTHER_UNITS = [
  { name: '市本级', kind: 'city_direct', slug: 'shibenji' },
  { name: '智造新城', kind: 'function_zone', slug: 'zhizao' },
  { name: '智慧新城', kind: 'function_zone', slug: 'zhihui' },
] as const;

const PLAN_SOURCE = '《衢州市红十字事业发展“十四五”规划》表3 户籍人口';
const PLAN_NOTE = '规划未注明统计年份，按规划基期 2020 年记录';
const STATS_2021 = '2021 年末户籍人口（各县市区统计数据，转引自公开网页，待统计局口径核对）';

export type PopulationSeed = { code: string; year: number; kind: 'registered' | 'resident' | 'census'; value: number; source: string; note?: string };

export const QUZHOU_POPULATIONS: PopulationSeed[] = [
  { code: '330800', year: 2020, kind: 'registered', value: 2_550_000, source: PLAN_SOURCE, note: PLAN_NOTE },
  { code: '330802', year: 2020, kind: 'registered', value: 440_000, source: PLAN_SOURCE, note: PLAN_NOTE },
  { code: '330803', year: 2020, kind: 'registered', value: 400_000, source: PLAN_SOURCE, note: PLAN_NOTE },
  { code: '330825', year: 2020, kind: 'registered', value: 400_000, source: PLAN_SOURCE, note: PLAN_NOTE },
  { code: '330881', year: 2020, kind: 'registered', value: 610_000, source: PLAN_SOURCE, note: PLAN_NOTE },
  { code: '330822', year: 2020, kind: 'registered', value: 340_000, source: PLAN_SOURCE, note: PLAN_NOTE },
  { code: '330824', year: 2020, kind: 'registered', value: 360_000, source: PLAN_SOURCE, note: PLAN_NOTE },
  { code: '330800', year: 2020, kind: 'census', value: 2_276_184, source: '衢州市第七次全国人口普查公报（2020）' },
  { code: '330825', year: 2020, kind: 'census', value: 360_229, source: '龙游县第七次全国人口普查数据（2020）' },
  { code: '330800', year: 2021, kind: 'registered', value: 2_559_400, source: STATS_2021 },
  { code: '330802', year: 2021, kind: 'registered', value: 442_100, source: STATS_2021 },
  { code: '330803', year: 2021, kind: 'registered', value: 410_900, source: STATS_2021 },
  { code: '330822', year: 2021, kind: 'registered', value: 339_700, source: STATS_2021 },
  { code: '330824', year: 2021, kind: 'registered', value: 358_700, source: STATS_2021 },
  { code: '330825', year: 2021, kind: 'registered', value: 397_200, source: STATS_2021 },
  { code: '330881', year: 2021, kind: 'registered', value: 610_800, source: STATS_2021 },
  { code: '330802', year: 2021, kind: 'resident', value: 532_400, source: '柯城区 2021 年末常住人口（统计数据，转引自公开网页，待核对）' },
];
