import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoOptions {
  region: string;
  /** DynamoDB Local in the embedded runtime and tests; unset in AWS. */
  endpoint?: string | undefined;
}

/**
 * One DynamoDB client per process, built outside the handler. Against an emulator the
 * credentials are placeholders (DynamoDB Local accepts any), so no AWS account is needed.
 */
export const createDocumentClient = ({ region, endpoint }: DynamoOptions): DynamoDBDocumentClient => {
  const client = new DynamoDBClient({
    region,
    maxAttempts: 5,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
};
