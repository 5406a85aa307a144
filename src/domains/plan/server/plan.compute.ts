import { SCALE_FACTOR, type Denominator, type Direction, type IndicatorKind, type ProgressItem, type Scale, type Status, type TargetBasis, type Thresholds } from '../plan.contract.ts';

/**
 * The arithmetic of progress, kept free of the database so every rule is testable on its own:
 * cumulative indicators sum the years of the period, end-of-period indicators take the latest value
 * at or before the year, annual ones the year itself; ratios divide by the unit's population of the
 * right kind for that year (the latest recorded at or before it).
 */
export type PlanFrame = { periodStart: number; periodEnd: number; baseYear: number; thresholds: Thresholds };

export type IndicatorDef = {
  code: string;
  nameZh: string;
  nameEn: string;
  category: 'headline' | 'secondary';
  unit: string;
  numeratorUnit: string;
  kind: IndicatorKind;
  direction: Direction;
  target: number | null;
  targetScope: 'whole' | 'each_unit';
  denominator: Denominator;
  scale: Scale;
  rankTarget: number | null;
};

/** One year's figure for one unit (its whole subtree rolled up). */
export type YearFigure = { numerator: number; denominator: number | null; rank: number | null; source: 'computed' | 'manual' };
export type Population = { year: number; value: number };
export type TargetRow = { year: number | null; basis: TargetBasis; value: number };

export type UnitInputs = {
  /** year → figure; years without data are absent. */
  figures: ReadonlyMap<number, YearFigure>;
  /** Population of the indicator's denominator kind, by year, for this unit. */
  populations: readonly Population[];
  /** The unit's own target rows for the indicator. */
  targets: readonly TargetRow[];
  isOwner: boolean;
};

const DAY = 86_400_000;

/** Share of the period elapsed at a date (from 1 January of the first year to 31 December of the last). */
export function elapsedShare(frame: PlanFrame, asOf: string): number {
  const start = Date.UTC(frame.periodStart, 0, 1);
  const end = Date.UTC(frame.periodEnd + 1, 0, 1);
  const at = Date.parse(`${asOf}T00:00:00Z`) + DAY; // the whole of the as-of day counts
  return Math.min(1, Math.max(0, (at - start) / (end - start)));
}

export function populationFor(pops: readonly Population[], year: number): Population | null {
  let best: Population | null = null;
  for (const p of pops) if (p.year <= year && (!best || p.year > best.year)) best = p;
  return best;
}

function round(v: number | null, digits = 6): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

type Reading = { numerator: number | null; denominator: number | null; populationYear: number | null; value: number | null; source: 'computed' | 'manual' | 'none'; notes: string[]; dataYear: number | null };

/** The indicator's value for a unit at the end of `year`. */
export function readValue(ind: IndicatorDef, frame: PlanFrame, u: UnitInputs, year: number): Reading {
  const notes: string[] = [];
  let numerator: number | null = null;
  let enteredDen: number | null = null;
  let dataYear: number | null = null;
  const sources = new Set<'computed' | 'manual'>();
  if (ind.kind === 'cumulative') {
    let sum = 0;
    let any = false;
    for (let y = frame.periodStart; y <= year; y++) {
      const f = u.figures.get(y);
      if (!f) continue;
      any = true;
      sum += f.numerator;
      sources.add(f.source);
      if (f.denominator !== null) enteredDen = f.denominator;
      dataYear = y;
    }
    numerator = any ? sum : null;
  } else if (ind.kind === 'end_of_period') {
    for (let y = year; y >= frame.baseYear; y--) {
      const f = u.figures.get(y);
      if (!f) continue;
      numerator = f.numerator;
      enteredDen = f.denominator;
      sources.add(f.source);
      dataYear = y;
      if (y !== year) notes.push(`${year} 年未填报，取 ${y} 年末数`);
      break;
    }
  } else {
    const f = u.figures.get(year);
    if (f) {
      numerator = f.numerator;
      enteredDen = f.denominator;
      sources.add(f.source);
      dataYear = year;
    }
  }
  const source = sources.size === 0 ? 'none' : sources.has('manual') ? 'manual' : 'computed';
  if (ind.denominator === 'none') return { numerator, denominator: null, populationYear: null, value: numerator, source, notes, dataYear };
  let denominator: number | null = null;
  let populationYear: number | null = null;
  if (ind.denominator === 'entered') {
    denominator = enteredDen;
    if (numerator !== null && denominator === null) notes.push('缺少分母');
  } else {
    const pop = populationFor(u.populations, year);
    if (pop) {
      denominator = pop.value;
      populationYear = pop.year;
      if (pop.year !== year) notes.push(`人口数取 ${pop.year} 年`);
    } else notes.push(`缺少${ind.denominator === 'registered' ? '户籍' : '常住'}人口数`);
  }
  const value = numerator !== null && denominator ? (numerator / denominator) * SCALE_FACTOR[ind.scale] : null;
  return { numerator, denominator, populationYear, value, source, notes, dataYear };
}

