import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { type LeadEffectsDeps, leadEffectsHandler } from '#functions/leads/effects/consumer';
import type { DeliveryDeps } from '#functions/leads/effects/deliver';
import { leadEventPublisher } from '#functions/leads/effects/publish';
import type { StoredDelivery, StoredWebhook } from '#functions/leads/effects/schema';
import { webhookSecretBox } from '#functions/leads/effects/secret-box';
import type { LeadEvent } from '#functions/leads/lead-events';

const WEBHOOK_ID = '01JD2Q4ZV3W8X6Y1N0P5R7T9KM';
const DELIVERY_ID = '01JD2Q4ZV3W8X6Y1N0P5R7T9KN';
const now = new Date('2026-11-24T12:00:00.000Z');
const box = webhookSecretBox('a-root-secret-of-at-least-thirty-two-characters!');

const record = (body: unknown, receiveCount = 1, id = 'm-1'): SQSRecord => ({
  messageId: id,
  receiptHandle: `${id}-handle`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:lead-effects',
  awsRegion: 'us-east-1',
});

const webhook: StoredWebhook = {
  id: WEBHOOK_ID,
  name: 'CRM',
  url: 'https://hooks.crm.example.com/in',
  programs: 'all',
  events: ['lead-captured'],
  enabled: true,
  secretHint: 'whsec_…abcd',
  sealedSecret: box.seal('whsec_test', WEBHOOK_ID),
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  version: 1,
};

/** One delivery in memory, with the store calls the delivery step makes. */
const deliveryStore = (stored: StoredWebhook | undefined) => {
  let delivery: StoredDelivery = {
    id: DELIVERY_ID,
    webhookId: WEBHOOK_ID,
    eventId: DELIVERY_ID,
    eventType: 'lead-captured',
    leadId: 'L',
    status: 'pending',
    reason: null,
    attempts: [],
    nextAttemptAt: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
    body: '{"id":"x"}',
    enqueued: true,
  };
  const webhooks: DeliveryDeps['webhooks'] = {
    get: async () => stored,
    getDelivery: async () => delivery,
    updateDelivery: async (current, changes) => {
      delivery = { ...current, ...changes, version: current.version + 1 };
      return delivery;
    },
  };
  return { webhooks, current: () => delivery };
};

const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

const handlerWith = (overrides: {
  status?: number | null;
  stored?: StoredWebhook | undefined;
  getLead?: LeadEffectsDeps['getLead'];
}) => {
  const store = deliveryStore('stored' in overrides ? overrides.stored : webhook);
  const post = vi.fn(async () => ({
    statusCode: overrides.status ?? null,
    durationMs: 12,
    error: overrides.status === null ? 'no answer within 10000 ms' : null,
    responseBody: null,
  }));
  const deferRetry = vi.fn(async () => {});
  const unused = () => {
    throw new Error('not used in this test');
  };
  const deps: LeadEffectsDeps = {
    getLead: overrides.getLead ?? (async () => undefined),
    notify: {
      markers: { notifyOnce: unused, claim: unused, complete: unused, release: unused },
      partners: { get: unused },
      brands: { get: unused },
      campaigns: { get: unused },
      suppressions: { why: unused },
      mailer: { sendEmail: unused },
      sender: { fromAddress: 'n@mail.vendor.example', vendorName: 'Vendor', configurationSetName: undefined },
      portalBaseUrl: 'https://portal.vendor.example',
      clock: () => now,
      logger,
    },
    fanOut: {
      webhooks: { list: unused, createDelivery: unused, updateDelivery: unused },
      partners: { get: unused },
      enqueue: unused,
      view: (lead) => lead,
      clock: () => now,
    },
    deliver: { webhooks: store.webhooks, secrets: box, post, clock: () => now, logger, random: () => 0 },
    deferRetry,
    logger,
  };
  return { handle: leadEffectsHandler(deps), post, deferRetry, delivery: store.current };
};

const message = { kind: 'webhook-delivery', webhookId: WEBHOOK_ID, deliveryId: DELIVERY_ID };

