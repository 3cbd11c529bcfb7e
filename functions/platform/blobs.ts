/**
 * The blob store port: kit assets and archives now, invoices and POP packs later. In AWS it is
 * an S3 bucket (blobs-s3.ts) whose public prefix CloudFront serves; in the embedded runtime a
 * folder under the data directory, served by the runtime at the same URL paths.
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | undefined>;
}

/** Keys under this prefix are public (email clients fetch them); everything else is private. */
export const PUBLIC_PREFIX = 'assets/';

export const publicUrl = (baseUrl: string, key: string): string => {
  if (!key.startsWith(PUBLIC_PREFIX)) throw new Error(`${key} is not a public blob`);
  return `${baseUrl.replace(/\/$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
};
