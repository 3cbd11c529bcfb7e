import { describe, expect, it } from 'vitest';
import { notificationKey } from '#functions/campaigns/keys';
import {
  ALL_WEBHOOKS,
  deliveriesOf,
  deliveryKey,
  EFFECT_RETENTION_DAYS,
  effectKey,
  expiresAfter,
  LEAD_EFFECTS_READ_PREFIXES,
  LEAD_EFFECTS_WRITE_PREFIXES,
  webhookKey,
} from '#functions/leads/effects/keys';
import { leadKey } from '#functions/leads/lead-keys';

describe('lead-effect keys', () => {
  it('are exactly these items', () => {
    expect(webhookKey('01JWEBHOOK')).toEqual({ pk: 'WEBHOOKS', sk: 'WEBHOOK#01JWEBHOOK' });
    expect(ALL_WEBHOOKS).toEqual({ partition: 'WEBHOOKS', prefix: 'WEBHOOK#' });
    expect(deliveryKey('01JWEBHOOK', '01JDELIVERY')).toEqual({
      pk: 'WEBHOOK#01JWEBHOOK',
      sk: 'DELIVERY#01JDELIVERY',
    });
    expect(deliveriesOf('01JWEBHOOK')).toEqual({
      partition: 'WEBHOOK#01JWEBHOOK',
      prefix: 'DELIVERY#',
      newestFirst: true,
    });
    expect(
      effectKey({ leadId: '01JLEAD', version: 12, kind: 'lead-captured' }, 'email', 'northwind'),
    ).toEqual({
      pk: 'LEADEFFECT#01JLEAD',
      sk: 'V00000012#lead-captured#email#northwind',
    });
  });

  it('expire after the queue and its dead letters are done with them', () => {
    const now = new Date('2026-11-24T12:00:00.000Z');
    expect(EFFECT_RETENTION_DAYS).toBeGreaterThan(28);
    expect(expiresAfter(now)).toBe(1795521600 + 45 * 86_400);
    expect(expiresAfter(now, 30)).toBe(1795521600 + 30 * 86_400);
  });

  it('fall inside the partition prefixes the worker’s IAM grant names', () => {
    const written = [
      deliveryKey('W', 'D'),
      effectKey({ leadId: 'L', version: 1, kind: 'lead-captured' }, 'portal', 'p'),
      notificationKey('northwind', 'N'),
    ];
    for (const key of written)
      expect(
        LEAD_EFFECTS_WRITE_PREFIXES.some((p) => key.pk.startsWith(p)),
        key.pk,
      ).toBe(true);
    // The worker reads webhooks and leads but never writes them.
    for (const key of [webhookKey('W'), leadKey('L')]) {
      expect(
        LEAD_EFFECTS_WRITE_PREFIXES.some((p) => key.pk.startsWith(p)),
        key.pk,
      ).toBe(false);
      expect(
        LEAD_EFFECTS_READ_PREFIXES.some((p) => key.pk.startsWith(p)),
        key.pk,
      ).toBe(true);
    }
  });
});
