import { handle } from 'hono/aws-lambda';
import { createApp } from '#functions/app';
import { lazyS3BlobStore } from '#platform/blobs-s3-lazy';
import { config } from '#platform/config';
import { createDocumentClient } from '#platform/dynamo';
import { newId } from '#platform/ids';
import { createJwtVerifier } from '#platform/jwt';
import { createLogger } from '#platform/logger';
import { Table } from '#platform/table';

// The Lambda entry is glue: build the collaborators once per process, outside the handler.
const env = config();
const app = createApp({
  table: new Table(
    createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT }),
    env.TABLE_NAME,
  ),
  verifyToken: createJwtVerifier({
    jwksUrl: env.JWKS_URL,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
  }),
  logger: createLogger('channelkit-api'),
  clock: () => new Date(),
  newId,
  maxBodyBytes: env.MAX_BODY_BYTES,
  version: env.APP_VERSION,
  blobs: lazyS3BlobStore(env.AWS_REGION, env.BLOB_BUCKET),
  publicBaseUrl: env.PUBLIC_BASE_URL,
  vendor: { name: env.VENDOR_NAME, website: env.VENDOR_WEBSITE },
});

export const handler = handle(app);
