import type { BlobStore } from './blobs';

/**
 * The S3 blob store with the S3 client module loaded on first use: most API requests never
 * touch S3, so a Lambda cold start does not evaluate the client.
 */
export const lazyS3BlobStore = (region: string, bucket: string): BlobStore => {
  let store: Promise<BlobStore> | undefined;
  const load = () => {
    store ??= Promise.all([import('@aws-sdk/client-s3'), import('./blobs-s3')]).then(
      ([{ S3Client }, { s3BlobStore }]) => s3BlobStore(new S3Client({ region }), bucket),
    );
    return store;
  };
  return {
    put: async (key, bytes, contentType) => (await load()).put(key, bytes, contentType),
    get: async (key) => (await load()).get(key),
  };
};
