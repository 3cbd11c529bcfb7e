import * as z from 'zod';
import { campaignIdSchema } from '#functions/campaigns/schema';
import { partnerIdSchema } from '#functions/partners/schema';

/**
 * Partner attribution: which partner activity brought a lead in. A lead keeps every touch
 * (email click, landing visit, form submit) with its time; the answers below are computed from
 * them, never stored instead of them, so a new touch or a new model recomputes cleanly.
 */
export const touchKinds = ['email-click', 'landing-visit', 'form-submit'] as const;
export type TouchKind = (typeof touchKinds)[number];

const utmValue = z.string().trim().min(1).max(200).optional();

export const touchSchema = z.strictObject({
  kind: z.enum(touchKinds),
  /** ISO-8601 UTC. */
  at: z.iso.datetime(),
  partnerId: partnerIdSchema.optional(),
  campaignId: campaignIdSchema.optional(),
  /** The send behind an email click (from the signed tracking token). */
  sendId: z
    .string()
    .regex(/^[A-Za-z0-9_~.-]{1,128}$/)
    .optional(),
  utm: z
    .strictObject({
      source: utmValue,
      medium: utmValue,
      campaign: utmValue,
      content: utmValue,
      term: utmValue,
    })
    .optional(),
});
export type Touch = z.infer<typeof touchSchema>;

export const creditModels = ['first-touch', 'last-touch', 'linear'] as const;
export type CreditModel = (typeof creditModels)[number];

/** Shares in basis points: 10,000 is the whole lead. */
export const WHOLE = 10_000;

export interface PartnerCredit {
  partnerId: string;
  share: number;
}

export interface PartnerAttribution {
  kind: 'partner-sourced' | 'partner-influenced' | 'none';
  /** The partner of the earliest partner touch. */
  firstPartnerId?: string;
  /** Every partner that touched the lead, in order of their first touch. */
  partnerIds: string[];
  reasons: string[];
}

type PartnerTouch = Touch & { partnerId: string };
const isPartnerTouch = (touch: Touch): touch is PartnerTouch => touch.partnerId !== undefined;

const instant = (touch: Touch) => Date.parse(touch.at);
/** Code-unit order: ids sort the same on every machine, whatever its locale. */
const byText = (a = '', b = ''): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Time order, then a fixed order for touches in the same millisecond (a click lands on the page
 * before the form is sent), then the ids: sorting never depends on the order touches arrived in.
 */
const compareTouches = (a: Touch, b: Touch): number =>
  instant(a) - instant(b) ||
  touchKinds.indexOf(a.kind) - touchKinds.indexOf(b.kind) ||
  byText(a.partnerId, b.partnerId) ||
  byText(a.campaignId, b.campaignId) ||
  byText(a.sendId, b.sendId);

export const sortTouches = (touches: readonly Touch[]): Touch[] => [...touches].sort(compareTouches);

/** Two records of the same touch: same kind, same instant, same send, campaign and partner. */
const identity = (touch: Touch): string =>
  JSON.stringify([touch.kind, instant(touch), touch.sendId, touch.campaignId, touch.partnerId]);

/**
 * The touches of one lead after the same person comes back (a repeat submission, a second
 * partner's campaign): one list, each touch once (the first record of it wins), in time order.
 */
export const mergeTouches = (existing: readonly Touch[], incoming: readonly Touch[]): Touch[] => {
  const seen = new Map<string, Touch>();
  for (const touch of [...existing, ...incoming]) {
    const key = identity(touch);
    if (!seen.has(key)) seen.set(key, touch);
  }
  return sortTouches([...seen.values()]);
};

const describe = (touch: Touch): string => {
  const from = touch.partnerId
    ? ` from partner ${touch.partnerId}${touch.campaignId ? ` (campaign ${touch.campaignId})` : ''}`
    : ', not from a partner campaign';
  return `${touch.kind} at ${touch.at}${from}`;
};

