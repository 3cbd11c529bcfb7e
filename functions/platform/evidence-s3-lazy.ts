import type { EvidenceStore } from './evidence';

/**
 * The S3 evidence store with the S3 client module loaded on first use: only claim filing and
 * review touch evidence, so a Lambda cold start does not evaluate the client for them.
 */
export const lazyS3EvidenceStore = (region: string, bucket: string): EvidenceStore => {
  let store: Promise<EvidenceStore> | undefined;
  const load = () => {
    store ??= Promise.all([import('@aws-sdk/client-s3'), import('./evidence-s3')]).then(
      ([{ S3Client }, { s3EvidenceStore }]) => s3EvidenceStore(new S3Client({ region }), bucket),
    );
    return store;
  };
  return {
    putOnce: async (key, bytes, contentType) => (await load()).putOnce(key, bytes, contentType),
    get: async (key) => (await load()).get(key),
  };
};
