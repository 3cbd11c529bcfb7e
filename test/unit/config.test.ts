import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#platform/config';

const env = {
  TABLE_NAME: 'channelkit',
  BLOB_BUCKET: 'channelkit-blobs',
  JWKS_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/pool/.well-known/jwks.json',
  JWT_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/pool',
  JWT_AUDIENCE: 'client',
};

describe('parseConfig', () => {
  it('parses the environment with defaults', () => {
    expect(parseConfig(env)).toMatchObject({
      TABLE_NAME: 'channelkit',
      MAX_BODY_BYTES: 262144,
      AWS_REGION: 'us-east-1',
    });
  });

  it('names every missing or malformed variable', () => {
    expect(() => parseConfig({ ...env, TABLE_NAME: undefined, JWKS_URL: 'not a url' })).toThrow(
      new ConfigError(
        'invalid configuration: TABLE_NAME: Invalid input: expected string, received undefined; JWKS_URL: Invalid URL',
      ),
    );
  });
});
