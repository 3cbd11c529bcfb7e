import type { ComponentType } from 'react';
import type { Role } from './api/types.ts';
import { AccountListsPage } from './pages/account-lists-page.tsx';
import { ApiPage } from './pages/api-page.tsx';
import { ApprovalsPage } from './pages/approvals-page.tsx';
import { BrandPage } from './pages/brand-page.tsx';
import { CampaignPage } from './pages/campaign-page.tsx';
import { CampaignsPage } from './pages/campaigns-page.tsx';
import { ContactPage } from './pages/contact-page.tsx';
import { ContactsPage } from './pages/contacts-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { KitPage } from './pages/kit-page.tsx';
import { KitsPage } from './pages/kits-page.tsx';
import { LeadPage } from './pages/lead-page.tsx';
import { LeadsFunnelPage } from './pages/leads-funnel-page.tsx';
import { LeadsPage } from './pages/leads-page.tsx';
import { LeadsRulesPage } from './pages/leads-rules-page.tsx';
import { LibraryKitPage } from './pages/library-kit-page.tsx';
import { LibraryPage } from './pages/library-page.tsx';
import { ListPage } from './pages/list-page.tsx';
import { MdfClaimPage } from './pages/mdf-claim-page.tsx';
import { MdfClaimsPage } from './pages/mdf-claims-page.tsx';
import { MdfFileClaimPage } from './pages/mdf-file-claim.tsx';
import { MdfPage } from './pages/mdf-page.tsx';
import { NotificationsPage } from './pages/notifications-page.tsx';
import { PartnersPage } from './pages/partners-page.tsx';
import { RopiPage } from './pages/ropi-page.tsx';
import { SuppressionsPage } from './pages/suppressions-page.tsx';
import { WebhooksPage } from './pages/webhooks-page.tsx';

/** What a page gets from its path: `/kits/:kitId` gives `{ kitId }`. */
export type PageProps = { params: Readonly<Record<string, string>> };

export type PageRoute = {
  /** Literal segments and `:name` parameters, each matching one non-empty segment. */
  path: string;
  label: string;
  roles: readonly Role[];
  Page: ComponentType<PageProps>;
  /** Listed in the main navigation (detail pages are not). */
  nav: boolean;
  /** Shown in the navigation as this icon, the label kept for screen readers and as a tooltip. */
  icon?: 'bell';
};

export type RouteMatch = { route: PageRoute; params: Record<string, string> };

const EVERYONE: readonly Role[] = ['marketing', 'partner', 'auditor'];
const VENDOR: readonly Role[] = ['marketing', 'auditor'];

/** Every signed-in page, in navigation order. `/api` itself belongs to the API, hence `/capabilities`. */
export const ROUTES: readonly PageRoute[] = [
  { path: '/', label: 'Home', roles: EVERYONE, Page: HomePage, nav: true },
  { path: '/library', label: 'Library', roles: ['partner'], Page: LibraryPage, nav: true },
  { path: '/library/:kitId', label: 'Kit', roles: ['partner'], Page: LibraryKitPage, nav: false },
  { path: '/campaigns', label: 'Campaigns', roles: ['partner'], Page: CampaignsPage, nav: true },
  { path: '/campaigns/:campaignId', label: 'Campaign', roles: ['partner'], Page: CampaignPage, nav: false },
  { path: '/contacts', label: 'Contacts', roles: ['partner'], Page: ContactsPage, nav: true },
  // Suppressions is a view of Contacts (its sub-navigation), so the main navigation keeps one line.
  {
    path: '/contacts/suppressions',
    label: 'Suppressions',
    roles: ['partner'],
    Page: SuppressionsPage,
    nav: false,
  },
  { path: '/contacts/lists/:listId', label: 'List', roles: ['partner'], Page: ListPage, nav: false },
  { path: '/contacts/:contactId', label: 'Contact', roles: ['partner'], Page: ContactPage, nav: false },
  { path: '/brand', label: 'Brand', roles: ['partner'], Page: BrandPage, nav: true },
  { path: '/partners', label: 'Partners', roles: VENDOR, Page: PartnersPage, nav: true },
  { path: '/kits', label: 'Kits', roles: VENDOR, Page: KitsPage, nav: true },
  { path: '/kits/:kitId', label: 'Kit', roles: VENDOR, Page: KitPage, nav: false },
  { path: '/approvals', label: 'Approvals', roles: ['marketing'], Page: ApprovalsPage, nav: true },
  // Leads (issue 5): the inbox, with the funnel and marketing's rules as views of it (its sub-navigation).
  { path: '/leads', label: 'Leads', roles: ['partner', 'marketing'], Page: LeadsPage, nav: true },
  {
    path: '/leads/funnel',
    label: 'EQL funnel',
    roles: ['partner', 'marketing'],
    Page: LeadsFunnelPage,
    nav: false,
  },
  {
    path: '/leads/rules',
    label: 'Qualification rules',
    roles: ['marketing'],
    Page: LeadsRulesPage,
    nav: false,
  },
  { path: '/leads/:leadId', label: 'Lead', roles: ['partner', 'marketing'], Page: LeadPage, nav: false },
  // CRM webhooks (issue 5): marketing's only, linked from the Leads sub-navigation.
  { path: '/webhooks', label: 'Webhooks', roles: ['marketing'], Page: WebhooksPage, nav: false },
  // Account lists (issue 5): a partner's own and, for marketing, the vendor's, with the overlaps.
  // Off the main navigation (it must stay on one line): linked from the leads area.
  {
    path: '/account-lists',
    label: 'Account lists',
    roles: ['partner', 'marketing'],
    Page: AccountListsPage,
    nav: false,
  },
  // Market development funds (issue 6): off the main navigation (it must stay on one line), linked from Home.
  { path: '/mdf', label: 'MDF', roles: EVERYONE, Page: MdfPage, nav: false },
  // Claims, their review and the ROPI dashboard: views of /mdf, linked from it.
  { path: '/mdf/claims', label: 'MDF claims', roles: EVERYONE, Page: MdfClaimsPage, nav: false },
  { path: '/mdf/claims/:claimId', label: 'MDF claim', roles: EVERYONE, Page: MdfClaimPage, nav: false },
  {
    path: '/mdf/requests/:requestId/claim',
    label: 'File a claim',
    roles: ['partner'],
    Page: MdfFileClaimPage,
    nav: false,
  },
  { path: '/mdf/ropi', label: 'ROPI', roles: VENDOR, Page: RopiPage, nav: false },
  { path: '/capabilities', label: 'API', roles: EVERYONE, Page: ApiPage, nav: true },
  // A bell at the end of the bar, so the navigation keeps one line with Leads in it.
  {
    path: '/notifications',
    label: 'Notifications',
    roles: ['partner'],
    Page: NotificationsPage,
    nav: true,
    icon: 'bell',
  },
];

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const expected = segments(pattern);
  const actual = segments(pathname);
  if (expected.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const value = actual[index] ?? '';
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) {
      return null;
    }
  }
  return params;
}

export function findRoute(pathname: string): RouteMatch | undefined {
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params !== null) return { route, params };
  }
  return undefined;
}

export function visibleRoutes(role: Role): PageRoute[] {
  return ROUTES.filter((route) => route.nav && route.roles.includes(role));
}
