import {
  AccountSuspendedException,
  BadRequestException,
  GetAccountCommand,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSesClient, sesMailer } from '#functions/platform/ses-mailer';
import { MailAccountError, MailRejectedError, MailThrottledError } from '#functions/sending/mailer';

// Fault injection and call shapes only; real sends go to the emulator (integration tests).
const client = createSesClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
const mock = mockClient(SESv2Client);
const mailer = sesMailer(client);
const meta = { $metadata: {}, message: 'x' };
const email = {
  from: '"Nora via Vendor" <partners@mail.vendor.example>',
  replyTo: 'nora@northwind.example',
  to: 'success@simulator.amazonses.com',
  subject: 'Hello',
  html: '<p>Hi</p>',
  text: 'Hi',
  headers: [{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }],
  configurationSetName: 'channelkit',
  tags: { campaign: 'c1', partner: 'northwind', send: 'abc' },
};

beforeEach(() => {
  mock.reset();
});

describe('SES mailer', () => {
  it('sends Simple content with our headers, the configuration set and tags, and returns the MessageId', async () => {
    mock.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    expect(await mailer.sendEmail(email)).toEqual({ messageId: 'ses-1' });
    expect(mock.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: email.from,
      ReplyToAddresses: ['nora@northwind.example'],
      Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
      ConfigurationSetName: 'channelkit',
      EmailTags: [
        { Name: 'campaign', Value: 'c1' },
        { Name: 'partner', Value: 'northwind' },
        { Name: 'send', Value: 'abc' },
      ],
      Content: {
        Simple: {
          Subject: { Data: 'Hello', Charset: 'UTF-8' },
          Body: { Html: { Data: '<p>Hi</p>', Charset: 'UTF-8' }, Text: { Data: 'Hi', Charset: 'UTF-8' } },
          Headers: [{ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }],
        },
      },
    });
  });

  it.each([
    ['TooManyRequestsException', new TooManyRequestsException(meta), MailThrottledError],
    [
      'a bare HTTP 429',
      new SESv2ServiceException({
        name: 'Throttling',
        $fault: 'client',
        $metadata: { httpStatusCode: 429 },
        message: 'x',
      }),
      MailThrottledError,
    ],
    ['MessageRejected', new MessageRejected(meta), MailRejectedError],
    ['BadRequestException', new BadRequestException(meta), MailRejectedError],
    ['NotFoundException', new NotFoundException(meta), MailRejectedError],
    ['SendingPausedException', new SendingPausedException(meta), MailAccountError],
    ['AccountSuspendedException', new AccountSuspendedException(meta), MailAccountError],
    ['MailFromDomainNotVerifiedException', new MailFromDomainNotVerifiedException(meta), MailAccountError],
  ])('translates %s into a domain error', async (_name, error, expected) => {
    mock.on(SendEmailCommand).rejects(error);
    await expect(mailer.sendEmail(email)).rejects.toBeInstanceOf(expected);
  });

  it('does not treat LimitExceededException (resource counts) as throttling', async () => {
    mock.on(SendEmailCommand).rejects(new LimitExceededException(meta));
    const error = await mailer.sendEmail(email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error).not.toBeInstanceOf(MailThrottledError);
  });

  it('reads the account send rate with GetAccount', async () => {
    mock
      .on(GetAccountCommand)
      .resolves({ SendQuota: { MaxSendRate: 14, Max24HourSend: 50_000, SentLast24Hours: 3 } });
    expect(await mailer.getAccountSendRate()).toEqual({
      maxSendRate: 14,
      max24HourSend: 50_000,
      sentLast24Hours: 3,
    });
  });
});
