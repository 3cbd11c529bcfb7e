/**
 * The URL space the API answers on one origin (DESIGN.md): everything else is the portal's
 * static files. CloudFront's behaviours (infra/app-stack.ts) and the embedded runtime's
 * dispatcher both route by this list.
 */
export const apiPathPatterns = [
  '/api/*',
  '/health',
  '/openapi.json',
  '/docs',
  '/p/*',
  '/t/*',
  '/u/*',
] as const;

export const isApiPath = (path: string): boolean =>
  apiPathPatterns.some((pattern) =>
    pattern.endsWith('/*')
      ? path.startsWith(pattern.slice(0, -1)) || path === pattern.slice(0, -2)
      : path === pattern,
  );

/**
 * Public blobs (kit and brand images that email clients fetch) are served from the blob store
 * under these paths: CloudFront sends them to the blob bucket (infra/constructs/blob-bucket.ts),
 * the embedded runtime to its blob folder. Not `/assets/*` as a whole: the portal's own build
 * output lives there too.
 */
export const publicBlobPathPatterns = ['/assets/kits/*', '/assets/brands/*'] as const;

export const isPublicBlobPath = (path: string): boolean =>
  publicBlobPathPatterns.some((pattern) => path.startsWith(pattern.slice(0, -1)));
