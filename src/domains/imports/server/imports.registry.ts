import type { Ctx } from '../../../platform/context.ts';
import type { Text } from '../../../platform/i18n.ts';

/**
 * What a registry tells the importer. Each domain that accepts Excel files declares one
 * (`<domain>.import.ts`) and registers it in src/server/app.ts; the importer does the rest: limits,
 * header mapping, progress, duplicate checks, the error report, all-or-nothing insertion.
 */
export type CellError = { column: string; message: string };

export type ImportColumn = {
  key: string;
  /** The Chinese header of the template; matching is by header text. */
  header: string;
  /** Other headers accepted for this column (English, older templates). */
  aliases?: string[];
  required?: boolean;
  example?: string;
  note?: string;
  width?: number;
};

export type ImportSpec<Prepared> = {
  registry: string;
  title: Text;
  /** The permission a caller needs, and the unit whose jurisdiction the rows join. */
  permission: string;
  columns: ImportColumn[];
  /** Validates one row (cells by column key) and seals it for insertion, or names what is wrong. */
  prepare(ctx: Ctx, cells: Record<string, string | null>, unitId: string, now: Date): { ok: true; value: Prepared; key: string | null } | { ok: false; errors: CellError[] };
  /** The column that duplicates are reported against. */
  keyColumn?: string;
  /** Which of these keys already exist (anywhere the registry forbids duplicates). */
  existing?(ctx: Ctx, keys: string[]): Promise<Set<string>>;
  /** Inserts one batch inside the import's single transaction. */
  insert(ctx: Ctx, rows: Prepared[]): Promise<void>;
};

const specs = new Map<string, ImportSpec<unknown>>();

export function registerImport<P>(spec: ImportSpec<P>) {
  specs.set(spec.registry, spec as ImportSpec<unknown>);
}

export function importSpec(registry: string) {
  return specs.get(registry);
}

export function importSpecs() {
  return [...specs.values()];
}
