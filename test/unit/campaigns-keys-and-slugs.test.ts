import { describe, expect, it } from 'vitest';
import {
  APPROVAL_QUEUE,
  campaignIndexKeys,
  campaignKey,
  campaignsOf,
  expandPageKey,
  notificationKey,
  notificationsOf,
  slugKey,
} from '#functions/campaigns/keys';
import { campaignSlug, randomSuffix, SLUG_PATTERN, slugBase } from '#functions/campaigns/slug';

const id = '01JD2Q4ZV3W8X6Y1N0P5R7T9KM';

describe('campaign keys', () => {
  it('keys a campaign by its id, so the send engine can read it by id alone', () => {
    expect(campaignKey(id)).toEqual({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' });
  });

  it('lists a draft under its partner and keeps it out of the approval queue', () => {
    expect(campaignIndexKeys({ id, partnerId: 'northwind', status: 'draft', submittedAt: null })).toEqual({
      gsi1pk: 'PARTNER#northwind',
      gsi1sk: `CAMPAIGN#${id}`,
    });
  });

  it('queues a campaign pending approval by submission time', () => {
    expect(
      campaignIndexKeys({
        id,
        partnerId: 'northwind',
        status: 'pending-approval',
        submittedAt: '2026-11-24T10:00:00.000Z',
      }),
    ).toEqual({
      gsi1pk: 'PARTNER#northwind',
      gsi1sk: `CAMPAIGN#${id}`,
      gsi2pk: 'APPROVALS',
      gsi2sk: `SUBMITTED#2026-11-24T10:00:00.000Z#${id}`,
    });
  });

  it('leaves the queue once decided, even though the submission time stays', () => {
    expect(
      campaignIndexKeys({
        id,
        partnerId: 'northwind',
        status: 'approved',
        submittedAt: '2026-11-24T10:00:00.000Z',
      }),
    ).not.toHaveProperty('gsi2pk');
  });

  it('keys slugs, expansion pages and notifications', () => {
    expect(slugKey('spring-webinar-7k2m9x')).toEqual({ pk: 'SLUG#spring-webinar-7k2m9x', sk: 'SLUG' });
    expect(expandPageKey(id, 12)).toEqual({ pk: `CAMPAIGN#${id}`, sk: 'EXPAND#000012' });
    expect(notificationKey('northwind', id)).toEqual({ pk: 'PARTNER#northwind', sk: `NOTIFICATION#${id}` });
  });

  it('queries a partner’s campaigns and notifications newest first and the approval queue oldest first', () => {
    expect(campaignsOf('northwind')).toEqual({
      index: 'gsi1',
      partition: 'PARTNER#northwind',
      prefix: 'CAMPAIGN#',
      newestFirst: true,
    });
    expect(APPROVAL_QUEUE).toEqual({ index: 'gsi2', partition: 'APPROVALS', prefix: 'SUBMITTED#' });
    expect(notificationsOf('northwind')).toEqual({
      partition: 'PARTNER#northwind',
      prefix: 'NOTIFICATION#',
      newestFirst: true,
    });
  });
});

describe('landing-page slugs', () => {
  it('derives a readable, URL-safe slug from the name and a random suffix', () => {
    expect(campaignSlug('Zero Trust: Spring Webinar (NA)', () => '7k2m9x')).toBe(
      'zero-trust-spring-webinar-na-7k2m9x',
    );
  });

  it('folds accents, drops symbols and emoji, and never starts or ends with a dash', () => {
    expect(slugBase('  Café Münster — Überblick 🚀 ')).toBe('cafe-munster-uberblick');
    expect(slugBase('***')).toBe('campaign');
    expect(slugBase('日本語キャンペーン')).toBe('campaign');
  });

  it('keeps the readable part short, cutting at a dash', () => {
    const base = slugBase(`${'a'.repeat(39)} and then some more words`);
    expect(base).toBe('a'.repeat(39));
    expect(base.length).toBeLessThanOrEqual(40);
  });

  it('draws six characters from an alphabet without look-alikes', () => {
    const suffixes = new Set(Array.from({ length: 200 }, () => randomSuffix()));
    expect(suffixes.size).toBeGreaterThan(195);
    for (const suffix of suffixes) expect(suffix).toMatch(/^[0-9abcdefghjkmnpqrstvwxyz]{6}$/);
    expect(campaignSlug('Spring offer')).toMatch(SLUG_PATTERN);
  });
});
