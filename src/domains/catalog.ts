import type { PermissionSpec, RoleGrants } from '../platform/contract-kit.ts';
import { platformErrors, type ErrorCatalog } from '../platform/errors.ts';
import { accountsErrors, accountsPermissions, accountsRoleGrants, BUILTIN_ROLES } from './accounts/accounts.contract.ts';
import { auditErrors, auditPermissions, auditRoleGrants } from './audit/audit.contract.ts';
import { orgsErrors, orgsPermissions, orgsRoleGrants } from './orgs/orgs.contract.ts';
import { peopleErrors, peoplePermissions, peopleRoleGrants } from './people/people.contract.ts';
import { planErrors, planPermissions, planRoleGrants } from './plan/plan.contract.ts';
import { projectsErrors, projectsPermissions, projectsRoleGrants } from './projects/projects.contract.ts';
import { donationsErrors, donationsPermissions, donationsRoleGrants } from './donations/donations.contract.ts';
import { ledgerErrors, ledgerPermissions, ledgerRoleGrants } from './ledger/ledger.contract.ts';
import { warehousesErrors, warehousesPermissions, warehousesRoleGrants } from './warehouses/warehouses.contract.ts';
import { settingsErrors, settingsPermissions, settingsRoleGrants } from './settings/settings.contract.ts';
import { importsErrors } from './imports/imports.contract.ts';
import { attachmentsErrors } from './attachments/attachments.contract.ts';

/**
 * Everything the domains declare, in one place: permissions, error messages, and what each
 * built-in role receives. A new domain adds its contract's exports here. Browser-safe.
 */
const domains: { domain: string; permissions: Record<string, PermissionSpec>; errors: ErrorCatalog; grants: RoleGrants }[] = [
  { domain: 'orgs', permissions: orgsPermissions, errors: orgsErrors, grants: orgsRoleGrants },
  { domain: 'accounts', permissions: accountsPermissions, errors: accountsErrors, grants: accountsRoleGrants },
  { domain: 'audit', permissions: auditPermissions, errors: auditErrors, grants: auditRoleGrants },
  { domain: 'people', permissions: peoplePermissions, errors: peopleErrors, grants: peopleRoleGrants },
  { domain: 'plan', permissions: planPermissions, errors: planErrors, grants: planRoleGrants },
  { domain: 'projects', permissions: projectsPermissions, errors: projectsErrors, grants: projectsRoleGrants },
  { domain: 'donations', permissions: donationsPermissions, errors: donationsErrors, grants: donationsRoleGrants },
  { domain: 'ledger', permissions: ledgerPermissions, errors: ledgerErrors, grants: ledgerRoleGrants },
  { domain: 'warehouses', permissions: warehousesPermissions, errors: warehousesErrors, grants: warehousesRoleGrants },
  { domain: 'settings', permissions: settingsPermissions, errors: settingsErrors, grants: settingsRoleGrants },
  { domain: 'imports', permissions: {}, errors: importsErrors, grants: {} },
  { domain: 'attachments', permissions: {}, errors: attachmentsErrors, grants: {} },
];

export const permissionCatalog: Record<string, PermissionSpec & { domain: string }> = Object.fromEntries(
  domains.flatMap(({ domain, permissions }) => Object.entries(permissions).map(([code, spec]) => [code, { ...spec, domain }])),
);

export const errorCatalog: ErrorCatalog = Object.assign({}, platformErrors, ...domains.map((d) => d.errors));

export const builtinRoleDefinitions = BUILTIN_ROLES.map((r) => ({
  ...r,
  permissions: [...new Set(domains.flatMap((d) => d.grants[r.code] ?? []))].sort(),
}));
