import * as z from 'zod';
import type { Logger } from '#functions/sending/ports';
import { sentSendFor, type UnsubscribeDeps, unsubscribeSend } from './unsubscribe';

/**
 * The `mailto:` half of `List-Unsubscribe` (functions/sending/headers.ts): a mail client's
 * "Unsubscribe" button may send an email to `unsubscribe@<SENDER_DOMAIN>` with the subject
 * `unsubscribe-<token>` instead of POSTing the https URI. SES receives it (a receipt rule, see
 * infra/constructs/unsubscribe-inbox.ts) and invokes a Lambda with the parsed headers and its
 * verdicts; this turns that into the very same unsubscribe as the one-click POST
 * (`unsubscribeSend`): the partner-scoped suppression, the send record marked, counted once.
 *
 * Who sent the email is deliberately not checked. The From address need not be the recipient's:
 * mail is forwarded, people write from aliases, and a client may send from another account. The
 * signed token is the proof, exactly as with the https link (anyone holding the email can click
 * it): it names one send, only we can mint it, and it says nothing about the address. So SPF,
 * DKIM, DMARC and the spam verdict are logged, not required: a forged From gains an attacker
 * nothing that a click on the same token would not. Only a failing virus verdict drops the mail
 * (we never read the body, but nothing infected is acted on).
 *
 * The token does not ride in the recipient's `+tag`: a signed token (≈90 characters) is longer
 * than the 64 octets RFC 5321 allows a local part, so no client can have put it there; the
 * receipt rule matches `unsubscribe@` exactly.
 */
export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED' | (string & {});

export interface InboundUnsubscribe {
  /** SES's id of the received message (for logs). */
  messageId: string;
  from: readonly string[];
  to: readonly string[];
  subject: string | undefined;
  verdicts: {
    spam: VerdictStatus;
    virus: VerdictStatus;
    spf: VerdictStatus;
    dkim: VerdictStatus;
    dmarc: VerdictStatus;
  };
}

export type MailtoOutcome =
  | { kind: 'unsubscribed'; campaignId: string; partnerId: string }
  /** The same send was unsubscribed before (a repeat, a retry, or the https link first). */
  | { kind: 'already'; campaignId: string; partnerId: string }
  | { kind: 'ignored'; reason: 'virus' | 'no-token' | 'bad-token' | 'unknown-send' };

export interface MailtoDeps extends UnsubscribeDeps {
  logger: Logger;
}

/** Token characters as headers.ts allows them (URL-safe); a genuine token is far under 256. */
const TOKEN_IN_SUBJECT = /(?:^|[^A-Za-z0-9])unsubscribe-([A-Za-z0-9._~-]{20,256})/gi;
/** How many candidates one subject may make us verify. */
const MAX_CANDIDATES = 3;

/**
 * The tokens a subject may carry: `unsubscribe-<token>` anywhere in it, so `Re:`/`Fwd:`/`AW:`
 * prefixes, surrounding whitespace and the case of `unsubscribe` don't matter (the token itself
 * is case-sensitive). Trailing dots are dropped (a genuine token never ends in one: its MAC is
 * base64url). Nothing here is trusted: every candidate is verified before anything is read.
 */
export const tokensInSubject = (subject: string | undefined): string[] => {
  if (!subject) return [];
  const found = new Set<string>();
  for (const match of subject.slice(0, 2000).matchAll(TOKEN_IN_SUBJECT)) {
    const token = match[1]?.replace(/\.+$/, '');
    if (token) found.add(token);
    if (found.size === MAX_CANDIDATES) break;
  }
  return [...found];
};

