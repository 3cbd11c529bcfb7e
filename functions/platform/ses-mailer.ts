import {
  GetAccountCommand,
  SESv2Client,
  SendEmailCommand,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import {
  type AccountSendRate,
  MailAccountError,
  type Mailer,
  MailRejectedError,
  MailThrottledError,
  type OutgoingEmail,
} from '#functions/sending/mailer';

/**
 * The SES v2 adapter: the only module that imports @aws-sdk/client-sesv2. Messages go out as
 * `Content.Simple` with `Headers` (SES builds the MIME, both parts, and signs our headers with
 * Easy DKIM; the local emulator keeps them, Raw content would lose them). SDK errors become the
 * domain errors of mailer.ts here, at the edge.
 */
export interface SesClientOptions {
  region: string;
  /** The aws-ses-v2-local emulator in the embedded runtime and tests; unset in AWS. */
  endpoint?: string | undefined;
}

/** One client per process, built outside the handler. */
export const createSesClient = ({ region, endpoint }: SesClientOptions): SESv2Client =>
  new SESv2Client({
    region,
    // The SDK's own retries would hide throttling from our rate limiter and its bounded backoff.
    maxAttempts: 1,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });

/** `LimitExceededException` is about resource counts, not the send rate: it is not throttling. */
const THROTTLING = new Set(['TooManyRequestsException', 'Throttling', 'ThrottlingException']);
const PERMANENT = new Set(['MessageRejected', 'BadRequestException', 'NotFoundException']);
const ACCOUNT = new Set([
  'SendingPausedException',
  'AccountSuspendedException',
  'MailFromDomainNotVerifiedException',
]);

const httpStatusOf = (error: Error): number | undefined => {
  const metadata: unknown = Reflect.get(error, '$metadata');
  if (!metadata || typeof metadata !== 'object') return undefined;
  const status: unknown = Reflect.get(metadata, 'httpStatusCode');
  return typeof status === 'number' ? status : undefined;
};

/** SDK error → domain error; anything unknown is returned as it is (ambiguous: maybe sent). */
export const translateSesError = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  if (
    THROTTLING.has(error.name) ||
    (httpStatusOf(error) === 429 && error.name !== 'LimitExceededException')
  ) {
    return new MailThrottledError(error.message || 'maximum sending rate exceeded');
  }
  if (PERMANENT.has(error.name)) return new MailRejectedError(error.message, error.name);
  if (ACCOUNT.has(error.name)) return new MailAccountError(error.message, error.name);
  return error;
};

export const sendEmailInput = (email: OutgoingEmail): SendEmailCommandInput => ({
  FromEmailAddress: email.from,
  ReplyToAddresses: [email.replyTo],
  Destination: { ToAddresses: [email.to] },
  ConfigurationSetName: email.configurationSetName,
  EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
  Content: {
    Simple: {
      Subject: { Data: email.subject, Charset: 'UTF-8' },
      Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
      Headers: email.headers.map((h) => ({ Name: h.name, Value: h.value })),
    },
  },
});

export const sesMailer = (client: SESv2Client): Mailer => ({
  async sendEmail(email) {
    try {
      const out = await client.send(new SendEmailCommand(sendEmailInput(email)));
      if (!out.MessageId) throw new Error('SES accepted the message without a MessageId');
      return { messageId: out.MessageId };
    } catch (error) {
      throw translateSesError(error);
    }
  },
  async getAccountSendRate(): Promise<AccountSendRate> {
    try {
      const out = await client.send(new GetAccountCommand({}));
      const quota = out.SendQuota;
      if (!quota?.MaxSendRate) throw new Error('GetAccount answered without a SendQuota.MaxSendRate');
      return {
        maxSendRate: quota.MaxSendRate,
        max24HourSend: quota.Max24HourSend ?? 0,
        sentLast24Hours: quota.SentLast24Hours ?? 0,
      };
    } catch (error) {
      throw translateSesError(error);
    }
  },
});
