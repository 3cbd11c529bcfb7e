import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '#platform/table-definition';
import { buildTestApp, type TestApp } from './build-app';

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

describe('DataStack', () => {
  let devApp: TestApp;
  let prodApp: TestApp;
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    devApp = buildTestApp({ stage: 'dev' });
    prodApp = buildTestApp({ stage: 'prod' });
    dev = Template.fromStack(devApp.data);
    prod = Template.fromStack(prodApp.data);
  });

  it('holds exactly one table, under the pinned logical id "Table"', () => {
    const tables = dev.findResources('AWS::DynamoDB::GlobalTable');

    expect(Object.keys(tables)).toEqual(['Table']);
    expect(prod.findResources('AWS::DynamoDB::GlobalTable')).toHaveProperty('Table');
  });

  it('takes its key schema and GSIs from tableDefinition', () => {
    const { partitionKey, sortKey, globalSecondaryIndexes } = tableDefinition;

    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: keySchema(partitionKey.name, sortKey.name),
      GlobalSecondaryIndexes: globalSecondaryIndexes.map((gsi) => ({
        IndexName: gsi.indexName,
        KeySchema: keySchema(gsi.partitionKey.name, gsi.sortKey.name),
        Projection: { ProjectionType: 'ALL' },
      })),
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
        { AttributeName: sortKey.name, AttributeType: sortKey.type },
      ]),
    });
  });

  it('expires items on the TTL attribute and streams new and old images', () => {
    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: tableDefinition.streamViewType },
    });
  });

  it('bills on demand and encrypts with the AWS-managed KMS key', () => {
    dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.absent() },
    });
  });

  it('keeps 35 days of point-in-time recovery in every stage', () => {
    for (const template of [dev, prod]) {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
          }),
        ],
      });
    }
  });

  it('retains the table with deletion protection outside dev', () => {
    prod.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
  });

  it('lets a dev table go with its stack', () => {
    dev.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
    });
  });

  it('protects the prod data stack from termination', () => {
    expect(prodApp.data.terminationProtection).toBe(true);
    expect(devApp.data.terminationProtection).toBe(false);
  });
});
