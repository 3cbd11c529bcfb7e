// What the leads pages share: their types, labels, the section links, campaign and partner names.
import type { InferResponseType } from 'hono/client';
import type { ApiClient } from '../api/client.ts';
import type { Role } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { Link, usePathname } from '../router.tsx';
import { findRoute } from '../routes.tsx';
import { latestData, useResource } from '../use-resource.ts';

type LeadsApi = ApiClient['api']['leads'];

export type LeadPage = InferResponseType<LeadsApi['$get'], 200>;
export type LeadSummary = LeadPage['items'][number];
export type LeadStatus = LeadSummary['status'];
export type LeadAttribution = LeadSummary['attribution'];
export type LeadDetail = InferResponseType<LeadsApi[':leadId']['$get'], 200>;
/** Marketing's view: the whole lead, every partner named. */
export type FullLead = Extract<LeadDetail, { partnerIds: string[] }>;
export type Touch = LeadDetail['touches'][number];
export type ConsentRecord = LeadDetail['consents'][number];
export type RuleResult = LeadDetail['qualification']['rules'][number];
export type CreditModel = keyof LeadDetail['attribution']['credit'];
export type LeadRules = InferResponseType<ApiClient['api']['lead-rules']['$get'], 200>;
export type FunnelReport = InferResponseType<ApiClient['api']['reports']['eql-funnel']['$get'], 200>;
export type Funnel = FunnelReport['total'];
export type FunnelGrouping = FunnelReport['by'];

export const isFullLead = (lead: LeadDetail): lead is FullLead => 'partnerIds' in lead;

/** The lifecycle in order: new → (not) qualified → accepted / rejected → opportunity → won / lost. */
export const LEAD_STATUS_LABELS: Record<LeadStatus, string> = {
  new: 'New',
  qualified: 'Qualified',
  'not-qualified': 'Not qualified',
  accepted: 'Accepted',
  rejected: 'Rejected',
  opportunity: 'Opportunity',
  won: 'Won',
  lost: 'Lost',
};
export const LEAD_STATUSES = Object.keys(LEAD_STATUS_LABELS) as LeadStatus[];

export const ATTRIBUTION_LABELS: Record<LeadAttribution, string> = {
  'partner-sourced': 'Partner-sourced',
  'partner-influenced': 'Partner-influenced',
  none: 'No partner touch',
};

export const RULE_LABELS: Record<RuleResult['rule'], string> = {
  requiredFields: 'Required fields',
  businessEmail: 'Business email',
  consent: 'Consent',
  notDuplicate: 'Not a duplicate',
};

export const CREDIT_MODEL_LABELS: Record<CreditModel, string> = {
  'first-touch': 'First touch',
  'last-touch': 'Last touch',
  linear: 'Linear',
};

export const TOUCH_LABELS: Record<Touch['kind'], string> = {
  'email-click': 'Email click',
  'landing-visit': 'Landing page visit',
  'form-submit': 'Form submitted',
};

/** The API's `other-partners` share: the partners a partner user may not see, summed. */
export const OTHER_PARTNERS = 'other-partners';

/** 10,000 basis points are the whole lead: 3333 is "33.33%". */
export function formatShare(basisPoints: number): string {
  return `${(basisPoints / 100).toLocaleString(undefined, { maximumFractionDigits: 2 })}%`;
}

type Section = { to: string; label: string; roles: readonly Role[]; matches: (path: string) => boolean };

const SECTIONS: readonly Section[] = [
  {
    to: '/leads',
    label: 'Leads',
    roles: ['marketing', 'partner'],
    matches: (path) => path === '/leads' || /^\/leads\/[0-9A-Z]{26}$/.test(path),
  },
  {
    to: '/leads/funnel',
    label: 'EQL funnel',
    roles: ['marketing', 'partner'],
    matches: (p) => p === '/leads/funnel',
  },
  {
    to: '/leads/rules',
    label: 'Qualification rules',
    roles: ['marketing'],
    matches: (p) => p === '/leads/rules',
  },
];

/** Pages other features add to the leads area, linked here once their route exists. */
const NEIGHBOURS: readonly { to: string; label: string }[] = [
  { to: '/account-lists', label: 'Account lists' },
  { to: '/webhooks', label: 'CRM webhooks' },
];

/**
 * The leads area is one entry in the main navigation (which has to stay on one line) with its
 * views here: the inbox, the EQL funnel, marketing's rules, and the account lists and webhooks.
 */
export function LeadsSections({ role }: { role: Role }) {
  const pathname = usePathname();
  const neighbours = NEIGHBOURS.filter((n) => findRoute(n.to)?.route.roles.includes(role));
  return (
    <nav aria-label="Leads sections" className="subnav">
      <ul>
        {SECTIONS.filter((s) => s.roles.includes(role)).map((section) => (
          <li key={section.to}>
            <Link to={section.to} aria-current={section.matches(pathname) ? 'page' : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
        {neighbours.map((n) => (
          <li key={n.to}>
            <Link to={n.to} aria-current={pathname === n.to ? 'page' : undefined}>
              {n.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export type CampaignOption = { id: string; label: string };

/**
 * The campaigns a caller can filter leads by, and their names. A partner's come from its own
 * campaigns; marketing has no campaign listing, so its come from the funnel's campaign rows
 * (every campaign with a lead, named with its partner).
 */
export function useCampaignOptions(role: Role): { options: CampaignOption[]; name: (id: string) => string } {
  const client = useApi();
  const campaigns = useResource(`lead-campaigns:${role}`, async (signal): Promise<CampaignOption[]> => {
    if (role === 'partner') {
      const response = await client.api.campaigns.$get({ query: { limit: '100' } }, { init: { signal } });
      return (await response.json()).items.map((c) => ({ id: c.id, label: c.name }));
    }
    const response = await client.api.reports['eql-funnel'].$get(
      { query: { by: 'campaign' } },
      { init: { signal } },
    );
    return (await response.json()).rows.map((row) => ({
      id: row.key,
      label: row.partnerName ? `${row.label} · ${row.partnerName}` : row.label,
    }));
  });
  const options = latestData(campaigns) ?? [];
  const names = new Map(options.map((o) => [o.id, o.label]));
  return { options, name: (id) => names.get(id) ?? id };
}

/** Partner names for marketing's views (a partner user only ever sees its own). */
export function usePartnerNames(enabled: boolean): (id: string) => string {
  const client = useApi();
  const partners = useResource(`lead-partners:${enabled}`, async (signal) => {
    if (!enabled) return new Map<string, string>();
    const response = await client.api.partners.$get({ query: { limit: '100' } }, { init: { signal } });
    return new Map((await response.json()).items.map((p) => [p.id, p.name]));
  });
  const names = latestData(partners);
  return (id) => names?.get(id) ?? id;
}
