import { describe, expect, it } from 'vitest';
import {
  claimIndexKeys,
  claimKey,
  claimQueue,
  claimSlotKey,
  evidenceKeys,
  invoiceKey,
} from '#functions/mdf/claim-keys';
import { effectiveDecision } from '#functions/mdf/claim-review';
import { claimDecisionInputSchema } from '#functions/mdf/claim-schema';
import { claimDeadline } from '#functions/mdf/claims';

describe('claimDeadline', () => {
  it('counts the fund’s days after the activity’s last day, across months and leap days', () => {
    expect(claimDeadline('2026-01-06', 1)).toBe('2026-01-07');
    expect(claimDeadline('2026-11-30', 60)).toBe('2027-01-29');
    expect(claimDeadline('2028-02-28', 1)).toBe('2028-02-29');
  });
});

describe('effectiveDecision', () => {
  const decision = (
    id: string,
    outcome: 'approved' | 'partially-approved' | 'rejected' | 'info-requested',
  ) => ({
    id,
    outcome,
    amountMinor: null,
    reasonCode: null,
    reason: null,
    corrects: null,
    by: { sub: 'a', email: 'a@vendor.example', name: 'A' },
    at: '2026-11-25T00:00:00.000Z',
  });
  it('is the latest final decision, never an information request', () => {
    expect(
      effectiveDecision({
        decisions: [decision('A', 'rejected'), decision('B', 'approved'), decision('C', 'info-requested')],
      })?.id,
    ).toBe('B');
    expect(effectiveDecision({ decisions: [decision('C', 'info-requested')] })).toBeUndefined();
  });
});

describe('claim decision input', () => {
  const errors = (body: unknown) => {
    const parsed = claimDecisionInputSchema.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  it('asks each outcome for what it needs and nothing else', () => {
    expect(errors({ outcome: 'approve' })).toEqual([]);
    expect(errors({ outcome: 'partially-approve' })).toEqual([
      'amountMinor: required to approve partially',
      'reason: required to approve partially',
    ]);
    expect(errors({ outcome: 'reject', reason: 'No proof' })).toEqual(['reasonCode: required to reject']);
    expect(errors({ outcome: 'approve', amountMinor: 5 })).toEqual([
      'amountMinor: only when approving partially',
    ]);
    expect(errors({ outcome: 'request-info' })).toEqual(['reason: say what information is needed']);
    expect(errors({ outcome: 'approve', amountMinor: 1.5 })).toContain(
      'amountMinor: Invalid input: expected int, received number',
    );
  });
});

describe('claim keys', () => {
  it('keys claims, the one-claim slot, invoices and evidence', () => {
    expect(claimKey('C1')).toEqual({ pk: 'MDF_CLAIM#C1', sk: 'CLAIM' });
    expect(claimSlotKey('R1')).toEqual({ pk: 'MDF_REQUEST#R1', sk: 'CLAIM' });
    expect(invoiceKey('acme', 'ab')).toEqual({ pk: 'PARTNER#acme', sk: 'MDF_INVOICE#ab' });
    expect(evidenceKeys.pop('acme', 'C1')).toBe('claims/acme/C1/pop.json');
    expect(evidenceKeys.invoice('acme', 'ab')).toBe('claims/acme/invoices/ab');
  });
  it('puts open claims first in the queue, oldest first within a status', () => {
    const at = (status: 'submitted' | 'paid', filedAt: string) =>
      claimIndexKeys({ id: 'X', partnerId: 'acme', status, filedAt }).gsi2sk;
    const keys = [at('paid', '2026-01-01'), at('submitted', '2026-03-01'), at('submitted', '2026-02-01')];
    expect([...keys].sort()).toEqual([keys[2], keys[1], keys[0]]);
    expect(claimQueue('submitted')).toEqual({
      index: 'gsi2',
      partition: 'MDF_CLAIMS',
      prefix: '0-SUBMITTED#',
    });
  });
});
