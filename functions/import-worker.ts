import { SQSClient } from '@aws-sdk/client-sqs';
import { importConsumer } from '#functions/wiring';
import { lazyS3BlobStore } from '#platform/blobs-s3-lazy';
import { workerServicesConfig } from '#platform/config';
import { createDocumentClient } from '#platform/dynamo';
import { newId } from '#platform/ids';
import { sqsEnqueue } from '#platform/queue-sqs';
import { Table } from '#platform/table';

// The contacts import queue's consumer: glue only. An import that outlives one invocation's
// budget re-enqueues itself and resumes from its checkpoint.
const env = workerServicesConfig();
const services = env;
if (!services.IMPORT_QUEUE_URL || !env.BLOB_BUCKET)
  throw new Error('the import worker needs IMPORT_QUEUE_URL and BLOB_BUCKET');
const table = new Table(
  createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT }),
  env.TABLE_NAME,
);

export const handler = importConsumer(
  {
    table,
    blobs: lazyS3BlobStore(env.AWS_REGION, env.BLOB_BUCKET),
    enqueue: sqsEnqueue(new SQSClient({ region: env.AWS_REGION }), services.IMPORT_QUEUE_URL),
    clock: () => new Date(),
    newId,
  },
  // 900 s function timeout, minus a margin to checkpoint and re-enqueue.
  12 * 60 * 1000,
);
