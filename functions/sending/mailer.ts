/**
 * The mail-sending port the send engine talks to; `functions/platform/ses-mailer.ts` implements
 * it over SES v2 and translates SDK errors into the three domain errors below at the edge.
 */
export interface EmailHeader {
  name: string;
  value: string;
}

export interface OutgoingEmail {
  /** A complete From value: `"Display name" <local@domain>` (see headers.ts). */
  from: string;
  replyTo: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe…); SES signs them with Easy DKIM. */
  headers: EmailHeader[];
  configurationSetName?: string | undefined;
  /** SES message tags: names and values of [A-Za-z0-9_-] only (see tags.ts). */
  tags: Record<string, string>;
}

export interface AccountSendRate {
  /** Messages per second the account may send (SES GetAccount SendQuota.MaxSendRate). */
  maxSendRate: number;
  max24HourSend: number;
  sentLast24Hours: number;
}

export interface Mailer {
  /** Hands one message to the provider; resolves with the provider's message id. */
  sendEmail(email: OutgoingEmail): Promise<{ messageId: string }>;
  getAccountSendRate(): Promise<AccountSendRate>;
}

/** Over the send rate: the provider dropped the message; retry later (never mark it sent). */
export class MailThrottledError extends Error {
  override name = 'MailThrottledError';
}

/** This message can never be sent as it is (rejected content, bad address…): record it, move on. */
export class MailRejectedError extends Error {
  override name = 'MailRejectedError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The account cannot send at all (paused, suspended, unverified MAIL FROM): stop the campaign. */
export class MailAccountError extends Error {
  override name = 'MailAccountError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
