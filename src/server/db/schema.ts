import type { AccountsTables } from '../../domains/accounts/server/accounts.tables.ts';
import type { AuditTables } from '../../domains/audit/server/audit.tables.ts';
import type { OrgsTables } from '../../domains/orgs/server/orgs.tables.ts';
import type { PeopleTables } from '../../domains/people/server/people.tables.ts';
import type { ImportsTables } from '../../domains/imports/server/imports.tables.ts';
import type { AttachmentsTables } from '../../domains/attachments/server/attachments.tables.ts';
import type { PlanTables } from '../../domains/plan/server/plan.tables.ts';
import type { ProjectsTables } from '../../domains/projects/server/projects.tables.ts';
import type { DonationsTables } from '../../domains/donations/server/donations.tables.ts';
import type { LedgerTables } from '../../domains/ledger/server/ledger.tables.ts';
import type { WarehousesTables } from '../../domains/warehouses/server/warehouses.tables.ts';
import type { SettingsTables } from '../../domains/settings/server/settings.tables.ts';
import type { IdempotencyKeyTable } from '../../platform/idempotency.tables.ts';

/** The whole database as Kysely sees it: the union of every domain's tables. */
export interface DB extends OrgsTables, AccountsTables, AuditTables, PeopleTables, ImportsTables, AttachmentsTables, PlanTables, ProjectsTables, DonationsTables, SettingsTables, LedgerTables, WarehousesTables {
  idempotency_key: IdempotencyKeyTable;
}
