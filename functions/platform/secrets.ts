import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads a secret once (at cold start); callers keep the value for the process's life. */
export const readSecret = async (client: SecretsManagerClient, secretId: string): Promise<string> => {
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new Error(`secret ${secretId} has no string value`);
  return out.SecretString;
};