describe('the lead-effects consumer', () => {
  it('fails only the malformed record of a batch (partial batch response)', async () => {
    const { handle } = handlerWith({ status: 200 });

    const response = await handle({
      Records: [
        record('{not json', 1, 'bad-1'),
        record({ kind: 'nope' }, 1, 'bad-2'),
        record(message, 1, 'ok'),
      ],
    });

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'bad-1' }, { itemIdentifier: 'bad-2' }],
    });
  });

  it('delivers on a 2xx, signs with the webhook’s secret, and does nothing for a duplicate message', async () => {
    const { handle, post, delivery } = handlerWith({ status: 204 });

    expect(await handle({ Records: [record(message)] })).toEqual({ batchItemFailures: [] });
    expect(await handle({ Records: [record(message)] })).toEqual({ batchItemFailures: [] });

    expect(post).toHaveBeenCalledTimes(1);
    expect(post).toHaveBeenCalledWith('https://hooks.crm.example.com/in', '{"id":"x"}', {
      'ChannelKit-Signature': expect.stringMatching(/^t=1795521600,v1=[0-9a-f]{64}$/),
      'ChannelKit-Delivery-Id': DELIVERY_ID,
    });
    expect(delivery()).toMatchObject({ status: 'delivered', attempts: [{ attempt: 1, statusCode: 204 }] });
  });

  it('defers a failed attempt by its backoff and reports it failed, so the queue brings it back', async () => {
    const { handle, deferRetry, delivery } = handlerWith({ status: 503 });

    const response = await handle({ Records: [record(message, 2)] });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(deferRetry).toHaveBeenCalledWith(expect.objectContaining({ messageId: 'm-1' }), 60);
    expect(delivery()).toMatchObject({
      status: 'pending',
      nextAttemptAt: '2026-11-24T12:01:00.000Z',
      attempts: [{ attempt: 1, statusCode: 503, durationMs: 12 }],
    });
  });

  it('logs the last attempt as failed and leaves the message to the dead-letter queue', async () => {
    const { handle, deferRetry, delivery } = handlerWith({ status: null });

    const response = await handle({ Records: [record(message, 8)] });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(deferRetry).not.toHaveBeenCalled();
    expect(delivery()).toMatchObject({
      status: 'failed',
      nextAttemptAt: null,
      attempts: [{ statusCode: null, error: 'no answer within 10000 ms' }],
    });
  });

  it('cancels a delivery whose webhook was deleted or disabled, without sending it', async () => {
    for (const stored of [undefined, { ...webhook, enabled: false }]) {
      const { handle, post, delivery } = handlerWith({ status: 200, stored });

      expect(await handle({ Records: [record(message)] })).toEqual({ batchItemFailures: [] });
      expect(post).not.toHaveBeenCalled();
      expect(delivery()).toMatchObject({
        status: 'cancelled',
        reason: expect.stringMatching(/deleted|disabled/),
      });
    }
  });

  it('drops an event whose lead is not stored (nothing to notify about)', async () => {
    const getLead = vi.fn(async () => undefined);
    const { handle } = handlerWith({ getLead });
    const event: LeadEvent = {
      kind: 'lead-captured',
      leadId: 'L',
      partnerIds: [],
      becameEql: true,
      version: 1,
      at: now.toISOString(),
    };

    expect(await handle({ Records: [record(event)] })).toEqual({ batchItemFailures: [] });
    expect(getLead).toHaveBeenCalledWith('L');
  });
});

describe('the lead event publisher', () => {
  const event: LeadEvent = {
    kind: 'lead-captured',
    leadId: '01JD2Q4ZV3W8X6Y1N0P5R7T9KM',
    campaignId: '01JCAMPAIGN',
    partnerIds: ['northwind'],
    becameEql: true,
    version: 1,
    at: now.toISOString(),
  };

  it('puts the event on the queue as it is', async () => {
    const enqueue = vi.fn(async () => {});
    await leadEventPublisher({ enqueue, logger })(event);
    expect(enqueue).toHaveBeenCalledWith(event);
  });

  it('never throws: the lead is stored already, so a queue outage is logged, not raised', async () => {
    const error = vi.fn();
    const publish = leadEventPublisher({
      enqueue: async () => {
        throw new Error('SQS is down');
      },
      logger: { error },
    });

    await expect(publish(event)).resolves.toBeUndefined();
    expect(error).toHaveBeenCalledWith('lead event not published: no notification or webhook for it', {
      leadId: event.leadId,
      version: 1,
      kind: 'lead-captured',
      error: 'SQS is down',
    });
  });
});
