import type { ColumnType, Generated } from 'kysely';

export interface OrgUnitTable {
  id: Generated<string>;
  parent_id: string | null;
  code: string | null;
  name: string;
  short_name: string | null;
  kind: string;
  /** Materialised path of ids, '/<root id>/.../<own id>/', for subtree queries with a prefix match. */
  path: string;
  depth: number;
  synthetic: Generated<boolean>;
  sort_order: Generated<number>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: ColumnType<number, number | undefined, number>;
}

export interface OrgPopulationTable {
  id: Generated<string>;
  org_unit_id: string;
  year: number;
  kind: string;
  value: number;
  source: string;
  note: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface OrgsTables {
  org_unit: OrgUnitTable;
  org_population: OrgPopulationTable;
}
