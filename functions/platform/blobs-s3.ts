import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BlobStore } from './blobs';

/** S3 adapter of the blob store: SSE is the bucket's default (KMS), so puts carry no keys. */
export const s3BlobStore = (client: S3Client, bucket: string): BlobStore => ({
  async put(key, bytes, contentType) {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        CacheControl: key.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'private, no-store',
      }),
    );
  },
  async get(key) {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) return undefined;
      return {
        bytes: await out.Body.transformToByteArray(),
        contentType: out.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      // Without s3:ListBucket (least privilege), S3 answers a missing key with 403, not 404.
      if (error instanceof NoSuchKey || (error instanceof Error && error.name === 'AccessDenied'))
        return undefined;
      throw error;
    }
  },
});
