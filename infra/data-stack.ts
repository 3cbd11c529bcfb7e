import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { dataRemovalPolicy, type StageConfig } from './config';
import type { BlobBinding, TableBinding } from './constructs/bindings';
import { BlobBucket } from './constructs/blob-bucket';
import { SingleTable } from './constructs/single-table';

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The stateful stack: what holds data and must outlive any redeploy of the stateless one.
 * The single table and the blob bucket (kit images and archives); the SES identity joins
 * later. Outside `dev` the stack has termination protection, the table is retained with
 * deletion protection and the blob bucket (and its access logs) are retained.
 */
export class DataStack extends Stack {
  readonly table: TableBinding;
  readonly blobs: BlobBinding;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: props.config.retainData, ...props });
    const removalPolicy = dataRemovalPolicy(props.config);
    const { table, indexNames } = new SingleTable(this, 'Table', {
      retain: props.config.retainData,
      removalPolicy,
    });
    this.table = { table, indexNames };
    this.blobs = new BlobBucket(this, 'Blobs', {
      retain: props.config.retainData,
      removalPolicy,
      accessLogExpiration: props.config.accessLogExpiration,
    }).binding;
  }
}
