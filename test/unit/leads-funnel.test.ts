import { describe, expect, it } from 'vitest';
import { eqlFunnel, eqlFunnelBy, type FunnelLead } from '#functions/leads/funnel';

const lead = (overrides: Partial<FunnelLead>): FunnelLead => ({
  eql: true,
  engaged: false,
  status: 'new',
  ...overrides,
});

describe('eqlFunnel', () => {
  it('counts EQLs, engaged EQLs, converted EQLs and closed-won EQLs, ignoring non-EQLs', () => {
    const leads = [
      lead({ engaged: true }),
      lead({ status: 'accepted', engaged: true }),
      lead({ status: 'opportunity' }),
      lead({ status: 'won', engaged: true, wonAmountMinor: 1_250_000, currency: 'EUR' }),
      lead({ status: 'lost' }),
      lead({ status: 'rejected' }),
      lead({ eql: false, engaged: true, status: 'won', wonAmountMinor: 999_999, currency: 'EUR' }),
    ];
    expect(eqlFunnel(leads)).toEqual({
      leads: 7,
      eqls: 6,
      engagedEqls: 3,
      opportunityEqls: 3,
      wonEqls: 1,
      wonEqlsWithoutAmount: 0,
      revenueFromEqls: [{ currency: 'EUR', amountMinor: 1_250_000 }],
    });
  });

  it('adds revenue per currency in integer minor units, never across currencies', () => {
    const funnel = eqlFunnel([
      lead({ status: 'won', wonAmountMinor: 10, currency: 'USD' }),
      lead({ status: 'won', wonAmountMinor: 20, currency: 'USD' }),
      lead({ status: 'won', wonAmountMinor: 5, currency: 'EUR' }),
      lead({ status: 'won' }),
    ]);
    expect(funnel.revenueFromEqls).toEqual([
      { currency: 'EUR', amountMinor: 5 },
      { currency: 'USD', amountMinor: 30 },
    ]);
    expect(funnel.wonEqls).toBe(4);
    expect(funnel.wonEqlsWithoutAmount).toBe(1);
  });

  it('refuses fractional, negative or unsafe amounts and bad currency codes rather than miscount', () => {
    expect(() => eqlFunnel([lead({ status: 'won', wonAmountMinor: 10.5, currency: 'USD' })])).toThrow(
      RangeError,
    );
    expect(() => eqlFunnel([lead({ status: 'won', wonAmountMinor: -1, currency: 'USD' })])).toThrow(
      RangeError,
    );
    expect(() => eqlFunnel([lead({ status: 'won', wonAmountMinor: 1, currency: 'usd' })])).toThrow(
      RangeError,
    );
    const huge = Number.MAX_SAFE_INTEGER;
    expect(() =>
      eqlFunnel([
        lead({ status: 'won', wonAmountMinor: huge, currency: 'USD' }),
        lead({ status: 'won', wonAmountMinor: 1, currency: 'USD' }),
      ]),
    ).toThrow(/exactly/);
  });

  it('gives zeros for no leads', () => {
    expect(eqlFunnel([])).toEqual({
      leads: 0,
      eqls: 0,
      engagedEqls: 0,
      opportunityEqls: 0,
      wonEqls: 0,
      wonEqlsWithoutAmount: 0,
      revenueFromEqls: [],
    });
  });
});

describe('eqlFunnelBy', () => {
  it('computes one funnel per partner', () => {
    const leads = [
      { ...lead({ status: 'won', wonAmountMinor: 100, currency: 'GBP' }), partnerId: 'partner-a' },
      { ...lead({ eql: false }), partnerId: 'partner-a' },
      { ...lead({ engaged: true }), partnerId: 'partner-b' },
    ];
    const byPartner = eqlFunnelBy(leads, (l) => l.partnerId);
    expect([...byPartner.keys()]).toEqual(['partner-a', 'partner-b']);
    expect(byPartner.get('partner-a')).toMatchObject({ leads: 2, eqls: 1, wonEqls: 1 });
    expect(byPartner.get('partner-a')?.revenueFromEqls).toEqual([{ currency: 'GBP', amountMinor: 100 }]);
    expect(byPartner.get('partner-b')).toMatchObject({ leads: 1, eqls: 1, engagedEqls: 1, wonEqls: 0 });
  });
});
