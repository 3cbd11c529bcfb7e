import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_PARTITION_PREFIX } from '#functions/audit/keys';
import { buildTestApp, type TestApp } from './build-app';
import {
  asList,
  auditLogDeny,
  evidenceDeny,
  fromDataStack,
  functionByDescription,
  roleStatements,
  type Statement,
} from './template-helpers';

/*
 * The audit log in AWS (issue 6): no role that writes the table may update or delete an audit
 * item. The API role gets an explicit Deny (no Allow can override it) of UpdateItem, DeleteItem and
 * BatchWriteItem on partition keys starting `AUDIT#`; so does every other function role, including
 * the workers scoped by `dynamodb:LeadingKeys`, which cannot reach `AUDIT#` items at all (the Deny
 * keeps it so if their grants ever widen).
 */
describe('the audit log’s IAM protection', () => {
  let app: TestApp;
  let template: Template;
  let api: Statement[];

  beforeAll(() => {
    app = buildTestApp({ stage: 'dev' });
    template = Template.fromStack(app.app);
    api = roleStatements(template, functionByDescription(template, 'ChannelKit HTTP API').roleId).map(
      (found) => found.statement,
    );
  });

  it('denies the API role UpdateItem, DeleteItem and BatchWriteItem on AUDIT# items of the table', () => {
    const denies = api.filter((s) => s.Effect === 'Deny');
    expect(AUDIT_PARTITION_PREFIX).toBe('AUDIT#');
    expect(denies).toEqual([
      {
        Effect: 'Deny',
        Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
        Resource: fromDataStack(app.data.stackName, /^PublishOutputFnGetAttTableArn/),
        // ForAnyValue: one AUDIT# key among a request's items (a batch, a transaction) is enough.
        Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      },
      // The evidence the audit entries name (invoices, POP packs) cannot be deleted or unlocked either.
      evidenceDeny(app.data.stackName),
    ]);
  });

  it('denies the same to every function role that can write the table', () => {
    for (const description of [
      'ChannelKit HTTP API',
      'ChannelKit send worker',
      'ChannelKit import worker',
      'ChannelKit SES event consumer',
      'ChannelKit unsubscribe mail',
      'ChannelKit lead effects',
    ]) {
      const statements = roleStatements(template, functionByDescription(template, description).roleId).map(
        (found) => found.statement,
      );
      expect(statements, description).toContainEqual(auditLogDeny(app.data.stackName));
    }
  });

  it('still lets the API append (PutItem, conditional in code) and read the log', () => {
    const allowed = api.filter((s) => s.Effect === 'Allow').flatMap((s) => asList(s.Action));
    expect(allowed).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query']),
    );
  });

  it('leaves the lead-effects worker and the unsubscribe mail handler no way to AUDIT# items', () => {
    for (const description of ['ChannelKit lead effects', 'ChannelKit unsubscribe mail']) {
      const found = functionByDescription(template, description);
      const dynamo = roleStatements(template, found.roleId)
        .map((f) => f.statement)
        .filter((s) => s.Effect === 'Allow' && asList(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo.length, description).toBeGreaterThan(0);
      for (const statement of dynamo) {
        const keys = JSON.stringify(statement.Condition ?? {});
        expect(keys, description).toContain('dynamodb:LeadingKeys');
        expect(keys, description).not.toContain('AUDIT');
      }
    }
  });
});
