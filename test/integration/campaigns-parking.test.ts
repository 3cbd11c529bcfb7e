import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { campaignControl } from '#functions/campaigns/control';
import { cancelCampaign, resumeCampaign } from '#functions/campaigns/lifecycle';
import { handleUnpark, UNPARK_PAGE } from '#functions/campaigns/parking';
import type { Campaign, ExpandMessage, UnparkMessage } from '#functions/campaigns/schema';
import { type CampaignStore, campaignStore } from '#functions/campaigns/store';
import type { SendBatch } from '#functions/sending/contracts';
import { zeroCounters } from '#functions/sending/counters';
import { createDocumentClient } from '#platform/dynamo';
import { newId } from '#platform/ids';
import { Table } from '#platform/table';
import { ensureTable } from '#platform/table-admin';
import { assertLocalEndpoint } from '#test/support/local-only';

/*
 * A paused campaign's batches are parked in the table instead of bouncing on the queue until
 * the DLQ takes them; resume puts every one back exactly once. Against DynamoDB Local, whose
 * transactions cancel on a failed ConditionCheck as DynamoDB does.
 */
const doc = createDocumentClient({
  region: 'us-east-1',
  endpoint: assertLocalEndpoint(inject('dynamoEndpoint')),
});
let store: CampaignStore;
const clock = () => new Date('2026-11-25T09:00:00Z');

beforeAll(async () => {
  const name = `parking-${randomUUID()}`;
  await ensureTable(doc, name);
  store = campaignStore(new Table(doc, name));
});
afterAll(() => doc.destroy());

const newCampaign = async (status: Campaign['status'], partnerId = 'northwind'): Promise<Campaign> => {
  const now = clock().toISOString();
  const campaign: Campaign = {
    id: newId(),
    partnerId,
    name: 'Parking test',
    kitId: 'zero-trust-webinar',
    kitVersion: '1.0.0',
    kitName: 'Zero trust webinar',
    approvalRequired: false,
    slots: {},
    listId: 'L1',
    slug: `parking-${randomUUID().slice(0, 8)}`,
    status,
    scheduledAt: null,
    submittedAt: null,
    decisions: [],
    launchedAt: now,
    pausedAt: status === 'paused' ? now : null,
    pauseReason: null,
    cancelledAt: null,
    sentAt: null,
    audienceSize: null,
    createdAt: now,
    createdBy: 'u-northwind-1',
    updatedAt: now,
    version: 1,
  };
  await store.create(campaign);
  return campaign;
};

const batchOf = (campaign: Pick<Campaign, 'id' | 'partnerId'>, n: number): SendBatch => ({
  kind: 'send-batch',
  campaignId: campaign.id,
  partnerId: campaign.partnerId,
  batchId: `${campaign.id}:0:${n}`,
  recipients: [{ email: `r${n}@parking.example`, firstName: 'Río', lastName: '', company: 'Acme' }],
});

/** The queue as the campaign steps see it: batches and steps kept in order. */
const queueFor = () => {
  const batches: SendBatch[] = [];
  const steps: (ExpandMessage | UnparkMessage)[] = [];
  return {
    batches,
    steps,
    deps: {
      store,
      clock,
      enqueueBatch: async (batch: SendBatch) => void batches.push(batch),
      enqueueStep: async (step: ExpandMessage | UnparkMessage) => void steps.push(step),
      audience: { listMembersPage: async () => ({ items: [], nextCursor: null }) },
      counters: { add: async () => {}, get: async () => zeroCounters() },
      scheduler: { schedule: async () => {}, cancel: async () => true },
    },
  };
};

/** Runs unpark steps the way the queue would, until none is left. */
const drainUnpark = async (queue: ReturnType<typeof queueFor>) => {
  let step = queue.steps.shift();
  while (step) {
    if (step.kind === 'unpark') await handleUnpark(queue.deps, step);
    step = queue.steps.shift();
  }
};

describe('parking the batches of a paused campaign', () => {
  it('parks a batch only while the campaign is paused, and only for its own partner', async () => {
    const paused = await newCampaign('paused');
    const sending = await newCampaign('sending');
    const control = campaignControl(store, clock);

    expect(await control.park(batchOf(paused, 0))).toBe(true);
    expect(await control.park(batchOf(sending, 0))).toBe(false);
    // Someone else's batch naming this campaign is not parked under it.
    expect(await control.park(batchOf({ id: paused.id, partnerId: 'contoso' }, 1))).toBe(false);

    expect((await store.parkedBatches(paused.id, 10)).items).toEqual([batchOf(paused, 0)]);
    expect((await store.parkedBatches(sending.id, 10)).items).toEqual([]);
  });

  it('puts every parked batch back on the queue exactly once when the campaign resumes', async () => {
    const campaign = await newCampaign('paused');
    const control = campaignControl(store, clock);
    // More than one page, so the unpark step has to hand on to a next step.
    const count = UNPARK_PAGE + 3;
    for (let n = 0; n < count; n += 1) expect(await control.park(batchOf(campaign, n))).toBe(true);
    // A redelivered batch parks again under the same key: still one.
    expect(await control.park(batchOf(campaign, 3))).toBe(true);

    const queue = queueFor();
    expect(await resumeCampaign(queue.deps, campaign.partnerId, campaign.id)).toMatchObject({
      status: 'sending',
    });
    expect(queue.steps).toEqual([{ kind: 'unpark', campaignId: campaign.id, partnerId: campaign.partnerId }]);
    await drainUnpark(queue);

    expect(queue.batches.map((b) => b.batchId).sort()).toEqual(
      Array.from({ length: count }, (_, n) => batchOf(campaign, n).batchId).sort(),
    );
    expect((await store.parkedBatches(campaign.id, 10)).items).toEqual([]);
    // Once resumed, nothing parks any more: the worker sends instead.
    expect(await control.park(batchOf(campaign, 99))).toBe(false);
  }, 90_000);

  it('hands a cancelled campaign’s parked batches back so the worker drops them, leaving none behind', async () => {
    const campaign = await newCampaign('paused');
    const control = campaignControl(store, clock);
    await control.park(batchOf(campaign, 0));
    const queue = queueFor();
    await cancelCampaign(queue.deps, campaign.partnerId, campaign.id);
    await drainUnpark(queue);
    expect(queue.batches.map((b) => b.batchId)).toEqual([batchOf(campaign, 0).batchId]);
    expect((await store.parkedBatches(campaign.id, 10)).items).toEqual([]);
  });
});
