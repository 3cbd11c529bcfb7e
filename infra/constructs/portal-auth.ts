import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { pinLogicalId } from './pin-logical-id';

/** The user pool's logical id. Never change it: a new pool means every user signs up again. */
export const USER_POOL_LOGICAL_ID = 'UserPool';

/** The custom attribute binding a partner user to one partner (the token claim `custom:partner_id`). */
export const PARTNER_ID_ATTRIBUTE = 'partner_id';

export interface PortalAuthProps {
  /** Hosted (managed login) domain prefix: `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** The portal's public origin, e.g. `https://d123.cloudfront.net` (no trailing slash). */
  readonly portalUrl: string;
  /** One Cognito group per role; the token's `cognito:groups` claim carries them. */
  readonly groups: readonly string[];
  readonly threatProtection: 'enforced' | 'audit';
  readonly retain: boolean;
  readonly removalPolicy: RemovalPolicy;
}

/** `<prefix>.auth.<region>.amazoncognito.com`: where managed login and the token endpoint live. */
export const cognitoDomainHost = (prefix: string, region: string): string =>
  `${prefix}.auth.${region}.amazoncognito.com`;

/**
 * Sign-in for the portal: a Cognito user pool (no self sign-up: the vendor invites users),
 * email as the user name, one group per role, `custom:partner_id` that only administrators
 * can set, managed login on a Cognito domain, and one public web client using the
 * authorization-code flow (Cognito requires PKCE from clients without a secret).
 */
export class PortalAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** The token issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  readonly issuerUrl: string;
  readonly jwksUrl: string;
  /** Host name of the managed-login domain: `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainHost: string;
  /** `https://<domainHost>`: what the portal's `config.json` calls `domain`. */
  readonly domainUrl: string;

  constructor(scope: Construct, id: string, props: PortalAuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email only takes effect once the new address is verified.
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        [PARTNER_ID_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection (compromised credentials, adaptive authentication).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode:
        props.threatProtection === 'enforced'
          ? StandardThreatProtectionMode.FULL_FUNCTION
          : StandardThreatProtectionMode.AUDIT_ONLY,
      userInvitation: {
        emailSubject: 'Your ChannelKit account',
        emailBody:
          'You have been invited to ChannelKit. Sign in at ' +
          `${props.portalUrl} with the user name {username} and the temporary password {####}.`,
      },
      deletionProtection: props.retain,
      removalPolicy: props.removalPolicy,
    });
    pinLogicalId(this.userPool, USER_POOL_LOGICAL_ID);
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP) so invited partner users can enrol themselves; threat protection (Plus plan) challenges risky sign-ins with MFA or blocks them outside dev.',
    });

    props.groups.forEach((group, index) => {
      this.userPool.addGroup(`Group-${group}`, {
        groupName: group,
        description: `ChannelKit role: ${group}`,
        precedence: index,
      });
    });

    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.portalUrl}/auth/callback`],
        logoutUrls: [`${props.portalUrl}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(PARTNER_ID_ATTRIBUTE),
      // Never custom:partner_id: a user must not re-bind themselves to another partner (tenancy).
      // The list must stay non-empty, or Cognito makes every attribute writable.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login needs a style per client; Cognito's own look until the portal has a brand.
    new CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    this.issuerUrl = this.userPool.userPoolProviderUrl;
    this.jwksUrl = `${this.issuerUrl}/.well-known/jwks.json`;
    this.domainHost = cognitoDomainHost(props.domainPrefix, Stack.of(this).region);
    this.domainUrl = `https://${this.domainHost}`;
  }

  /** An API Gateway JWT authorizer for this pool's ID tokens (defence in depth: the API verifies too). */
  jwtAuthorizer(): HttpJwtAuthorizer {
    return new HttpJwtAuthorizer('CognitoAuthorizer', this.issuerUrl, {
      jwtAudience: [this.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
  }
}
