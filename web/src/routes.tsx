import type { ComponentType } from 'react';
import type { Role } from './api/types.ts';
import { ApiPage } from './pages/api-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { PartnersPage } from './pages/partners-page.tsx';

export type PageRoute = {
  path: string;
  label: string;
  roles: readonly Role[];
  Page: ComponentType;
};

const EVERYONE: readonly Role[] = ['marketing', 'partner', 'auditor'];

/** Every signed-in page, in navigation order. `/api` itself belongs to the API, hence `/capabilities`. */
export const ROUTES: readonly PageRoute[] = [
  { path: '/', label: 'Home', roles: EVERYONE, Page: HomePage },
  { path: '/partners', label: 'Partners', roles: ['marketing', 'auditor'], Page: PartnersPage },
  { path: '/capabilities', label: 'API', roles: EVERYONE, Page: ApiPage },
];

export function findRoute(pathname: string): PageRoute | undefined {
  const normalised = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return ROUTES.find((route) => route.path === normalised);
}

export function visibleRoutes(role: Role): PageRoute[] {
  return ROUTES.filter((route) => route.roles.includes(role));
}
