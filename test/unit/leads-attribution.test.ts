import { describe, expect, it } from 'vitest';
import {
  credit,
  creditByModel,
  mergeTouches,
  partnerAttribution,
  type Touch,
  touchSchema,
  WHOLE,
} from '#functions/leads/attribution';

const CAMPAIGN_A = '01JD0000000000000000000001';
const CAMPAIGN_B = '01JD0000000000000000000002';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 9, minute)).toISOString();

const click = (partnerId: string, minute: number, sendId = `send-${partnerId}`): Touch => ({
  kind: 'email-click',
  at: at(minute),
  partnerId,
  campaignId: partnerId === 'partner-a' ? CAMPAIGN_A : CAMPAIGN_B,
  sendId,
});
const submit = (partnerId: string, minute: number): Touch => ({
  kind: 'form-submit',
  at: at(minute),
  partnerId,
  campaignId: partnerId === 'partner-a' ? CAMPAIGN_A : CAMPAIGN_B,
});
const organicVisit = (minute: number): Touch => ({
  kind: 'landing-visit',
  at: at(minute),
  utm: { source: 'google', medium: 'cpc' },
});

const sum = (credits: { share: number }[]) => credits.reduce((total, c) => total + c.share, 0);

describe('credit across partners', () => {
  // A clicks, B clicks, A submits (given out of order: credit must not depend on arrival order).
  const touches = [submit('partner-a', 30), click('partner-b', 10), click('partner-a', 0)];

  it('gives the whole lead to the first partner touch under first-touch', () => {
    expect(credit(touches, 'first-touch')).toEqual([{ partnerId: 'partner-a', share: 10_000 }]);
  });

  it('gives the whole lead to the last partner touch under last-touch', () => {
    expect(credit(touches, 'last-touch')).toEqual([{ partnerId: 'partner-a', share: 10_000 }]);
    expect(credit([click('partner-a', 0), click('partner-b', 5)], 'last-touch')).toEqual([
      { partnerId: 'partner-b', share: 10_000 },
    ]);
  });

  it('splits by touches under linear, rounding by largest remainder to exactly 10,000', () => {
    expect(credit(touches, 'linear')).toEqual([
      { partnerId: 'partner-a', share: 6667 },
      { partnerId: 'partner-b', share: 3333 },
    ]);
  });

  it('shows the three models side by side', () => {
    expect(creditByModel(touches)).toEqual({
      'first-touch': [{ partnerId: 'partner-a', share: 10_000 }],
      'last-touch': [{ partnerId: 'partner-a', share: 10_000 }],
      linear: [
        { partnerId: 'partner-a', share: 6667 },
        { partnerId: 'partner-b', share: 3333 },
      ],
    });
  });

  it('breaks equal remainders in favour of the partner who touched first', () => {
    const three = [click('partner-c', 2), click('partner-b', 1), click('partner-a', 3)];
    expect(credit(three, 'linear')).toEqual([
      { partnerId: 'partner-b', share: 3334 },
      { partnerId: 'partner-c', share: 3333 },
      { partnerId: 'partner-a', share: 3333 },
    ]);
  });

  it('always sums to exactly 10,000 in whole basis points', () => {
    const partners = [
      'partner-a',
      'partner-b',
      'partner-c',
      'partner-d',
      'partner-e',
      'partner-f',
      'partner-g',
    ];
    for (let n = 1; n <= 40; n += 1) {
      const many = Array.from({ length: n }, (_, i) =>
        click(partners[(i * i + n) % partners.length] ?? 'x', i),
      );
      const shares = credit(many, 'linear');
      expect(sum(shares)).toBe(WHOLE);
      expect(shares.every((s) => Number.isInteger(s.share) && s.share > 0)).toBe(true);
    }
  });

  it('gives credit only to partner touches, and none when no partner touched the lead', () => {
    expect(credit([organicVisit(0), click('partner-b', 5)], 'first-touch')).toEqual([
      { partnerId: 'partner-b', share: 10_000 },
    ]);
    expect(credit([organicVisit(0), organicVisit(9)], 'linear')).toEqual([]);
    expect(credit([], 'first-touch')).toEqual([]);
  });
});

describe('partner attribution', () => {
  it('is partner-sourced when the first touch is a partner campaign’s', () => {
    expect(partnerAttribution([submit('partner-b', 20), click('partner-a', 3)])).toEqual({
      kind: 'partner-sourced',
      firstPartnerId: 'partner-a',
      partnerIds: ['partner-a', 'partner-b'],
      reasons: [
        `the first touch is a partner's: email-click at ${at(3)} from partner partner-a (campaign ${CAMPAIGN_A})`,
        'partners touching the lead: partner-a, partner-b',
      ],
    });
  });

  it('is partner-influenced when a partner touch exists but is not the first', () => {
    expect(partnerAttribution([organicVisit(0), submit('partner-b', 8)])).toEqual({
      kind: 'partner-influenced',
      firstPartnerId: 'partner-b',
      partnerIds: ['partner-b'],
      reasons: [
        `the first touch is not a partner's: landing-visit at ${at(0)}, not from a partner campaign`,
        `a later touch is: form-submit at ${at(8)} from partner partner-b (campaign ${CAMPAIGN_B})`,
      ],
    });
  });

  it('is none without partner touches, or without touches', () => {
    expect(partnerAttribution([organicVisit(0)])).toEqual({
      kind: 'none',
      partnerIds: [],
      reasons: ["none of the lead's 1 touches came from a partner campaign"],
    });
    expect(partnerAttribution([]).kind).toBe('none');
  });

  it('orders touches in the same millisecond click, visit, submit', () => {
    const sameTime = [organicVisit(0), { ...click('partner-a', 0) }];
    expect(partnerAttribution(sameTime).kind).toBe('partner-sourced');
  });
});

describe('mergeTouches', () => {
  it('makes a repeat submission one lead with several touches, each once, in time order', () => {
    const first = [click('partner-a', 0), submit('partner-a', 2)];
    const repeat = [
      click('partner-a', 0),
      submit('partner-a', 2),
      click('partner-b', 40),
      submit('partner-b', 41),
    ];
    expect(mergeTouches(first, repeat)).toEqual([
      click('partner-a', 0),
      submit('partner-a', 2),
      click('partner-b', 40),
      submit('partner-b', 41),
    ]);
  });

  it('treats the same instant written two ways as one touch, and keeps the first record', () => {
    const stored = { ...click('partner-a', 0), utm: { source: 'newsletter' } };
    const again = { ...click('partner-a', 0), at: at(0).replace('.000Z', 'Z') };
    expect(mergeTouches([stored], [again])).toEqual([stored]);
  });

  it('keeps touches that differ in kind, send or campaign', () => {
    const base = click('partner-a', 0);
    const merged = mergeTouches(
      [base],
      [
        { ...base, sendId: 'send-other' },
        { ...base, kind: 'landing-visit' },
        { ...base, campaignId: CAMPAIGN_B },
      ],
    );
    expect(merged).toHaveLength(4);
    expect(merged.map((t) => t.kind)).toEqual(['email-click', 'email-click', 'email-click', 'landing-visit']);
  });
});

describe('touchSchema', () => {
  it('accepts a tracked click and refuses a malformed touch, naming the fields', () => {
    expect(touchSchema.parse(click('partner-a', 0))).toEqual(click('partner-a', 0));
    const result = touchSchema.safeParse({
      kind: 'email-open',
      at: 'yesterday',
      partnerId: 'a',
      utm: { source: '' },
      extra: 1,
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      '',
      'at',
      'kind',
      'partnerId',
      'utm.source',
    ]);
  });
});
