import { isConverted } from '#functions/leads/funnel';
import type { Lead } from '#functions/leads/lead-schema';
import type { AllCounters } from '#functions/sending/counters';
import type { PopLead, PopPack } from './schema';

/**
 * Pure arithmetic of the pack: rates in integer basis points and lead tallies, with no float
 * anywhere (BigInt for every product, so no intermediate leaves the exact integer range).
 */

/** floor(part × 10,000 ÷ whole); null when there is nothing to divide by. */
export const bpsOf = (part: number, whole: number): number | null =>
  whole <= 0 ? null : Number((BigInt(part) * 10_000n) / BigInt(whole));

/** part ÷ whole > limit (bps), compared exactly by cross-multiplying. */
export const exceedsBps = (part: number, whole: number, limitBps: number): boolean =>
  whole > 0 && BigInt(part) * 10_000n > BigInt(limitBps) * BigInt(whole);

/** part ÷ whole ≥ limit (bps), exactly. */
export const reachesBps = (part: number, whole: number, limitBps: number): boolean =>
  whole > 0 && BigInt(part) * 10_000n >= BigInt(limitBps) * BigInt(whole);

export const sendLogOf = (counters: AllCounters, hours: readonly { hour: string; sent: number }[]) => {
  const sendHours = [...hours].sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0));
  const first = sendHours[0]?.hour;
  const last = sendHours.at(-1)?.hour;
  return {
    queued: counters.queued,
    sent: counters.sent,
    delivered: counters.delivered,
    hardBounced: counters.bounced,
    softBounced: counters.softBounced,
    complained: counters.complained,
    unsubscribed: counters.unsubscribed,
    failed: counters.failed,
    suppressed: counters.suppressed,
    sendHours,
    firstSendAt: first ? `${first}:00:00.000Z` : null,
    lastSendAt: last ? `${last}:59:59.999Z` : null,
    resolution: 'hour' as const,
  } satisfies PopPack['sendLog'];
};

export const engagementOf = (counters: AllCounters): PopPack['engagement'] => ({
  opens: counters.opened,
  uniqueOpens: counters.uniqueOpened,
  clicks: counters.clicked,
  uniqueClicks: counters.uniqueClicked,
  uniqueHumanClicks: counters.uniqueHumanClicked,
  rates: {
    uniqueOpenBps: bpsOf(counters.uniqueOpened, counters.delivered),
    uniqueClickBps: bpsOf(counters.uniqueClicked, counters.delivered),
    uniqueHumanClickBps: bpsOf(counters.uniqueHumanClicked, counters.delivered),
    complaintBps: bpsOf(counters.complained, counters.delivered),
    unsubscribeBps: bpsOf(counters.unsubscribed, counters.delivered),
    hardBounceBps: bpsOf(counters.bounced, counters.sent),
    softBounceBps: bpsOf(counters.softBounced, counters.sent),
    deliveredBps: bpsOf(counters.delivered, counters.sent),
  },
});

const creditOf = (lead: Lead, model: keyof Lead['attribution']['credit'], partnerId: string) =>
  (lead.attribution.credit[model] ?? [])
    .filter((c) => c.partnerId === partnerId)
    .reduce((sum, c) => sum + c.share, 0);

const earliest = (times: readonly string[]): string | null =>
  times.reduce<string | null>((min, t) => (min === null || Date.parse(t) < Date.parse(min) ? t : min), null);

