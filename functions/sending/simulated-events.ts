import type { Mailer, OutgoingEmail } from './mailer';

/**
 * The local runtime's stand-in for SES event publishing: after each send to the emulator it
 * produces the events SES would publish to EventBridge (the same `detail` shapes), following the
 * SES mailbox simulator, so one consumer (events.ts) serves both.
 */
type Detail = Record<string, unknown> & { eventType: string };

const SIMULATOR = 'simulator.amazonses.com';

export const simulatedEvents = (
  email: Pick<OutgoingEmail, 'to' | 'tags'>,
  messageId: string,
  at: Date,
): Detail[] => {
  const timestamp = at.toISOString();
  const recipient = email.to;
  const mail = {
    messageId,
    timestamp,
    destination: [recipient],
    tags: Object.fromEntries(Object.entries(email.tags).map(([name, value]) => [name, [value]])),
  };
  const send: Detail = { eventType: 'Send', mail, send: {} };
  const delivery: Detail = {
    eventType: 'Delivery',
    mail,
    delivery: { timestamp, recipients: [recipient], smtpResponse: '250 2.6.0 Message received' },
  };
  const bounce = (bounceSubType: string): Detail => ({
    eventType: 'Bounce',
    mail,
    bounce: {
      bounceType: 'Permanent',
      bounceSubType,
      timestamp,
      bouncedRecipients: [{ emailAddress: recipient, action: 'failed', status: '5.1.1' }],
    },
  });
  const [local = '', domain = ''] = recipient.toLowerCase().split('@');
  const box = domain === SIMULATOR ? local.split('+')[0] : undefined;
  switch (box) {
    case 'bounce':
      return [send, bounce('General')];
    case 'complaint':
      return [
        send,
        delivery,
        {
          eventType: 'Complaint',
          mail,
          complaint: {
            timestamp,
            complainedRecipients: [{ emailAddress: recipient }],
            complaintFeedbackType: 'abuse',
          },
        },
      ];
    case 'suppressionlist':
      return [send, bounce('OnAccountSuppressionList')];
    default:
      return [send, delivery];
  }
};

/**
 * A Mailer that publishes simulated events after each accepted send. `publish` is called
 * without being awaited by the send (events reach the consumer asynchronously, as in AWS).
 */
export const withSimulatedEvents = (
  mailer: Mailer,
  publish: (detail: Detail) => Promise<void>,
  clock: () => Date = () => new Date(),
  onError: (error: unknown) => void = () => {},
): Mailer => ({
  getAccountSendRate: () => mailer.getAccountSendRate(),
  async sendEmail(email) {
    const out = await mailer.sendEmail(email);
    const events = simulatedEvents(email, out.messageId, clock());
    void (async () => {
      for (const detail of events) await publish(detail);
    })().catch(onError);
    return out;
  },
});
