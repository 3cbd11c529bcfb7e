import type { Context } from 'hono';

/**
 * The client's address for rate limits (hashed before use, never stored). In AWS, CloudFront
 * sets `CloudFront-Viewer-Address` (ip:port) on requests it forwards (the /p/* behaviour's origin
 * request policy passes it) and overwrites any a client sent; without it, API Gateway's
 * `requestContext.http.sourceIp`; in the embedded runtime, the socket's peer.
 */
export const clientAddress = (c: Context): string => {
  const viewer = c.req.header('cloudfront-viewer-address');
  if (viewer) return viewer.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const env: unknown = c.env;
  const sourceIp = pick(env, ['event', 'requestContext', 'http', 'sourceIp']);
  if (typeof sourceIp === 'string') return sourceIp;
  const peer = pick(env, ['incoming', 'socket', 'remoteAddress']);
  return typeof peer === 'string' ? peer : 'unknown';
};

const pick = (value: unknown, path: readonly string[]): unknown => {
  let current = value;
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = Reflect.get(current, key);
  }
  return current;
};
