import { type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { pinLogicalId } from './pin-logical-id';

/** The logical id of the tracking secret. Never change it: a new secret breaks every link already sent. */
export const TRACKING_SECRET_LOGICAL_ID = 'TrackingSecret';

/** Length of the generated key: 64 letters and digits (≈380 bits), well over HMAC-SHA256's 256. */
export const TRACKING_SECRET_LENGTH = 64;

export interface TrackingSecretProps {
  /** Whether the secret outlives the stack (it must, wherever sent emails must keep working). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The HMAC key that signs open, click and unsubscribe tokens in sent emails. Stateful: those
 * tokens must keep verifying for at least 60 days (CASL; DELIVERABILITY.md), so the secret lives
 * in the data stack, is retained outside dev and has a pinned logical id. CloudFormation
 * generates it (letters and digits, no punctuation: safe in any encoding); nobody sees it.
 * Encrypted with the AWS-managed key (`aws/secretsmanager`), so readers need no KMS grant.
 */
export class TrackingSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: TrackingSecretProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Resource', {
      description: 'ChannelKit: HMAC key for open, click and unsubscribe tokens in sent emails',
      generateSecretString: {
        passwordLength: TRACKING_SECRET_LENGTH,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: true,
      },
      removalPolicy: props.removalPolicy,
    });
    pinLogicalId(this.secret, TRACKING_SECRET_LOGICAL_ID);
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'No automatic rotation: tokens in sent emails must verify for 60+ days (CASL), so rotation needs key ids in tokens and verification against the previous keys (planned), not a rotation Lambda that replaces the key.',
    });
  }
}
