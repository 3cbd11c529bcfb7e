import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  Billing,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDefinition } from '#platform/table-definition';
import { pinLogicalId } from './pin-logical-id';

/** The logical id of the table. Never change it: CloudFormation would replace the table, and its data. */
export const TABLE_LOGICAL_ID = 'Table';

export interface SingleTableProps {
  /** Whether the table and its data outlive the stack (and refuse deletion). */
  readonly retain: boolean;
  readonly removalPolicy: RemovalPolicy;
}

const attributeTypes = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;

const streamViewTypes = {
  NEW_AND_OLD_IMAGES: StreamViewType.NEW_AND_OLD_IMAGES,
  NEW_IMAGE: StreamViewType.NEW_IMAGE,
  OLD_IMAGE: StreamViewType.OLD_IMAGE,
  KEYS_ONLY: StreamViewType.KEYS_ONLY,
} as const;

const attribute = (key: {
  readonly name: string;
  readonly type: keyof typeof attributeTypes;
}): Attribute => ({ name: key.name, type: attributeTypes[key.type] });

/**
 * The one DynamoDB table, built from `functions/platform/table-definition.ts` so the key
 * schema has a single source of truth. TableV2 (AWS::DynamoDB::GlobalTable) so a second
 * region is a replica away; on-demand billing; PITR (35 days); TTL; a stream with both
 * images; AWS-managed KMS key (key use is visible in CloudTrail, and no key policy or
 * kms:* grants to maintain, so function policies stay DynamoDB-only).
 */
export class SingleTable extends Construct {
  readonly table: TableV2;
  /** The GSI names, from the table definition: grants name each index ARN exactly. */
  readonly indexNames: readonly string[] = tableDefinition.globalSecondaryIndexes.map((gsi) => gsi.indexName);

  constructor(scope: Construct, id: string, props: SingleTableProps) {
    super(scope, id);
    this.table = new TableV2(this, 'Resource', {
      partitionKey: attribute(tableDefinition.partitionKey),
      sortKey: attribute(tableDefinition.sortKey),
      globalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((gsi) => ({
        indexName: gsi.indexName,
        partitionKey: attribute(gsi.partitionKey),
        sortKey: attribute(gsi.sortKey),
      })),
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      dynamoStream: streamViewTypes[tableDefinition.streamViewType],
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: props.retain,
      removalPolicy: props.removalPolicy,
    });
    // Pin the logical id: refactoring the construct tree must never rename (= replace) the table.
    pinLogicalId(this.table, TABLE_LOGICAL_ID);
  }
}
