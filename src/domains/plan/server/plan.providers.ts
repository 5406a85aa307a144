import type { Ctx } from '../../../platform/context.ts';

/**
 * How a domain feeds the plan (DESIGN.md §4): its `<domain>.indicators.ts` registers a provider per
 * indicator code, computing the numerator per unit and year in SQL from its own records, inside the
 * caller's context (so under the caller's jurisdiction). The plan domain knows no other domain's
 * tables; it rolls the rows up the org tree by their unit paths.
 */
export type IndicatorFigure = {
  /** Materialised path of the unit that owns the records (org_unit.path). */
  unitPath: string;
  year: number;
  /** Additions in the year for cumulative indicators, the value at the year's end for the others. */
  numerator: number;
  /** For indicators whose denominator comes with the figure. */
  denominator?: number | null;
};

export type IndicatorProvider = {
  code: string;
  domain: string;
  compute(ctx: Ctx, q: { fromYear: number; toYear: number; scopePath: string }): Promise<IndicatorFigure[]>;
};

const providers = new Map<string, IndicatorProvider>();

/** Registers a provider; returns the one it replaced (tests put it back). */
export function registerIndicatorProvider(p: IndicatorProvider) {
  const previous = providers.get(p.code);
  providers.set(p.code, p);
  return previous;
}
export function restoreIndicatorProvider(code: string, previous: IndicatorProvider | undefined) {
  if (previous) providers.set(code, previous);
  else providers.delete(code);
}
export function indicatorProvider(code: string) {
  return providers.get(code);
}
