import { matchPath } from 'react-router';
import { accountsWeb } from '../domains/accounts/web/routes.tsx';
import { auditWeb } from '../domains/audit/web/routes.tsx';
import { donationsWeb } from '../domains/donations/web/routes.tsx';
import { orgsWeb } from '../domains/orgs/web/routes.tsx';
import { peopleWeb } from '../domains/people/web/routes.tsx';
import { planWeb } from '../domains/plan/web/routes.tsx';
import { projectsWeb } from '../domains/projects/web/routes.tsx';
import { settingsWeb } from '../domains/settings/web/routes.tsx';
import { warehousesWeb } from '../domains/warehouses/web/routes.tsx';
import type { Text } from '../platform/i18n.ts';
import { shellMessages } from './messages.ts';
import type { AreaKey, DomainWeb, MenuEntry, WebRoute } from './web-types.ts';

/** Every domain's pages and menu entries; a new domain adds its `web/routes.tsx` export here. */
export const domainWebs: readonly DomainWeb[] = [planWeb, projectsWeb, donationsWeb, warehousesWeb, orgsWeb, peopleWeb, accountsWeb, auditWeb, settingsWeb];

export const AREAS: readonly { key: AreaKey; label: Text }[] = [
  { key: 'plan', label: shellMessages.areaPlan },
  { key: 'fundraising', label: shellMessages.areaFundraising },
  { key: 'relief', label: shellMessages.areaRelief },
  { key: 'basic', label: shellMessages.areaBasic },
  { key: 'people', label: shellMessages.areaPeople },
  { key: 'system', label: shellMessages.areaSystem },
];

export const allRoutes: readonly WebRoute[] = domainWebs.flatMap((d) => d.routes);
export const allMenuEntries: readonly MenuEntry[] = domainWebs.flatMap((d) => d.menu);

/** The menu, by business area, with only the entries the user's permissions allow. */
export function visibleMenu(permissions: readonly string[]): { area: (typeof AREAS)[number]; entries: MenuEntry[] }[] {
  const held = new Set(permissions);
  return AREAS.map((area) => ({
    area,
    entries: allMenuEntries.filter((e) => e.area === area.key && held.has(e.permission)).sort((a, b) => a.order - b.order),
  })).filter((g) => g.entries.length > 0);
}

/**
 * The domain route a location belongs to: the route whose pattern matches it (a literal path such
 * as `people/import` before a pattern such as `people/:id`), else the first with the same first segment.
 */
export function routeFor(pathname: string): WebRoute | undefined {
  const matching = allRoutes.filter((r) => matchPath({ path: `/${r.path}`, end: true }, pathname));
  const exact = matching.find((r) => !r.path.includes(':')) ?? matching[0];
  if (exact) return exact;
  const first = pathname.split('/').filter(Boolean)[0];
  return first ? allRoutes.find((r) => r.path.split('/')[0] === first) : undefined;
}

export function routeByPath(path: string): WebRoute | undefined {
  return allRoutes.find((r) => r.path === path);
}
