import { describe, expect, it } from 'vitest';
import {
  apiPathPatterns,
  isApiPath,
  publicBlobPathPatterns as runtimeBlobPaths,
} from '#functions/http/paths';
import { PUBLIC_PREFIX, publicUrl } from '#platform/blobs';
import { apiRoutes } from '../../infra/constructs/api-routes';
import { blobPrefixes } from '../../infra/constructs/bindings';
import { publicBlobPathPatterns } from '../../infra/constructs/blob-bucket';
import { matchesPathPattern } from './path-pattern';

const base = 'https://d111111abcdef8.cloudfront.net';

describe('the one-origin URL space', () => {
  it('sends the same paths to the API in CloudFront as the embedded runtime does', () => {
    expect(apiRoutes.map((route) => route.pathPattern).sort()).toEqual([...apiPathPatterns].sort());
  });

  it('serves the same public blob paths from the blob store in both', () => {
    expect([...publicBlobPathPatterns].sort()).toEqual([...runtimeBlobPaths].sort());
  });

  it("makes public exactly the blob store's public prefix", () => {
    expect(blobPrefixes.public).toBe(PUBLIC_PREFIX);
    for (const pattern of publicBlobPathPatterns) expect(pattern.startsWith(`/${PUBLIC_PREFIX}`)).toBe(true);
  });

  it.each([
    'assets/kits/01J9ZK3V8Q/1.2.0/hero.png',
    'assets/kits/01J9ZK3V8Q/2.0.0-rc.1/images/logo wide.svg',
    'assets/brands/p-42/logo.png',
  ])('serves the public URL of %s from the blob bucket, path = key', (key) => {
    const path = new URL(publicUrl(base, key)).pathname;

    expect(publicBlobPathPatterns.some((pattern) => matchesPathPattern(pattern, path))).toBe(true);
    expect(decodeURIComponent(path)).toBe(`/${key}`);
    expect(isApiPath(path)).toBe(false);
  });

  it('keeps API paths and blob paths apart', () => {
    for (const pattern of publicBlobPathPatterns) {
      const sample = pattern.replace('*', 'k/1.0.0/a.png');

      expect(isApiPath(sample)).toBe(false);
      expect(apiPathPatterns.some((api) => matchesPathPattern(api, sample))).toBe(false);
    }
  });
});