function targetRow(rows: readonly TargetRow[], basis: TargetBasis, year: number | null) {
  return rows.find((r) => r.basis === basis && r.year === year);
}

/** The target in the indicator's own unit for a unit: its own row, else the plan-wide target where it applies. */
export function targetFor(ind: IndicatorDef, frame: PlanFrame, u: UnitInputs, year: number): number | null {
  const own = targetRow(u.targets, 'value', year) ?? targetRow(u.targets, 'value', null) ?? targetRow(u.targets, 'value', frame.periodEnd);
  if (own) return own.value;
  if (ind.targetScope === 'each_unit' || u.isOwner) return ind.target;
  return null;
}

/** The numerator the unit's table rows aim at by the end of `year`, if the plan gives one. */
export function targetCountFor(ind: IndicatorDef, frame: PlanFrame, u: UnitInputs, year: number): number | null {
  if (ind.kind === 'cumulative') {
    const adds = u.targets.filter((r) => r.basis === 'addition' && r.year !== null && r.year <= year);
    return adds.length ? adds.reduce((s, r) => s + r.value, 0) : null;
  }
  const exact = targetRow(u.targets, 'count', year);
  if (exact) return exact.value;
  if (year >= frame.periodEnd) return (targetRow(u.targets, 'count', null) ?? null)?.value ?? null;
  // 表3 gives the end state and the additions: the count due by `year` is the base plus the additions so far.
  const base = u.targets.find((r) => r.basis === 'baseline');
  const adds = u.targets.filter((r) => r.basis === 'addition' && r.year !== null && r.year <= year);
  if (base && adds.length) return base.value + adds.reduce((s, r) => s + r.value, 0);
  return null;
}

/** How far along the unit should be by `asOf`, as a fraction of the final target. */
function expectedShare(ind: IndicatorDef, frame: PlanFrame, u: UnitInputs, year: number, elapsed: number, target: number | null, baseValue: number | null): number | null {
  if (ind.kind === 'annual' || ind.direction === 'at_most') return 1;
  if (ind.kind === 'cumulative') {
    const adds = u.targets.filter((r) => r.basis === 'addition' && r.year !== null);
    const total = adds.reduce((s, r) => s + r.value, 0);
    if (adds.length && total > 0) {
      // The confirmed split says how much of the target is due by the end of each year; within a
      // year, the year's share accrues evenly.
      const years = frame.periodEnd - frame.periodStart + 1;
      const done = elapsed * years;
      let due = 0;
      for (const r of adds) {
        const idx = (r.year as number) - frame.periodStart;
        due += r.value * Math.min(1, Math.max(0, done - idx));
      }
      return due / total;
    }
    return elapsed;
  }
  // End of period: a straight line from the base-year value to the target, unless the tables give
  // the count due each year (表4), which is followed instead.
  const finalCount = targetRow(u.targets, 'count', null)?.value ?? targetRow(u.targets, 'count', frame.periodEnd)?.value ?? null;
  const yearCount = targetRow(u.targets, 'count', year)?.value ?? null;
  if (finalCount && yearCount !== null && year < frame.periodEnd) return Math.min(1, yearCount / finalCount);
  if (target && baseValue !== null && target > 0) {
    const b = Math.min(1, baseValue / target);
    return b + (1 - b) * elapsed;
  }
  return elapsed;
}