/** A lead as the pack lists it: the claiming partner's attribution and credit, this campaign's capture. */
export const popLeadOf = (lead: Lead, partnerId: string, campaignId: string): PopLead => {
  const touches = lead.touches.filter((t) => t.campaignId === campaignId);
  const submits = touches.filter((t) => t.kind === 'form-submit');
  return {
    leadId: lead.id,
    email: lead.email,
    name: [lead.fields.first_name, lead.fields.last_name].filter((part) => part?.trim()).join(' '),
    company: lead.fields.company ?? '',
    companyDomain: lead.companyDomain,
    status: lead.status,
    qualified: lead.qualification.qualified,
    eql: lead.eql.eql,
    attribution:
      lead.attribution.firstPartnerId === partnerId
        ? 'partner-sourced'
        : lead.partnerIds.includes(partnerId)
          ? 'partner-influenced'
          : 'none',
    creditBps: {
      firstTouch: creditOf(lead, 'first-touch', partnerId),
      lastTouch: creditOf(lead, 'last-touch', partnerId),
      linear: creditOf(lead, 'linear', partnerId),
    },
    capturedAt: earliest((submits.length > 0 ? submits : touches).map((t) => t.at)),
    pipeline: lead.pipeline
      ? { amountMinor: lead.pipeline.amountMinor, currency: lead.pipeline.currency }
      : null,
    won: lead.won ? { amountMinor: lead.won.amountMinor, currency: lead.won.currency } : null,
    createdAt: lead.createdAt,
  };
};

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const addMoney = (
  sums: Map<string, { amountMinor: number; leads: number }>,
  currency: string,
  amount: number,
) => {
  const current = sums.get(currency) ?? { amountMinor: 0, leads: 0 };
  const amountMinor = current.amountMinor + amount;
  // Money never loses a cent silently: a sum past 2^53 minor units is refused, not rounded.
  if (!Number.isSafeInteger(amountMinor))
    throw new RangeError(`the ${currency} total is too large to add exactly`);
  sums.set(currency, { amountMinor, leads: current.leads + 1 });
};
const moneyList = (sums: Map<string, { amountMinor: number; leads: number }>) =>
  [...sums].map(([currency, sum]) => ({ currency, ...sum })).sort((a, b) => byText(a.currency, b.currency));

const countedNames = ['qualified', 'eqls', 'sourced', 'influenced', 'pipeline', 'won'] as const;
type Counted = (typeof countedNames)[number];
/** The tallies a lead adds to, each by a yes/no question about it. */
const COUNTED: Record<Counted, (lead: PopLead) => boolean> = {
  qualified: (lead: PopLead) => lead.qualified,
  eqls: (lead: PopLead) => lead.eql,
  sourced: (lead: PopLead) => lead.attribution === 'partner-sourced',
  influenced: (lead: PopLead) => lead.attribution === 'partner-influenced',
  pipeline: (lead: PopLead) => isConverted(lead.status),
  won: (lead: PopLead) => lead.status === 'won',
};

const earlier = (a: string | null, b: string | null) =>
  a === null || (b !== null && Date.parse(b) < Date.parse(a)) ? b : a;

/**
 * Counts every lead as pages arrive and keeps only the `cap` lowest lead ids for the inline list,
 * so memory stays bounded and the list is the same whatever order the pages came in.
 */
export const leadTally = (cap: number) => {
  let kept: PopLead[] = [];
  const counts: Record<Counted, number> = {
    qualified: 0,
    eqls: 0,
    sourced: 0,
    influenced: 0,
    pipeline: 0,
    won: 0,
  };
  const byStatus = new Map<string, number>();
  const pipeline = new Map<string, { amountMinor: number; leads: number }>();
  const revenue = new Map<string, { amountMinor: number; leads: number }>();
  const seen = new Set<string>();
  let firstCapturedAt: string | null = null;
  const trim = () => {
    kept.sort((a, b) => byText(a.leadId, b.leadId));
    kept = kept.slice(0, cap);
  };
  const addAmount = (lead: PopLead) => {
    if (lead.pipeline && COUNTED.pipeline(lead)) {
      addMoney(pipeline, lead.pipeline.currency, lead.pipeline.amountMinor);
    }
    if (lead.won && COUNTED.won(lead)) addMoney(revenue, lead.won.currency, lead.won.amountMinor);
  };
  return {
    add(lead: PopLead) {
      if (seen.has(lead.leadId)) return;
      seen.add(lead.leadId);
      firstCapturedAt = earlier(firstCapturedAt, lead.capturedAt);
      for (const name of countedNames) if (COUNTED[name](lead)) counts[name] += 1;
      byStatus.set(lead.status, (byStatus.get(lead.status) ?? 0) + 1);
      addAmount(lead);
      kept.push(lead);
      if (kept.length >= cap * 2) trim();
    },
    /** This campaign's earliest capture over every lead added, listed or not. */
    firstCapturedAt: () => firstCapturedAt,
    result(): PopPack['leads'] {
      trim();
      return {
        total: seen.size,
        qualified: counts.qualified,
        eqls: counts.eqls,
        sourced: counts.sourced,
        influenced: counts.influenced,
        byStatus: Object.fromEntries([...byStatus].sort((a, b) => byText(a[0], b[0]))),
        pipeline: { leads: counts.pipeline, amounts: moneyList(pipeline) },
        won: { leads: counts.won, revenue: moneyList(revenue) },
        eqlRateBps: bpsOf(counts.eqls, seen.size),
        items: kept,
        cap,
        omitted: seen.size - kept.length,
      };
    },
  };
};