const partnersInOrder = (touches: readonly PartnerTouch[]): string[] => [
  ...new Set(touches.map((t) => t.partnerId)),
];

/** Partner-sourced when the first touch is a partner's; influenced when a later one is. */
export const partnerAttribution = (touches: readonly Touch[]): PartnerAttribution => {
  const sorted = sortTouches(touches);
  const first = sorted[0];
  const partnerTouches = sorted.filter(isPartnerTouch);
  const partnerIds = partnersInOrder(partnerTouches);
  const firstPartner = partnerTouches[0];
  if (!first) return { kind: 'none', partnerIds, reasons: ['the lead has no touches'] };
  if (!firstPartner) {
    const reason = `none of the lead's ${sorted.length} touches came from a partner campaign`;
    return { kind: 'none', partnerIds, reasons: [reason] };
  }
  const others = partnerIds.length > 1 ? [`partners touching the lead: ${partnerIds.join(', ')}`] : [];
  if (first === firstPartner) {
    return {
      kind: 'partner-sourced',
      firstPartnerId: firstPartner.partnerId,
      partnerIds,
      reasons: [`the first touch is a partner's: ${describe(first)}`, ...others],
    };
  }
  return {
    kind: 'partner-influenced',
    firstPartnerId: firstPartner.partnerId,
    partnerIds,
    reasons: [
      `the first touch is not a partner's: ${describe(first)}`,
      `a later touch is: ${describe(firstPartner)}`,
      ...others,
    ],
  };
};

/**
 * Splits WHOLE across `weights` by the largest-remainder (Hamilton) method, in integers: each
 * gets the floor of its exact share, then the leftover points go one each to the largest
 * remainders; ties go to the earlier entry, so callers order entries by precedence.
 */
const apportion = (weights: readonly { partnerId: string; weight: number }[]): PartnerCredit[] => {
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  const shares = weights.map((w, order) => ({
    partnerId: w.partnerId,
    share: Math.floor((w.weight * WHOLE) / total),
    remainder: (w.weight * WHOLE) % total,
    order,
  }));
  let left = WHOLE - shares.reduce((sum, s) => sum + s.share, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || a.order - b.order);
  for (const entry of byRemainder) {
    if (left === 0) break;
    entry.share += 1;
    left -= 1;
  }
  return shares
    .map(({ partnerId, share, order }) => ({ partnerId, share, order }))
    .sort((a, b) => b.share - a.share || a.order - b.order)
    .map(({ partnerId, share }) => ({ partnerId, share }));
};

/**
 * Credit across partners under one model, in basis points summing to exactly 10,000; only
 * partner touches count (touches from no partner are the sourced/influenced answer's business),
 * so a lead no partner touched gives an empty list. first-touch and last-touch give the whole
 * lead to the earliest or latest partner touch; linear gives each partner touch an equal part.
 * Ordered by share, ties by whose first touch came first.
 */
export const credit = (touches: readonly Touch[], model: CreditModel): PartnerCredit[] => {
  const partnerTouches = sortTouches(touches).filter(isPartnerTouch);
  const first = partnerTouches[0];
  const last = partnerTouches.at(-1);
  if (!first || !last) return [];
  if (model === 'first-touch') return [{ partnerId: first.partnerId, share: WHOLE }];
  if (model === 'last-touch') return [{ partnerId: last.partnerId, share: WHOLE }];
  const counts = new Map<string, number>();
  for (const touch of partnerTouches) counts.set(touch.partnerId, (counts.get(touch.partnerId) ?? 0) + 1);
  return apportion(
    partnersInOrder(partnerTouches).map((partnerId) => ({ partnerId, weight: counts.get(partnerId) ?? 0 })),
  );
};

/** Every model side by side, as the lead detail shows them. */
export const creditByModel = (touches: readonly Touch[]): Record<CreditModel, PartnerCredit[]> => ({
  'first-touch': credit(touches, 'first-touch'),
  'last-touch': credit(touches, 'last-touch'),
  linear: credit(touches, 'linear'),
});
