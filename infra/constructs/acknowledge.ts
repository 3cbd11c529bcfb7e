import { Validations } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** One wildcard shape a reviewer accepted, and why. */
export interface AcceptedWildcard {
  /** Matches the finding text after `AwsSolutions-IAM5[`, e.g. `Action::s3:GetObject*`. */
  readonly finding: RegExp;
  readonly reason: string;
}

/**
 * Acknowledges the IAM5 (wildcard) findings of a policy we do not write ourselves (a CDK-owned
 * handler's), but only those matching a reviewed shape. The findings are computed with
 * cdk-nag's own rule, so ids carry the right logical ids, account and region in every stage;
 * any finding no shape matches stays an error, so a new wildcard still fails synth.
 * Call it after the policy's statements are complete (right after the construct that adds them).
 */
export const acknowledgeWildcards = (
  policyScope: IConstruct,
  accepted: readonly AcceptedWildcard[],
): void => {
  const policies = policyScope.node.findAll().filter((node): node is CfnPolicy => node instanceof CfnPolicy);
  for (const policy of policies) {
    const result = rules.iam.IAMNoWildcardPermissions(policy);
    if (!Array.isArray(result)) continue;
    for (const finding of result) {
      const match = accepted.find((shape) => shape.finding.test(finding));
      if (match)
        Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: match.reason });
    }
  }
};

/**
 * `acknowledgeWildcards`, computed once references are final: after `prepare`, which turns a
 * reference to another stack's resource into `Fn::GetStackOutput` (stack and output names in
 * the finding's text), and before the nag packs run. Node validations run exactly then; this
 * one only records acknowledgements and never reports an error itself.
 */
export const acknowledgeWildcardsWhenResolved = (
  policyScope: IConstruct,
  accepted: readonly AcceptedWildcard[],
): void => {
  policyScope.node.addValidation({
    validate: () => {
      acknowledgeWildcards(policyScope, accepted);
      return [];
    },
  });
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Matches an ARN in this account and region as cdk-nag prints it in a finding, in an
 * environment-agnostic synth (`arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:…`) and in
 * one bound to an account or region (`arn:aws:ses:eu-west-1:123456789012:…`): `resource` is literal.
 */
export const accountArnFinding = (service: string, resource: string): RegExp =>
  new RegExp(
    `^Resource::arn:(<AWS::Partition>|aws[a-z-]*):${escapeRegExp(service)}:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\\d{12}):${escapeRegExp(resource)}$`,
  );
