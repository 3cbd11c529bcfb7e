import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { OWNER_TAG } from '#functions/sending-domains/ports';
import { accountArnFinding, acknowledgeWildcardsWhenResolved } from './acknowledge';
import type { NodeFunction } from './node-function';

/** `arn:…:ses:<region>:<account>:identity/*`: every SES identity of this account and region. */
export const sesIdentitiesArn = (scope: NodeFunction): string =>
  Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });

/**
 * Partner sending domains (issue 4) for the API function: `SENDER_DOMAIN` (the vendor's domain,
 * which partners may not register) and create, read and delete of SES identities. Identity names
 * are partners' domains, chosen at run time, so the grant is `identity/*` (acknowledged); no
 * ListEmailIdentities, no sending. Identities are created with an owner tag, which needs
 * `ses:TagResource`, allowed for that one tag key only.
 */
export const bindSendingDomains = (fn: NodeFunction, senderDomain: string): void => {
  fn.addEnvironment('SENDER_DOMAIN', senderDomain);
  const identities = sesIdentitiesArn(fn);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:CreateEmailIdentity', 'ses:DeleteEmailIdentity', 'ses:GetEmailIdentity'],
      resources: [identities],
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:TagResource'],
      resources: [identities],
      conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [OWNER_TAG] } },
    }),
  );
  acknowledgeWildcardsWhenResolved(fn.role ?? fn, [
    {
      finding: accountArnFinding('ses', 'identity/*'),
      reason:
        'Partner sending domains are named by partners at run time: Create/Get/DeleteEmailIdentity (and TagResource, owner tag only) on SES identities of this account and region; no List, no sending. Ownership is enforced by a per-domain claim in the table and the owner tag.',
    },
  ]);
};
