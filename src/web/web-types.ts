import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import type { Text } from '../platform/i18n.ts';

/** Business areas of the side menu, in menu order. */
export type AreaKey = 'plan' | 'fundraising' | 'relief' | 'basic' | 'people' | 'system';

/** A page a domain contributes: its path below the app root, lazily loaded. */
export type WebRoute = {
  path: string;
  Component: LazyExoticComponent<ComponentType>;
  /** The page is refused (403 page) without it; without a permission any signed-in user may open it. */
  permission?: string;
  /** The breadcrumb's last item. */
  label: Text;
  area?: AreaKey;
  /** The page this one sits below (`people` for `people/:id`): a link in the breadcrumb, and its menu entry stays selected. */
  parent?: string;
};

/** A side-menu entry; shown only when the user holds `permission`. */
export type MenuEntry = {
  key: string;
  path: string;
  label: Text;
  icon: ReactNode;
  permission: string;
  area: AreaKey;
  /** Position inside its area. */
  order: number;
};

/** What each domain's `web/routes.tsx` exports for the shell. */
export type DomainWeb = { domain: string; routes: WebRoute[]; menu: MenuEntry[] };
