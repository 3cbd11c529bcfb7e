import type { SESEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createRouter } from '#functions/http/router';
import { memoryCounterStore } from '#functions/sending/counters';
import { memoryTable } from '#functions/sending/memory-table';
import type { Logger, SuppressionEntry } from '#functions/sending/ports';
import { type SendRecords, sendRecords } from '#functions/sending/send-records';
import { createTokenSigner, recipientKey } from '#functions/sending/tokens';
import {
  handleMailtoUnsubscribe,
  type InboundUnsubscribe,
  type MailtoDeps,
  sesReceiptHandler,
  tokensInSubject,
} from '#functions/tracking/mailto-unsubscribe';
import { trackingRoutes } from '#functions/tracking/routes';

const now = new Date('2026-11-24T12:00:00Z');
const keys = { current: 'k1', keys: { k1: 'unit-mailto-key-0123456789abcdefghij' } };
const TOKEN = 'k1.u~lr~C1~AAAAAAAAAAAAAAAAAAAAAA.0123456789abcdefghijABCDEFGHIJ_-0123456789ab';

const setup = () => {
  const table = memoryTable();
  const records = sendRecords(table, { leaseMs: 60_000, retentionDays: 400 });
  const counters = memoryCounterStore();
  const suppressed: SuppressionEntry[] = [];
  const logged: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const log =
    (level: string) =>
    (message: string, extra?: Record<string, unknown>): void =>
      void logged.push({ level, message, ...(extra ? { extra } : {}) });
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };
  const tokens = createTokenSigner({ keys, clock: () => now });
  const deps: MailtoDeps = {
    records,
    tokens,
    counters,
    suppressions: { suppress: async (entry) => void suppressed.push(entry) },
    clock: () => now,
    logger,
  };
  /** A send the worker finished: claimed, then marked sent with an SES message id. */
  const sent = async (email: string, campaignId = 'C1', partnerId = 'northwind') => {
    const rkey = recipientKey('unit-recipient-secret', campaignId, email);
    const claim = await records.claim({ campaignId, recipientKey: rkey, partnerId, email, links: [] }, now);
    if (claim.kind !== 'claimed') throw new Error('not claimed');
    await records.markSent(claim.record, `ses-${email}`, now);
    return {
      ref: { campaignId, recipientKey: rkey },
      token: tokens.sign({ campaignId, recipientKey: rkey, purpose: 'unsubscribe' }),
    };
  };
  return { deps, records, counters, suppressed, logged, tokens, sent };
};

const verdicts = {
  spam: 'PASS',
  virus: 'PASS',
  spf: 'PASS',
  dkim: 'PASS',
  dmarc: 'PASS',
} satisfies InboundUnsubscribe['verdicts'];

const mail = (subject: string | undefined, over: Partial<InboundUnsubscribe> = {}): InboundUnsubscribe => ({
  messageId: 'inbound-1',
  from: ['reader@contoso.example'],
  to: ['unsubscribe@mail.vendor.example'],
  subject,
  verdicts,
  ...over,
});

