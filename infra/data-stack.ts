import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { dataRemovalPolicy, type StageConfig } from './config';
import type { TableBinding } from './constructs/bindings';
import { SingleTable } from './constructs/single-table';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The stateful stack: what holds data and must outlive any redeploy of the stateless one.
 * Today the single table; the SES identity and data buckets join it later. Outside `dev`
 * the stack has termination protection and the table is retained with deletion protection.
 */
export class DataStack extends Stack {
  readonly table: TableBinding;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: props.config.retainData, ...props });
    const { table, indexNames } = new SingleTable(this, 'Table', {
      retain: props.config.retainData,
      removalPolicy: dataRemovalPolicy(props.config),
    });
    this.table = { table, indexNames };
  }
}
