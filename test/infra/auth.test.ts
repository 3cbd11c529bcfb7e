import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { roles } from '#functions/auth/principal';
import { buildTestApp } from './build-app';

const clientSchema = z.object({
  Properties: z.object({ ReadAttributes: z.array(z.string()), WriteAttributes: z.array(z.string()) }),
});

describe('sign-in (AppStack, Cognito)', () => {
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    dev = Template.fromStack(buildTestApp({ stage: 'dev' }).app);
    prod = Template.fromStack(buildTestApp({ stage: 'prod', cognitoDomainPrefix: 'acme-channelkit' }).app);
  });

  it('keeps the user pool under the pinned logical id "UserPool"', () => {
    expect(Object.keys(dev.findResources('AWS::Cognito::UserPool'))).toEqual(['UserPool']);
  });

  it('lets only administrators create users, who sign in with their email', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
    });
  });

  it('has one group per role: marketing, partner, auditor', () => {
    const groups = Object.values(dev.findResources('AWS::Cognito::UserPoolGroup')).map((group) =>
      z.object({ Properties: z.object({ GroupName: z.string() }) }).parse(group),
    );

    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual([
      'auditor',
      'marketing',
      'partner',
    ]);
    expect([...roles].sort()).toEqual(['auditor', 'marketing', 'partner']);
  });

  it('defines the mutable custom attribute partner_id', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        {
          Name: 'partner_id',
          AttributeDataType: 'String',
          Mutable: true,
          StringAttributeConstraints: { MinLength: '1', MaxLength: '64' },
        },
      ]),
    });
  });

  it('lets the web client read custom:partner_id but never write it', () => {
    const [client] = Object.values(dev.findResources('AWS::Cognito::UserPoolClient'));
    const { ReadAttributes, WriteAttributes } = clientSchema.parse(client).Properties;

    expect(ReadAttributes).toContain('custom:partner_id');
    expect(WriteAttributes.length).toBeGreaterThan(0);
    expect(WriteAttributes).not.toContain('custom:partner_id');
    expect(WriteAttributes.every((attribute) => !attribute.startsWith('custom:'))).toBe(true);
  });

  it('requires strong passwords and offers TOTP MFA', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('audits threats in dev and blocks them elsewhere (Plus plan)', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
    });
    prod.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('retains the prod pool with deletion protection', () => {
    prod.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('gives the portal a public client using the code flow, back to the CloudFront URL', () => {
    const cloudFrontUrl = (path: string) => ({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebDistribution'), 'DomainName'] }, path],
      ],
    });
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [cloudFrontUrl('/auth/callback')],
      LogoutURLs: [cloudFrontUrl('/')],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('hosts managed login on the configured domain prefix', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'channelkit-dev',
      ManagedLoginVersion: 2,
    });
    prod.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-channelkit' });
    dev.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 1);
  });
});
