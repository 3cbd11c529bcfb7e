import { describe, expect, it } from 'vitest';
import { memoryCounterStore } from '#functions/sending/counters';
import { clickChange, defaultClickRules, outcomeChange } from '#functions/sending/engagement';
import {
  consumeSesEvent,
  type EventDeps,
  eventMarkerKey,
  sesEventBridgeSchema,
  sesEventSchema,
  tableEventMarkers,
} from '#functions/sending/events';
import { memoryTable } from '#functions/sending/memory-table';
import type { SuppressionEntry } from '#functions/sending/ports';
import { silentLogger } from '#functions/sending/ports';
import { type SendRecord, sendRecords } from '#functions/sending/send-records';
import { simulatedEvents } from '#functions/sending/simulated-events';

const now = new Date('2026-11-24T12:00:00Z');
const tags = { campaign: 'C1', partner: 'northwind', send: 'rkey000000000000000001' };

const setup = async (email = 'success@simulator.amazonses.com') => {
  const table = memoryTable();
  const records = sendRecords(table, { leaseMs: 60_000, retentionDays: 400 });
  const counters = memoryCounterStore();
  const suppressed: SuppressionEntry[] = [];
  const deps: EventDeps = {
    records,
    counters,
    markers: tableEventMarkers(table),
    suppressions: { suppress: async (entry) => void suppressed.push(entry) },
    clock: () => now,
    logger: silentLogger,
  };
  const send = {
    campaignId: 'C1',
    recipientKey: tags.send,
    partnerId: 'northwind',
    email,
    links: ['https://a.example/'],
  };
  const claim = await records.claim(send, now);
  if (claim.kind !== 'claimed') throw new Error('not claimed');
  return { deps, records, counters, suppressed, claim: claim.record, email };
};

const events = (email: string, messageId = 'ses-1') =>
  simulatedEvents({ to: email, tags }, messageId, now).map((d) => sesEventSchema.parse(d));

describe('SES event parsing', () => {
  it('accepts the EventBridge envelope of each simulated event, and refuses malformed ones', () => {
    for (const detail of simulatedEvents({ to: 'complaint@simulator.amazonses.com', tags }, 'm', now)) {
      expect(sesEventBridgeSchema.safeParse({ source: 'aws.ses', 'detail-type': 'x', detail }).success).toBe(
        true,
      );
    }
    expect(sesEventSchema.safeParse({ eventType: 'Bounce', mail: { messageId: 'm' } }).success).toBe(false);
    expect(sesEventSchema.safeParse({ eventType: 'Nope', mail: { messageId: 'm' } }).success).toBe(false);
    expect(sesEventSchema.safeParse({ eventType: 'Send', mail: {} }).success).toBe(false);
  });

  it('follows the mailbox simulator', () => {
    const types = (to: string) => simulatedEvents({ to, tags }, 'm', now).map((e) => e.eventType);
    expect(types('success@simulator.amazonses.com')).toEqual(['Send', 'Delivery']);
    expect(types('bounce@simulator.amazonses.com')).toEqual(['Send', 'Bounce']);
    expect(types('complaint@simulator.amazonses.com')).toEqual(['Send', 'Delivery', 'Complaint']);
    expect(types('suppressionlist@simulator.amazonses.com')).toEqual(['Send', 'Bounce']);
    expect(types('someone@example.com')).toEqual(['Send', 'Delivery']);
    expect(
      simulatedEvents({ to: 'suppressionlist@simulator.amazonses.com', tags }, 'm', now)[1],
    ).toMatchObject({
      bounce: { bounceType: 'Permanent', bounceSubType: 'OnAccountSuppressionList' },
    });
  });

  it('keys idempotency by message, type and recipient, and opens/clicks also by time and link', () => {
    const [send] = events('a@example.com');
    if (!send) throw new Error('no event');
    expect(eventMarkerKey(send, 'A@example.com')).toEqual(eventMarkerKey(send, 'a@example.com'));
    const click = sesEventSchema.parse({
      eventType: 'Click',
      mail: { messageId: 'ses-1', destination: ['a@example.com'] },
      click: { timestamp: '2026-11-24T12:00:05Z', link: 'https://a.example/' },
    });
    const later = { ...click, click: { timestamp: '2026-11-24T12:09:00Z', link: 'https://a.example/' } };
    expect(eventMarkerKey(click, 'a@example.com').sk).not.toBe(eventMarkerKey(later, 'a@example.com').sk);
    expect(eventMarkerKey(click, 'a@example.com').pk).toBe('SESEVT#ses-1');
  });
});

