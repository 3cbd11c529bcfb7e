import { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Gives a stateful resource a fixed CloudFormation logical id, so moving it in the construct
 * tree can never make CloudFormation replace it (and lose its data). CDK best practice:
 * "keep logical IDs of stateful resources stable".
 */
export const pinLogicalId = (construct: IConstruct, logicalId: string): void => {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnElement)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource to pin as ${logicalId}`);
  }
  resource.overrideLogicalId(logicalId);
};