describe('tokens in an unsubscribe subject', () => {
  it('finds the token as the header built it: unsubscribe-<token>', () => {
    expect(tokensInSubject(`unsubscribe-${TOKEN}`)).toEqual([TOKEN]);
  });

  it('tolerates reply and forward prefixes, surrounding whitespace and the case of "unsubscribe"', () => {
    for (const subject of [
      `Re: unsubscribe-${TOKEN}`,
      `RE: Fwd: unsubscribe-${TOKEN}`,
      `AW:unsubscribe-${TOKEN}`,
      `  \tunsubscribe-${TOKEN}  \r\n`,
      `UNSUBSCRIBE-${TOKEN}`,
      `Unsubscribe-${TOKEN}.`,
      `[External] unsubscribe-${TOKEN}`,
    ]) {
      expect(tokensInSubject(subject), subject).toEqual([TOKEN]);
    }
  });

  it('keeps the token exactly as written (tokens are case-sensitive)', () => {
    expect(tokensInSubject(`unsubscribe-${TOKEN.toLowerCase()}`)).toEqual([TOKEN.toLowerCase()]);
  });

  it('finds nothing in subjects without a token, or with the word glued to another', () => {
    for (const subject of [
      undefined,
      '',
      'unsubscribe',
      'Please unsubscribe me',
      'unsubscribe-short',
      `xunsubscribe-${TOKEN}`,
      `unsubscribe ${TOKEN}`,
    ]) {
      expect(tokensInSubject(subject), String(subject)).toEqual([]);
    }
  });

  it('offers at most three distinct candidates, so a subject cannot make us verify many', () => {
    const many = Array.from({ length: 10 }, (_, i) => `unsubscribe-${TOKEN}${i}`).join(' ');
    expect(tokensInSubject(`${many} unsubscribe-${TOKEN}0`)).toEqual([`${TOKEN}0`, `${TOKEN}1`, `${TOKEN}2`]);
    expect(tokensInSubject(`unsubscribe-${TOKEN} re: unsubscribe-${TOKEN}`)).toEqual([TOKEN]);
  });
});

