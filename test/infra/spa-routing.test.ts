import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { fromRoot } from '../../infra/paths';

// The CloudFront Function's own source, run the way CloudFront runs it: a script defining `handler`.
const source = readFileSync(fromRoot('infra/constructs/spa-routing.js'), 'utf8');
const handlerSchema = z.function({ input: [z.unknown()], output: z.unknown() });
const handler = handlerSchema.parse(runInNewContext(`${source}\nhandler;`));
const requestSchema = z.object({ uri: z.string() });

const viewerRequest = (uri: string): string =>
  requestSchema.parse(handler({ request: { uri, method: 'GET', querystring: {}, headers: {} } })).uri;

describe('SPA routing function', () => {
  it.each(['/', '/partners', '/partners/42', '/auth/callback', '/mdf/claims/01J9/'])(
    'serves index.html for the portal route %s',
    (uri) => {
      expect(viewerRequest(uri)).toBe('/index.html');
    },
  );

  it.each([
    '/index.html',
    '/config.json',
    '/assets/app.3f2a9c.js',
    '/vendor/api-reference.js',
    '/favicon.svg',
  ])('passes the file %s through unchanged', (uri) => {
    expect(viewerRequest(uri)).toBe(uri);
  });
});
