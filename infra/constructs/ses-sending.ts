import { CfnOutput, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import {
  ConfigurationSet,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { pinLogicalId } from './pin-logical-id';

/** Logical ids of the SES resources: a rename would recreate them (new DKIM tokens, new DNS records). */
export const CONFIGURATION_SET_LOGICAL_ID = 'ConfigurationSet';
export const SENDING_IDENTITY_LOGICAL_ID = 'SendingIdentity';

/** The configuration set every campaign email is sent with: `channelkit-<stage>`. */
export const configurationSetName = (stage: string): string => `channelkit-${stage}`;

/** The MAIL FROM subdomain of the sending domain (bounces return there; SPF aligns with it). */
export const mailFromDomain = (sendingDomain: string): string => `mail.${sendingDomain}`;

/**
 * The SES events published to EventBridge, with their EventBridge `detail-type`.
 * OPEN and CLICK are left out on purpose: publishing them makes SES rewrite every link to its
 * own redirect domain and add its own pixel (SES "Configuring custom domains to handle open and
 * click tracking"), on top of ChannelKit's signed `/t/o` and `/t/c` tracking. That would wrap
 * the unsubscribe link (DELIVERABILITY.md: never click-tracked), send recipients through
 * `awstrack.me`, and count every open and click twice.
 */
export const sesEvents = [
  { event: EmailSendingEvent.SEND, detailType: 'Email Sent' },
  { event: EmailSendingEvent.DELIVERY, detailType: 'Email Delivered' },
  { event: EmailSendingEvent.BOUNCE, detailType: 'Email Bounced' },
  { event: EmailSendingEvent.COMPLAINT, detailType: 'Email Complaint Received' },
  { event: EmailSendingEvent.REJECT, detailType: 'Email Rejected' },
  { event: EmailSendingEvent.DELIVERY_DELAY, detailType: 'Email Delivery Delayed' },
  { event: EmailSendingEvent.RENDERING_FAILURE, detailType: 'Email Rendering Failed' },
] as const;

/** What the app stack needs to know about sending: names only, so no cross-stack reference is needed. */
export interface SendingBinding {
  readonly configurationSetName: string;
  /** The verified domain identity, or undefined (dev: no identity). */
  readonly identityName: string | undefined;
}

export interface SesSendingProps {
  readonly stage: string;
  /** The vendor's sending domain; unset: no identity (dev sends only from identities verified by hand). */
  readonly sendingDomain: string | undefined;
  /** Applies to the identity (its DKIM tokens live in the vendor's DNS). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The SES side of sending (data stack). A configuration set with reputation metrics, sending
 * enabled, and the configuration-set suppression list for bounces and complaints;
 * its events go to the default EventBridge bus, where the app stack's rule picks them up.
 * With a sending domain, a domain identity with Easy DKIM (2048-bit) and a custom MAIL FROM
 * (`mail.<domain>`), whose default configuration set is this one; the DNS records to publish are
 * stack outputs. Deliverability needs SPF and DKIM aligned with the From domain (DELIVERABILITY.md).
 */
export class SesSending extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity | undefined;
  readonly binding: SendingBinding;

  constructor(scope: Construct, id: string, props: SesSendingProps) {
    super(scope, id);
    const name = configurationSetName(props.stage);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: name,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    pinLogicalId(this.configurationSet, CONFIGURATION_SET_LOGICAL_ID);
    this.configurationSet.addEventDestination('EventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: sesEvents.map((e) => e.event),
    });

    if (props.sendingDomain) {
      const identity = new EmailIdentity(this, 'Identity', {
        identity: Identity.domain(props.sendingDomain),
        dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
        mailFromDomain: mailFromDomain(props.sendingDomain),
        configurationSet: this.configurationSet,
      });
      identity.applyRemovalPolicy(props.removalPolicy);
      pinLogicalId(identity, SENDING_IDENTITY_LOGICAL_ID);
      this.identity = identity;
      this.outputDnsRecords(identity, props.sendingDomain);
    }

    this.binding = { configurationSetName: name, identityName: props.sendingDomain };
  }

  /** The records to publish in the vendor's DNS: three DKIM CNAMEs, and MX + SPF for MAIL FROM. */
  private outputDnsRecords(identity: EmailIdentity, domain: string): void {
    identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DKIM record ${index + 1} of 3 for ${domain} (Easy DKIM)`,
      });
    });
    const mailFrom = mailFromDomain(domain);
    new CfnOutput(this, 'MailFromMxRecord', {
      value: `${mailFrom} MX 10 feedback-smtp.${Stack.of(this).region}.amazonses.com`,
      description: `MAIL FROM domain ${mailFrom}: bounces come back here`,
    });
    new CfnOutput(this, 'MailFromSpfRecord', {
      value: `${mailFrom} TXT "v=spf1 include:amazonses.com ~all"`,
      description: `SPF for the MAIL FROM domain ${mailFrom}`,
    });
  }
}