describe('SES event consumer', () => {
  it('moves counters once however many copies of each event arrive, in any order', async () => {
    const { deps, counters, records, claim } = await setup();
    await records.markSent(claim, 'ses-1', now);
    const [send, delivery] = events('success@simulator.amazonses.com');
    if (!send || !delivery) throw new Error('no events');
    for (const event of [delivery, send, delivery, delivery, send, delivery, delivery, delivery]) {
      await consumeSesEvent(deps, event);
    }
    expect(await counters.get('C1')).toMatchObject({ sent: 0, delivered: 1 });
  });

  it('marks a claimed send sent from the Send event when the worker died before doing so', async () => {
    const { deps, counters, records } = await setup();
    const [send] = events('success@simulator.amazonses.com', 'ses-9');
    if (!send) throw new Error('no event');
    expect(await consumeSesEvent(deps, send)).toEqual({ sent: 1 });
    expect(await consumeSesEvent(deps, send)).toEqual({});
    expect(await records.byMessageId('ses-9')).toMatchObject({ status: 'sent', messageId: 'ses-9' });
    expect((await counters.get('C1')).sent).toBe(1);
  });

  it('lets a later Bounce win over a Delivery (and not the reverse), and suppresses hard bounces globally', async () => {
    const { deps, counters, records, claim, suppressed } = await setup('bounce@simulator.amazonses.com');
    await records.markSent(claim, 'ses-1', now);
    const delivery = sesEventSchema.parse({
      eventType: 'Delivery',
      mail: {
        messageId: 'ses-1',
        destination: ['bounce@simulator.amazonses.com'],
        tags: { campaign: ['C1'], send: [tags.send] },
      },
      delivery: { recipients: ['bounce@simulator.amazonses.com'] },
    });
    const bounce = events('bounce@simulator.amazonses.com')[1];
    if (!bounce) throw new Error('no bounce');
    await consumeSesEvent(deps, delivery);
    await consumeSesEvent(deps, bounce);
    await consumeSesEvent(deps, {
      ...delivery,
      delivery: { recipients: ['bounce@simulator.amazonses.com'], timestamp: 'later' },
    });
    expect(await counters.get('C1')).toMatchObject({ delivered: 0, bounced: 1 });
    expect((await records.get(claim))?.outcome).toBe('bounced');
    expect(suppressed).toEqual([
      { scope: 'global', email: 'bounce@simulator.amazonses.com', reason: 'hard-bounce' },
    ]);
  });

  it('counts a complaint once and suppresses the address globally', async () => {
    const { deps, counters, records, claim, suppressed } = await setup('complaint@simulator.amazonses.com');
    await records.markSent(claim, 'ses-1', now);
    for (const event of [
      ...events('complaint@simulator.amazonses.com'),
      ...events('complaint@simulator.amazonses.com'),
    ]) {
      await consumeSesEvent(deps, event);
    }
    expect(await counters.get('C1')).toMatchObject({ delivered: 1, complained: 1 });
    expect(suppressed).toEqual([
      { scope: 'global', email: 'complaint@simulator.amazonses.com', reason: 'complaint' },
    ]);
  });
});

describe('engagement rules', () => {
  const record: SendRecord = {
    campaignId: 'C1',
    partnerId: 'p',
    recipientKey: 'r',
    email: 'a@b.example',
    status: 'sent',
    attempt: 1,
    leaseUntil: 0,
    links: ['https://a.example/', 'https://b.example/'],
    sentAt: now.toISOString(),
    version: 2,
  };
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it('orders outcomes delivered < soft bounce < hard bounce', () => {
    expect(outcomeChange(record, 'delivered')?.increments).toEqual({ delivered: 1 });
    expect(outcomeChange({ ...record, outcome: 'delivered' }, 'bounced')?.increments).toEqual({
      bounced: 1,
      delivered: -1,
    });
    expect(outcomeChange({ ...record, outcome: 'bounced' }, 'delivered')).toBeUndefined();
    expect(outcomeChange({ ...record, outcome: 'delivered' }, 'delivered')).toBeUndefined();
  });

  it('counts every click raw, the first uniquely, and as human only a GET after the first seconds, not in a burst', () => {
    const rules = defaultClickRules;
    expect(clickChange(record, { link: 0, at: at(2), method: 'GET' }, rules).increments).toEqual({
      clicked: 1,
      uniqueClicked: 1,
    });
    expect(clickChange(record, { link: 0, at: at(60), method: 'HEAD' }, rules).human).toBe(false);
    expect(clickChange(record, { link: 0, at: at(60), method: 'GET' }, rules).increments).toEqual({
      clicked: 1,
      uniqueClicked: 1,
      humanClicked: 1,
      uniqueHumanClicked: 1,
    });
    const scanned = {
      ...record,
      clickedAt: at(60).toISOString(),
      lastClick: { at: at(60).getTime(), link: 0 },
    };
    expect(clickChange(scanned, { link: 1, at: at(60.5), method: 'GET' }, rules).human).toBe(false);
    expect(clickChange(scanned, { link: 0, at: at(61), method: 'GET' }, rules).increments).toEqual({
      clicked: 1,
      humanClicked: 1,
      uniqueHumanClicked: 1,
    });
  });
});
