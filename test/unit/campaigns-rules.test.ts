import { describe, expect, it } from 'vitest';
import { BATCH_SIZE, batchId, splitIntoBatches } from '#functions/campaigns/batches';
import { IllegalTransitionError, transition } from '#functions/campaigns/status';
import { sendBatchSchema } from '#functions/sending/contracts';

const free = { approvalRequired: false };
const gated = { approvalRequired: true };

describe('the campaign status machine', () => {
  it('sends a submitted campaign to approval when its kit requires it, and straight to approved otherwise', () => {
    expect(transition('submit', 'draft', gated)).toEqual({ kind: 'move', to: 'pending-approval' });
    expect(transition('submit', 'draft', free)).toEqual({ kind: 'move', to: 'approved' });
    expect(transition('submit', 'rejected', gated)).toEqual({ kind: 'move', to: 'pending-approval' });
    expect(transition('approve', 'pending-approval', gated)).toEqual({ kind: 'move', to: 'approved' });
    expect(transition('reject', 'pending-approval', gated)).toEqual({ kind: 'move', to: 'rejected' });
  });

  it('launches a draft only when the kit needs no approval, and never a campaign waiting for it', () => {
    expect(transition('launch', 'draft', free)).toEqual({ kind: 'move', to: 'sending' });
    expect(transition('launch', 'approved', gated)).toEqual({ kind: 'move', to: 'sending' });
    expect(transition('launch', 'scheduled', gated)).toEqual({ kind: 'move', to: 'sending' });
    expect(() => transition('launch', 'draft', gated)).toThrow(
      'cannot launch a campaign that is draft: its kit requires brand approval; submit it first',
    );
    expect(() => transition('launch', 'pending-approval', gated)).toThrow(IllegalTransitionError);
    expect(() => transition('launch', 'rejected', gated)).toThrow(IllegalTransitionError);
    expect(() => transition('schedule', 'draft', gated)).toThrow(/requires brand approval/);
  });

  it('treats a repeated launch, pause, resume or cancel as already done', () => {
    for (const status of ['sending', 'paused', 'sent'] as const) {
      expect(transition('launch', status, free)).toEqual({ kind: 'unchanged' });
    }
    expect(transition('pause', 'paused', free)).toEqual({ kind: 'unchanged' });
    expect(transition('resume', 'sending', free)).toEqual({ kind: 'unchanged' });
    expect(transition('cancel', 'cancelled', free)).toEqual({ kind: 'unchanged' });
  });

  it('pauses and resumes only a launched campaign, and finishes only a sending one', () => {
    expect(transition('pause', 'sending', free)).toEqual({ kind: 'move', to: 'paused' });
    expect(transition('resume', 'paused', free)).toEqual({ kind: 'move', to: 'sending' });
    expect(transition('complete', 'sending', free)).toEqual({ kind: 'move', to: 'sent' });
    expect(() => transition('pause', 'scheduled', free)).toThrow(IllegalTransitionError);
    expect(() => transition('resume', 'cancelled', free)).toThrow(IllegalTransitionError);
  });

  it('cancels anything not finished, and nothing finished', () => {
    for (const status of [
      'draft',
      'pending-approval',
      'approved',
      'rejected',
      'scheduled',
      'sending',
      'paused',
    ] as const) {
      expect(transition('cancel', status, gated)).toEqual({ kind: 'move', to: 'cancelled' });
    }
    expect(() => transition('cancel', 'sent', free)).toThrow(IllegalTransitionError);
  });

  it('allows edits of drafts and rejected campaigns only, keeping their status', () => {
    expect(transition('edit', 'draft', gated)).toEqual({ kind: 'move', to: 'draft' });
    expect(transition('edit', 'rejected', gated)).toEqual({ kind: 'move', to: 'rejected' });
    for (const status of ['pending-approval', 'approved', 'scheduled', 'sending'] as const) {
      expect(() => transition('edit', status, gated)).toThrow(IllegalTransitionError);
    }
  });

  it('answers an illegal transition with a 409 naming the current status', () => {
    const error = (() => {
      try {
        transition('approve', 'sending', gated);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toMatchObject({
      status: 409,
      message: 'cannot approve a campaign that is sending',
      extensions: { currentStatus: 'sending' },
    });
  });
});

describe('send batches', () => {
  const members = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({
      email: `c${from + i}@example.com`,
      firstName: `F${from + i}`,
      lastName: 'L',
      company: 'Co',
    }));
  const campaign = { campaignId: '01JCAMPAIGN0000000000000000', partnerId: 'northwind' };

  it('names batches by campaign, page and position', () => {
    expect(batchId('01JX', 3, 7)).toBe('01JX:3:7');
  });

  it('splits a 500-member page into ten batches of 50 in list order, each valid for the send engine', () => {
    const batches = splitIntoBatches(campaign, 2, members(500));
    expect(batches).toHaveLength(10);
    expect(batches.map((b) => b.recipients.length)).toEqual(Array(10).fill(BATCH_SIZE));
    expect(batches.map((b) => b.batchId)).toEqual(
      Array.from({ length: 10 }, (_, n) => `${campaign.campaignId}:2:${n}`),
    );
    expect(batches[1]?.recipients[0]).toEqual({
      email: 'c50@example.com',
      firstName: 'F50',
      lastName: 'L',
      company: 'Co',
    });
    for (const batch of batches) expect(sendBatchSchema.parse(batch)).toEqual(batch);
  });

  it('puts the remainder in a last, smaller batch and makes no batch of an empty page', () => {
    expect(splitIntoBatches(campaign, 0, members(101)).map((b) => b.recipients.length)).toEqual([50, 50, 1]);
    expect(splitIntoBatches(campaign, 0, [])).toEqual([]);
  });

  it('produces the same batches from the same page every time (a redelivered step)', () => {
    const page = members(120);
    expect(splitIntoBatches(campaign, 4, page)).toEqual(splitIntoBatches(campaign, 4, page));
  });
});
