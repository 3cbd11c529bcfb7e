import type { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import * as z from 'zod';

/** Template lookups shared by the infra tests: functions by description, their roles' statements. */

const getAtt = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) });

const functionSchema = z.object({
  Properties: z.object({
    Role: getAtt,
    Timeout: z.number(),
    MemorySize: z.number(),
    Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }),
    DeadLetterConfig: z.object({ TargetArn: z.unknown() }).optional(),
  }),
});

export const statementSchema = z.object({
  /** Deny: the API role's explicit Deny on audit-log changes (test/infra/audit.test.ts). */
  Effect: z.enum(['Allow', 'Deny']),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.unknown(),
  Condition: z.unknown().optional(),
});
export type Statement = z.infer<typeof statementSchema>;

const policySchema = z.object({
  Properties: z.object({
    Roles: z.array(z.object({ Ref: z.string() })),
    PolicyDocument: z.object({ Statement: z.array(statementSchema) }),
  }),
});

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

export interface FoundFunction {
  readonly id: string;
  readonly roleId: string;
  readonly timeout: number;
  readonly memorySize: number;
  readonly env: Record<string, unknown>;
  readonly deadLetterTarget: unknown;
}

/** The one function whose Description starts with `prefix`. */
export const functionByDescription = (template: Template, prefix: string): FoundFunction => {
  const matches = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, resource]) => {
    const description = z
      .object({ Properties: z.object({ Description: z.unknown().optional() }) })
      .parse(resource).Properties.Description;
    return typeof description === 'string' && description.startsWith(prefix);
  });
  const [match, ...others] = matches;
  if (!match || others.length > 0) throw new Error(`expected one function described "${prefix}…"`);
  const [id, resource] = match;
  const props = functionSchema.parse(resource).Properties;
  return {
    id,
    roleId: props.Role['Fn::GetAtt'][0],
    timeout: props.Timeout,
    memorySize: props.MemorySize,
    env: props.Environment.Variables,
    deadLetterTarget: props.DeadLetterConfig?.TargetArn,
  };
};

/** Every statement of every AWS::IAM::Policy attached to the role, with the policy's logical id. */
export const roleStatements = (
  template: Template,
  roleId: string,
): { readonly policyId: string; readonly statement: Statement }[] =>
  Object.entries(template.findResources('AWS::IAM::Policy'))
    .map(([policyId, policy]) => ({ policyId, props: policySchema.parse(policy).Properties }))
    .filter(({ props }) => props.Roles.some((role) => role.Ref === roleId))
    .flatMap(({ policyId, props }) =>
      props.PolicyDocument.Statement.map((statement) => ({ policyId, statement })),
    );

/** The statements whose actions start with one of the prefixes (`sqs:`, `ses:SendEmail`). */
export const statementsFor = (statements: readonly Statement[], ...prefixes: string[]): Statement[] =>
  statements.filter((s) => asList(s.Action).some((action) => prefixes.some((p) => action.startsWith(p))));

/** `arn:${Partition}:<service>:${Region}:${AccountId}:<resource>` as CDK's formatArn renders it. */
export const accountArn = (service: string, resource: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resource}`,
    ],
  ],
});

/** A value the app stack reads from the data stack (weak reference). */
export const fromDataStack = (dataStackName: string, outputPrefix: RegExp) => ({
  'Fn::GetStackOutput': expect.objectContaining({
    StackName: dataStackName,
    OutputName: expect.stringMatching(outputPrefix),
  }),
});

/**
 * The explicit Deny every function role carries on the evidence bucket and its objects: no
 * DeleteObject* (objects, versions, tags), no retention, legal-hold or governance-bypass change
 * (`denyEvidenceChanges`; test/infra/evidence.test.ts). The one wildcard action a role may hold.
 */
export const evidenceDeny = (dataStackName: string) => {
  const bucketArn = fromDataStack(dataStackName, /^PublishOutputFnGetAttEvidenceBucketArn/);
  return {
    Effect: 'Deny',
    Action: [
      's3:BypassGovernanceRetention',
      's3:DeleteObject*',
      's3:PutObjectLegalHold',
      's3:PutObjectRetention',
    ],
    Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
  };
};

/** The audit-log Deny (`denyAuditLogChanges`; test/infra/audit.test.ts). */
export const auditLogDeny = (dataStackName: string) => ({
  Effect: 'Deny',
  Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
  Resource: fromDataStack(dataStackName, /^PublishOutputFnGetAttTableArn/),
  Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
});