describe('a received unsubscribe email', () => {
  it('suppresses the address for the send’s partner, marks the send and counts one unsubscribe', async () => {
    const { deps, records, counters, suppressed, sent } = setup();
    const { ref, token } = await sent('reader@contoso.example');

    const outcome = await handleMailtoUnsubscribe(deps, mail(`Re: unsubscribe-${token}`));

    expect(outcome).toEqual({ kind: 'unsubscribed', campaignId: 'C1', partnerId: 'northwind' });
    expect(suppressed).toEqual([
      { scope: 'partner', partnerId: 'northwind', email: 'reader@contoso.example', reason: 'unsubscribe' },
    ]);
    expect((await records.get(ref))?.unsubscribedAt).toBe(now.toISOString());
    expect((await counters.get('C1')).unsubscribed).toBe(1);
  });

  it('counts once when the same email is processed twice', async () => {
    const { deps, counters, sent } = setup();
    const { token } = await sent('reader@contoso.example');

    await handleMailtoUnsubscribe(deps, mail(`unsubscribe-${token}`));
    const again = await handleMailtoUnsubscribe(deps, mail(`unsubscribe-${token}`));

    expect(again).toEqual({ kind: 'already', campaignId: 'C1', partnerId: 'northwind' });
    expect((await counters.get('C1')).unsubscribed).toBe(1);
  });

  it('does not require the From address to be the recipient (forwarded mail, aliases): the token is the proof', async () => {
    const { deps, suppressed, sent } = setup();
    const { token } = await sent('reader@contoso.example');

    const outcome = await handleMailtoUnsubscribe(
      deps,
      mail(`unsubscribe-${token}`, { from: ['someone.else@elsewhere.example'] }),
    );

    expect(outcome.kind).toBe('unsubscribed');
    expect(suppressed.map((s) => s.email)).toEqual(['reader@contoso.example']);
  });

  it('acts on failing spam, SPF, DKIM and DMARC verdicts (logged), since a forged sender gains nothing', async () => {
    const { deps, counters, logged, sent } = setup();
    const { token } = await sent('reader@contoso.example');
    const failing = { spam: 'FAIL', virus: 'PASS', spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' };

    const outcome = await handleMailtoUnsubscribe(deps, mail(`unsubscribe-${token}`, { verdicts: failing }));

    expect(outcome.kind).toBe('unsubscribed');
    expect((await counters.get('C1')).unsubscribed).toBe(1);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'info', extra: expect.objectContaining({ verdicts: failing }) }),
    );
  });

  it('ignores an email whose virus verdict fails, and logs why', async () => {
    const { deps, records, counters, suppressed, logged, sent } = setup();
    const { ref, token } = await sent('reader@contoso.example');

    const outcome = await handleMailtoUnsubscribe(
      deps,
      mail(`unsubscribe-${token}`, { verdicts: { ...verdicts, virus: 'FAIL' } }),
    );

    expect(outcome).toEqual({ kind: 'ignored', reason: 'virus' });
    expect(suppressed).toEqual([]);
    expect((await records.get(ref))?.unsubscribedAt).toBeUndefined();
    expect((await counters.get('C1')).unsubscribed).toBe(0);
    expect(logged).toEqual([
      expect.objectContaining({ level: 'warn', extra: expect.objectContaining({ reason: 'virus' }) }),
    ]);
  });

  it('ignores tampered, foreign, other-purpose and missing tokens', async () => {
    const { deps, suppressed, tokens, sent } = setup();
    const { ref, token } = await sent('reader@contoso.example');
    const [kid, body] = token.split('.');
    const tampered = `${kid}.${body?.replace('~C1~', '~C2~')}.${token.split('.')[2]}`;
    const foreign = createTokenSigner({
      keys: { current: 'k1', keys: { k1: 'another-deployments-key-0123456789abcdef' } },
      clock: () => now,
    }).sign({ ...ref, purpose: 'unsubscribe' });
    const open = tokens.sign({ ...ref, purpose: 'open' });

    for (const subject of [`unsubscribe-${tampered}`, `unsubscribe-${foreign}`, `unsubscribe-${open}`]) {
      expect(await handleMailtoUnsubscribe(deps, mail(subject)), subject).toEqual({
        kind: 'ignored',
        reason: 'bad-token',
      });
    }
    expect(await handleMailtoUnsubscribe(deps, mail('Unsubscribe me please'))).toEqual({
      kind: 'ignored',
      reason: 'no-token',
    });
    expect(await handleMailtoUnsubscribe(deps, mail(undefined))).toEqual({
      kind: 'ignored',
      reason: 'no-token',
    });
    expect(suppressed).toEqual([]);
  });

  it('ignores a genuine token whose send is unknown or was never sent', async () => {
    const { deps, records, suppressed, tokens } = setup();
    const ghost = tokens.sign({
      campaignId: 'C9',
      recipientKey: 'AAAAAAAAAAAAAAAAAAAAAA',
      purpose: 'unsubscribe',
    });
    const claimedOnly = await records.claim(
      {
        campaignId: 'C1',
        recipientKey: 'BBBBBBBBBBBBBBBBBBBBBB',
        partnerId: 'northwind',
        email: 'x@y.example',
        links: [],
      },
      now,
    );
    const unsent = tokens.sign({ ...claimedOnly.record, purpose: 'unsubscribe' });

    expect(await handleMailtoUnsubscribe(deps, mail(`unsubscribe-${ghost}`))).toEqual({
      kind: 'ignored',
      reason: 'unknown-send',
    });
    expect(await handleMailtoUnsubscribe(deps, mail(`unsubscribe-${unsent}`))).toEqual({
      kind: 'ignored',
      reason: 'unknown-send',
    });
    expect(suppressed).toEqual([]);
  });

  it('uses the genuine candidate when a subject carries a bad one first', async () => {
    const { deps, sent } = setup();
    const { token } = await sent('reader@contoso.example');

    const outcome = await handleMailtoUnsubscribe(
      deps,
      mail(`unsubscribe-${TOKEN} Re: unsubscribe-${token}`),
    );

    expect(outcome.kind).toBe('unsubscribed');
  });

  it('has the same outcome as the one-click POST: suppression, send record and counters', async () => {
    const byMail = setup();
    const byPost = setup();
    const viaMail = await byMail.sent('reader@contoso.example');
    const viaPost = await byPost.sent('reader@contoso.example');

    await handleMailtoUnsubscribe(byMail.deps, mail(`unsubscribe-${viaMail.token}`));
    const app = createRouter().route('/', trackingRoutes({ ...byPost.deps, records: byPost.records }));
    const res = await app.request(`/u/${viaPost.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });

    expect(res.status).toBe(200);
    expect(byMail.suppressed).toEqual(byPost.suppressed);
    expect(await byMail.records.get(viaMail.ref)).toEqual(await byPost.records.get(viaPost.ref));
    expect(await byMail.counters.get('C1')).toEqual(await byPost.counters.get('C1'));
    expect(await byMail.counters.hours('C1')).toEqual(await byPost.counters.hours('C1'));
  });
});

/** What SES hands the Lambda action, typed by @types/aws-lambda (so the schema accepts the real shape). */
const sesEvent = (subject: string | undefined, virus: 'PASS' | 'FAIL' = 'PASS'): SESEvent => ({
  Records: [
    {
      eventSource: 'aws:ses',
      eventVersion: '1.0',
      ses: {
        mail: {
          timestamp: now.toISOString(),
          source: 'reader@contoso.example',
          messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
          destination: ['unsubscribe@mail.vendor.example'],
          headersTruncated: false,
          headers: [{ name: 'Subject', value: subject ?? '' }],
          commonHeaders: {
            returnPath: 'reader@contoso.example',
            from: ['Reader <reader@contoso.example>'],
            date: 'Tue, 24 Nov 2026 12:00:00 +0000',
            to: ['unsubscribe@mail.vendor.example'],
            messageId: '<abc@contoso.example>',
            ...(subject === undefined ? {} : { subject }),
          },
        },
        receipt: {
          timestamp: now.toISOString(),
          processingTimeMillis: 420,
          recipients: ['unsubscribe@mail.vendor.example'],
          spamVerdict: { status: 'PASS' },
          virusVerdict: { status: virus },
          spfVerdict: { status: 'PASS' },
          dkimVerdict: { status: 'GRAY' },
          dmarcVerdict: { status: 'PASS' },
          action: {
            type: 'Lambda',
            functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:unsubscribe-mail',
            invocationType: 'Event',
          },
        },
      },
    },
  ],
});

describe('the SES receipt rule event', () => {
  it('hands each record’s subject and verdicts to the handler', async () => {
    const { deps, counters, sent } = setup();
    const { token } = await sent('reader@contoso.example');

    expect(await sesReceiptHandler(deps)(sesEvent(`unsubscribe-${token}`))).toEqual([
      { kind: 'unsubscribed', campaignId: 'C1', partnerId: 'northwind' },
    ]);
    expect(await sesReceiptHandler(deps)(sesEvent(`unsubscribe-${token}`, 'FAIL'))).toEqual([
      { kind: 'ignored', reason: 'virus' },
    ]);
    expect((await counters.get('C1')).unsubscribed).toBe(1);
  });

  it('logs and drops malformed events and records without throwing', async () => {
    const { deps, logged, sent } = setup();
    const { token } = await sent('reader@contoso.example');
    const good = sesEvent(`unsubscribe-${token}`).Records[0];

    for (const malformed of [undefined, null, 'x', {}, { Records: [] }, { Records: 'nope' }]) {
      await expect(sesReceiptHandler(deps)(malformed)).resolves.toEqual([]);
    }
    const mixed = await sesReceiptHandler(deps)({
      Records: [{ eventSource: 'aws:ses', ses: { mail: {} } }, good],
    });

    expect(mixed).toEqual([{ kind: 'unsubscribed', campaignId: 'C1', partnerId: 'northwind' }]);
    expect(logged.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      ...Array.from({ length: 6 }, () => 'malformed SES receipt event'),
      'malformed SES receipt record',
    ]);
  });

  it('throws when storage fails, so the asynchronous invocation is retried', async () => {
    const { deps, sent } = setup();
    const { token } = await sent('reader@contoso.example');
    const failing: Pick<SendRecords, 'get' | 'change'> = {
      get: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
      change: deps.records.change,
    };

    await expect(
      sesReceiptHandler({ ...deps, records: failing })(sesEvent(`unsubscribe-${token}`)),
    ).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
