import { describe, expect, it } from 'vitest';
import { apiPathPatterns } from '#functions/http/paths';
import { apiRoutes } from '../../infra/constructs/api-routes';

describe('the one-origin URL space', () => {
  it('sends the same paths to the API in CloudFront as the embedded runtime does', () => {
    expect(apiRoutes.map((route) => route.pathPattern).sort()).toEqual([...apiPathPatterns].sort());
  });
});
