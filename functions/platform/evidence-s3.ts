import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { EvidenceStore } from './evidence';

/** A concurrent conditional write to the same key is in flight: S3 asks for a retry (409). */
const CONFLICT_ATTEMPTS = 3;

const httpStatusOf = (error: unknown): number | undefined =>
  error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;

const nameOf = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

/** What a failed conditional put means: the key is taken, try again, or a real failure. */
const classifyPutError = (error: unknown): 'exists' | 'conflict' | 'failed' => {
  const status = httpStatusOf(error);
  if (status === 412 || nameOf(error) === 'PreconditionFailed') return 'exists';
  if (status === 409 || nameOf(error) === 'ConditionalRequestConflict') return 'conflict';
  return 'failed';
};

/**
 * S3 adapter of the evidence store. Write-once by a conditional put (`If-None-Match: *`): S3
 * answers 412 PreconditionFailed when the key already holds an object, which is the port's
 * 'exists'. The bucket has object lock with a default retention, and S3 requires an integrity
 * checksum on every put to such a bucket, so puts carry a SHA-256 checksum. SSE-KMS is the
 * bucket's default (its own customer-managed key), so puts carry no encryption settings.
 */
export const s3EvidenceStore = (client: S3Client, bucket: string): EvidenceStore => ({
  async putOnce(key, bytes, contentType) {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentType: contentType,
            IfNoneMatch: '*',
            ChecksumAlgorithm: 'SHA256',
          }),
        );
        return 'stored';
      } catch (error) {
        const outcome = classifyPutError(error);
        if (outcome === 'exists') return 'exists';
        // 409 ConditionalRequestConflict: another put of this key is in flight; S3 says retry,
        // and the retry answers 412 (it won) or stores (it failed).
        if (outcome === 'conflict' && attempt < CONFLICT_ATTEMPTS) continue;
        throw error;
      }
    }
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
      if (error instanceof NoSuchKey || nameOf(error) === 'AccessDenied') return undefined;
      throw error;
    }
  },
});
