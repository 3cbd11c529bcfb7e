import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { s3EvidenceStore } from '#platform/evidence-s3';

/*
 * Call shapes and faults only (there is no S3 emulator here): the conditional put, the checksum
 * object lock needs, and how S3's answers map to the port's 'stored' | 'exists' | undefined.
 * Reading stored bytes back is the blob store's code path (Body.transformToByteArray).
 */
const BUCKET = 'channelkit-dev-evidence';
const KEY = 'claims/p-1/c-1/invoice/3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b';
const bytes = new TextEncoder().encode('%PDF-1.7 invoice');

const s3Error = (name: string, httpStatusCode: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode }, message: name });

const s3 = mockClient(S3Client);
const store = () => s3EvidenceStore(new S3Client({ region: 'us-east-1' }), BUCKET);

beforeEach(() => {
  s3.reset();
});

describe('S3 evidence store: putOnce', () => {
  it('stores with If-None-Match: * and a SHA-256 checksum (object lock needs one)', async () => {
    s3.on(PutObjectCommand).resolves({});

    const result = await store().putOnce(KEY, bytes, 'application/pdf');

    expect(result).toBe('stored');
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      {
        Bucket: BUCKET,
        Key: KEY,
        Body: bytes,
        ContentType: 'application/pdf',
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
      },
    ]);
  });

  it("answers 'exists' when S3 refuses the put with 412 PreconditionFailed", async () => {
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));

    expect(await store().putOnce(KEY, bytes, 'application/pdf')).toBe('exists');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it('retries a 409 ConditionalRequestConflict and reports what the retry finds', async () => {
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .rejects(s3Error('PreconditionFailed', 412));

    expect(await store().putOnce(KEY, bytes, 'application/pdf')).toBe('exists');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);
  });

  it('gives up after three conflicts and throws the last one', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));

    await expect(store().putOnce(KEY, bytes, 'application/pdf')).rejects.toThrow(
      'ConditionalRequestConflict',
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(3);
  });

  it('throws any other error (access denied, KMS, throttling) instead of claiming success', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('KMS.DisabledException', 400));

    await expect(store().putOnce(KEY, bytes, 'application/pdf')).rejects.toThrow('KMS.DisabledException');
  });
});

describe('S3 evidence store: get', () => {
  it('reads the key from the evidence bucket', async () => {
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'missing' }),
    );

    await store().get(KEY);

    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: KEY },
    ]);
  });

  it('returns undefined for a missing key (404 NoSuchKey)', async () => {
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'missing' }),
    );

    expect(await store().get(KEY)).toBeUndefined();
  });

  it('returns undefined for the 403 S3 answers a missing key with when the role has no ListBucket', async () => {
    s3.on(GetObjectCommand).rejects(s3Error('AccessDenied', 403));

    expect(await store().get(KEY)).toBeUndefined();
  });

  it('throws other errors', async () => {
    s3.on(GetObjectCommand).rejects(s3Error('SlowDown', 503));

    await expect(store().get(KEY)).rejects.toThrow('SlowDown');
  });
});