export function statusOf(progress: number | null, expected: number | null, thresholds: Thresholds): Status {
  if (progress === null) return 'no_data';
  if (progress >= 1 - 1e-9) return 'achieved';
  if (expected === null || expected <= 0) return 'on_track';
  const ratio = progress / expected;
  if (ratio >= thresholds.lagging) return 'on_track';
  if (ratio >= thresholds.severe) return 'lagging';
  return 'severely_lagging';
}

export function computeItem(ind: IndicatorDef, frame: PlanFrame, u: UnitInputs, year: number, asOf: string): ProgressItem {
  const now = readValue(ind, frame, u, year);
  const elapsed = elapsedShare(frame, asOf);
  const target = targetFor(ind, frame, u, year);
  const base = ind.kind === 'end_of_period' ? readValue(ind, frame, { ...u, figures: new Map([...u.figures].filter(([y]) => y <= frame.baseYear)) }, frame.baseYear) : null;
  const baseValue = base?.dataYear === frame.baseYear ? base.value : null;
  let progress: number | null = null;
  if (target !== null && now.value !== null) {
    if (ind.direction === 'at_least') progress = target > 0 ? now.value / target : 1;
    else progress = now.value <= target ? 1 : target / now.value;
  }
  const expected = target !== null ? expectedShare(ind, frame, u, year, elapsed, target, baseValue) : null;
  const rank = u.figures.get(year)?.rank ?? null;
  let status: Status;
  if (ind.rankTarget !== null && target === null) {
    // 器官捐献: the rate is computed, the standing is the province's ranking entered by staff.
    status = rank === null ? (now.value === null ? 'no_data' : 'no_target') : rank <= ind.rankTarget ? 'achieved' : rank <= ind.rankTarget * 2 ? 'lagging' : 'severely_lagging';
  } else if (target === null) status = now.value === null ? 'no_data' : 'no_target';
  else status = statusOf(progress, expected, frame.thresholds);
  let projection: number | null = null;
  if (now.value !== null) {
    const years = frame.periodEnd - frame.periodStart + 1;
    if (ind.kind === 'cumulative') projection = elapsed > 0 ? now.value / elapsed : null;
    else if (ind.kind === 'end_of_period') {
      // From the base year's value (or the first value recorded) at the pace since then.
      const first = baseValue !== null ? { t: 0, v: baseValue } : firstValue(ind, frame, u);
      const t = elapsed * years;
      projection = first && t > first.t ? first.v + ((now.value - first.v) / (t - first.t)) * (years - first.t) : now.value;
    } else projection = now.value;
  }
  return {
    code: ind.code,
    name: ind.nameZh,
    nameEn: ind.nameEn,
    category: ind.category,
    kind: ind.kind,
    unit: ind.unit,
    numeratorUnit: ind.numeratorUnit,
    direction: ind.direction,
    target,
    actual: round(now.value),
    actualSource: now.source,
    numerator: round(now.numerator),
    denominator: round(now.denominator),
    populationYear: now.populationYear,
    targetCount: round(targetCountFor(ind, frame, u, year)),
    progress: round(progress, 4),
    expected: round(expected, 4),
    elapsed: round(elapsed, 4) ?? 0,
    status,
    projection: round(projection, 4),
    rank,
    rankTarget: ind.rankTarget,
    notes: now.notes,
  };
}

function firstValue(ind: IndicatorDef, frame: PlanFrame, u: UnitInputs): { t: number; v: number } | null {
  const years = [...u.figures.keys()].filter((y) => y >= frame.periodStart).sort((a, b) => a - b);
  for (const y of years) {
    const r = readValue(ind, frame, u, y);
    if (r.value !== null) return { t: y - frame.periodStart + 1, v: r.value };
  }
  return null;
}
