import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { etagOf, versionFromIfMatch } from '#functions/http/etag';
import { isApiPath } from '#functions/http/paths';
import { fieldErrors } from '#functions/http/problem';
import { capabilitiesFrom } from '#functions/meta/capabilities';
import { PreconditionRequiredError, ValidationError } from '#platform/errors';

describe('fieldErrors', () => {
  it('names each field by target and path, and each unknown key separately', () => {
    const schema = z.strictObject({ name: z.string(), address: z.strictObject({ city: z.string() }) });
    const result = schema.safeParse({ name: 3, address: { city: 1 }, extra: 1, other: 2 });
    if (result.success) throw new Error('expected a failure');
    expect(fieldErrors('body', result.error).map((e) => e.path)).toEqual([
      'body.name',
      'body.address.city',
      'body.extra',
      'body.other',
    ]);
  });
});

describe('ETags', () => {
  it('round-trips a version, weak or strong', () => {
    expect(etagOf(7)).toBe('"7"');
    expect(versionFromIfMatch('"7"')).toBe(7);
    expect(versionFromIfMatch('W/"12"')).toBe(12);
  });

  it('tells a missing If-Match from a malformed one', () => {
    expect(() => versionFromIfMatch(undefined)).toThrow(PreconditionRequiredError);
    expect(() => versionFromIfMatch('*')).toThrow(ValidationError);
    expect(() => versionFromIfMatch('"1", "2"')).toThrow(ValidationError);
  });
});

describe('isApiPath', () => {
  it('sends the API’s URL space to the API and the rest to the portal', () => {
    for (const path of [
      '/api/me',
      '/health',
      '/openapi.json',
      '/docs',
      '/p/spring-webinar',
      '/t/c/abc',
      '/u/tok',
    ]) {
      expect(isApiPath(path), path).toBe(true);
    }
    for (const path of [
      '/',
      '/partners',
      '/apis',
      '/docs/extra',
      '/healthz',
      '/vendor/scalar-api-reference.js',
    ]) {
      expect(isApiPath(path), path).toBe(false);
    }
  });
});

describe('capabilitiesFrom', () => {
  it('lists each operation with its summary and roles', () => {
    const paths = {
      '/api/things': {
        get: { summary: 'List', 'x-roles': ['marketing', 'auditor'] },
        post: { summary: 'Create', 'x-roles': ['marketing', 'root'] },
        parameters: [],
      },
    };
    expect(capabilitiesFrom(paths)).toEqual([
      { method: 'GET', path: '/api/things', summary: 'List', roles: ['marketing', 'auditor'] },
      { method: 'POST', path: '/api/things', summary: 'Create', roles: ['marketing'] },
    ]);
  });
});
