/**
 * The EQL funnel (per partner, campaign or program: the caller groups): EQLs, EQLs with
 * engagement, EQLs that became opportunities, closed-won EQLs and their revenue. Money stays in
 * integer minor units per currency; amounts in different currencies are never added together.
 */
export const leadStatuses = [
  'new',
  'qualified',
  'not-qualified',
  'accepted',
  'rejected',
  'opportunity',
  'won',
  'lost',
] as const;
export type LeadStatus = (typeof leadStatuses)[number];

/** Won and lost come after opportunity in the lifecycle: both count as converted. */
const convertedStatuses: ReadonlySet<string> = new Set<LeadStatus>(['opportunity', 'won', 'lost']);
/** Became an opportunity (pipeline generated), whatever came of it. */
export const isConverted = (status: string): boolean => convertedStatuses.has(status);

export interface FunnelLead {
  eql: boolean;
  /** Opened, clicked or visited. */
  engaged: boolean;
  status: LeadStatus;
  /** Set on won leads: the deal amount in minor units (cents) of `currency`. */
  wonAmountMinor?: number | undefined;
  currency?: string | undefined;
}

export interface EqlFunnel {
  leads: number;
  eqls: number;
  engagedEqls: number;
  opportunityEqls: number;
  wonEqls: number;
  /** Won EQLs with no amount recorded: counted as won, adding no revenue. */
  wonEqlsWithoutAmount: number;
  /** By ISO 4217 code, ascending. */
  revenueFromEqls: { currency: string; amountMinor: number }[];
}

const CURRENCY = /^[A-Z]{3}$/;

/** Adds one won EQL's amount to its currency's total, exactly or not at all. */
const addRevenue = (revenue: Map<string, number>, amount: number, currency: string): void => {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`a won amount must be a non-negative integer of minor units, not ${amount}`);
  }
  if (!CURRENCY.test(currency)) throw new RangeError(`"${currency}" is not an ISO 4217 currency code`);
  const total = (revenue.get(currency) ?? 0) + amount;
  if (!Number.isSafeInteger(total))
    throw new RangeError(`revenue in ${currency} exceeds what can be counted exactly`);
  revenue.set(currency, total);
};

export const eqlFunnel = (leads: Iterable<FunnelLead>): EqlFunnel => {
  const funnel: EqlFunnel = {
    leads: 0,
    eqls: 0,
    engagedEqls: 0,
    opportunityEqls: 0,
    wonEqls: 0,
    wonEqlsWithoutAmount: 0,
    revenueFromEqls: [],
  };
  const revenue = new Map<string, number>();
  for (const lead of leads) {
    funnel.leads += 1;
    if (!lead.eql) continue;
    funnel.eqls += 1;
    if (lead.engaged) funnel.engagedEqls += 1;
    if (convertedStatuses.has(lead.status)) funnel.opportunityEqls += 1;
    if (lead.status !== 'won') continue;
    funnel.wonEqls += 1;
    if (lead.wonAmountMinor === undefined || lead.currency === undefined) funnel.wonEqlsWithoutAmount += 1;
    else addRevenue(revenue, lead.wonAmountMinor, lead.currency);
  }
  funnel.revenueFromEqls = [...revenue.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, amountMinor]) => ({ currency, amountMinor }));
  return funnel;
};

/** One funnel per group (partner, campaign, program), keyed as `groupOf` says. */
export const eqlFunnelBy = <L extends FunnelLead>(
  leads: Iterable<L>,
  groupOf: (lead: L) => string,
): Map<string, EqlFunnel> => {
  const groups = new Map<string, L[]>();
  for (const lead of leads) {
    const key = groupOf(lead);
    const group = groups.get(key);
    if (group) group.push(lead);
    else groups.set(key, [lead]);
  }
  return new Map([...groups].map(([key, group]) => [key, eqlFunnel(group)]));
};