/** Handles one received unsubscribe email; throws only when storage fails (the invocation is retried). */
export const handleMailtoUnsubscribe = async (
  deps: MailtoDeps,
  mail: InboundUnsubscribe,
): Promise<MailtoOutcome> => {
  // Never the From address in logs: it is personal data, and not evidence of anything here.
  const context = { messageId: mail.messageId, to: mail.to, verdicts: mail.verdicts };
  const ignore = (reason: Extract<MailtoOutcome, { kind: 'ignored' }>['reason']): MailtoOutcome => {
    deps.logger.warn('unsubscribe mail ignored', { ...context, reason });
    return { kind: 'ignored', reason };
  };
  if (mail.verdicts.virus === 'FAIL') return ignore('virus');
  const candidates = tokensInSubject(mail.subject);
  if (candidates.length === 0) return ignore('no-token');
  let genuine = false;
  for (const token of candidates) {
    if (!deps.tokens.verify(token, 'unsubscribe')) continue;
    genuine = true;
    const found = await sentSendFor(deps, token, 'unsubscribe');
    if (!found) continue;
    const { campaignId, partnerId } = found.record;
    const added = await unsubscribeSend(deps, found.record);
    const kind = added.unsubscribed ? 'unsubscribed' : 'already';
    deps.logger.info(`unsubscribe mail: ${kind}`, { ...context, campaignId, partnerId });
    return { kind, campaignId, partnerId };
  }
  return ignore(genuine ? 'unknown-send' : 'bad-token');
};

/**
 * The SES receipt rule's Lambda action event (`Records[].ses`, as `SESEvent` in @types/aws-lambda
 * describes it): only the fields read here, validated (API10: never trust a payload's shape).
 * Statuses are kept as strings: SES may add one, and only `FAIL` of the virus verdict matters.
 */
const verdict = z.looseObject({ status: z.string().max(40) });
const addresses = z.array(z.string().max(1000)).max(100).default([]);
export const sesReceiptRecordSchema = z.looseObject({
  eventSource: z.literal('aws:ses'),
  ses: z.looseObject({
    mail: z.looseObject({
      messageId: z.string().min(1).max(256),
      commonHeaders: z.looseObject({
        from: addresses,
        to: addresses,
        subject: z.string().max(10_000).optional(),
      }),
    }),
    receipt: z.looseObject({
      spamVerdict: verdict,
      virusVerdict: verdict,
      spfVerdict: verdict,
      dkimVerdict: verdict,
      dmarcVerdict: verdict,
    }),
  }),
});
export const sesReceiptEventSchema = z.looseObject({ Records: z.array(z.unknown()).min(1).max(100) });

export const inboundFromRecord = (record: z.infer<typeof sesReceiptRecordSchema>): InboundUnsubscribe => {
  const { mail, receipt } = record.ses;
  return {
    messageId: mail.messageId,
    from: mail.commonHeaders.from,
    to: mail.commonHeaders.to,
    subject: mail.commonHeaders.subject,
    verdicts: {
      spam: receipt.spamVerdict.status,
      virus: receipt.virusVerdict.status,
      spf: receipt.spfVerdict.status,
      dkim: receipt.dkimVerdict.status,
      dmarc: receipt.dmarcVerdict.status,
    },
  };
};

/**
 * The Lambda handler: parse, then handle each record. A malformed event or record is logged and
 * dropped (a throw would only make Lambda retry it and dead-letter it); a storage failure throws,
 * so the asynchronous invocation is retried, which is safe because handling is idempotent.
 */
export const sesReceiptHandler =
  (deps: MailtoDeps) =>
  async (event: unknown): Promise<MailtoOutcome[]> => {
    const parsed = sesReceiptEventSchema.safeParse(event);
    if (!parsed.success) {
      deps.logger.error('malformed SES receipt event', { issues: parsed.error.issues.slice(0, 5) });
      return [];
    }
    const outcomes: MailtoOutcome[] = [];
    for (const raw of parsed.data.Records) {
      const record = sesReceiptRecordSchema.safeParse(raw);
      if (!record.success) {
        deps.logger.error('malformed SES receipt record', { issues: record.error.issues.slice(0, 5) });
        continue;
      }
      outcomes.push(await handleMailtoUnsubscribe(deps, inboundFromRecord(record.data)));
    }
    return outcomes;
  };

/**
 * What handling does in the table, for the Lambda's IAM grant (infra/constructs/unsubscribe-inbox.ts):
 * these item actions, on items whose partition key starts with one of these prefixes (send
 * records, partner suppressions, campaign counters), nothing else. The integration test records
 * every DynamoDB call the handler makes and checks it stays inside both lists.
 */
export const MAILTO_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
export const MAILTO_ITEM_PREFIXES = ['SEND#', 'SUPPRESSION#', 'COUNTERS#'] as const;
