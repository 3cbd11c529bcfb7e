import type { Increments } from '#functions/sending/counters';
import { type EngagementDeps, recordUnsubscribe } from '#functions/sending/engagement';
import type { Suppressions } from '#functions/sending/ports';
import type { SendRecord, SendRecords } from '#functions/sending/send-records';
import type { TokenPurpose, TokenSigner } from '#functions/sending/tokens';

/**
 * The one unsubscribe, whichever way it arrives: the RFC 8058 one-click POST (and the page's
 * own button) on `/u/{token}`, or the `mailto:` of `List-Unsubscribe` received by SES
 * (functions/tracking/mailto-unsubscribe.ts). Both find the send from the same signed token and
 * call `unsubscribeSend`, so the outcome is the same: the partner-scoped suppression, the send
 * record marked, the campaign's counter moved once.
 */
export interface UnsubscribeDeps extends EngagementDeps {
  tokens: TokenSigner;
  records: Pick<SendRecords, 'get' | 'change'>;
  suppressions: Pick<Suppressions, 'suppress'>;
  clock: () => Date;
}

/** The send a genuine, unexpired token of this purpose names, if it was sent; undefined for anything else. */
export const sentSendFor = async (
  deps: Pick<UnsubscribeDeps, 'tokens' | 'records'>,
  token: string,
  purpose: TokenPurpose,
) => {
  const claims = deps.tokens.verify(token, purpose);
  if (!claims) return undefined;
  const record = await deps.records.get(claims);
  return record && record.status === 'sent' ? { claims, record } : undefined;
};

/**
 * Suppresses the address for the send's partner (the designated sender's opt-out: CAN-SPAM,
 * CASL), then marks the send and counts it. The suppression comes first because it is what
 * must be durable before anyone is told "unsubscribed"; both steps are idempotent, so a repeat
 * (or a retry after a failure between them) suppresses once and counts once. Returns what it
 * added to the counters: `{ unsubscribed: 1 }` the first time, `{}` after.
 */
export const unsubscribeSend = async (deps: UnsubscribeDeps, record: SendRecord): Promise<Increments> => {
  await deps.suppressions.suppress({
    scope: 'partner',
    partnerId: record.partnerId,
    email: record.email,
    reason: 'unsubscribe',
  });
  return recordUnsubscribe(deps, record, deps.clock());
};
