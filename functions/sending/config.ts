import { hkdfSync } from 'node:crypto';
import * as z from 'zod';
import { MIN_TOKEN_AGE_DAYS, tokenKeysSchema } from './tokens';

/**
 * The send engine's configuration, parsed from the environment with zod. Secrets are not in
 * the environment: the tracking secret is read at cold start (Secrets Manager) and passed in.
 */
export const sendingConfigSchema = z.object({
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  VENDOR_NAME: z.string().min(1).default('Vendor'),
  VENDOR_WEBSITE: z.url().default('https://vendor.example'),
  /** Never under 60 days (CASL). */
  TOKEN_MAX_AGE_DAYS: z.coerce.number().int().min(MIN_TOKEN_AGE_DAYS).default(400),
  /** The verified SES identity (Easy DKIM) mail is sent from, e.g. mail.vendor.example. */
  SENDER_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i),
  SENDING_LOCAL_PART: z
    .string()
    .regex(/^[a-z0-9._-]{1,64}$/i)
    .default('partners'),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Skips GetAccount when set (tests, or an account whose rate is known). */
  SES_MAX_SEND_RATE: z.coerce.number().positive().optional(),
  /** Equals the worker's maximum concurrency in the CDK stack (the account rate is divided by it). */
  SEND_MAX_CONCURRENCY: z.coerce.number().int().positive().default(2),
  SEND_PARALLELISM: z.coerce.number().int().min(1).max(32).default(8),
  SEND_LEASE_SECONDS: z.coerce.number().int().min(30).default(300),
});

export type SendingConfig = z.infer<typeof sendingConfigSchema> & {
  tokenKeys: z.infer<typeof tokenKeysSchema>;
  recipientKeySecret: string;
};

/**
 * Both the token-signing key and the recipient-key secret come from one tracking secret
 * (Secrets Manager in AWS, a file under .local/ in the embedded runtime) through HKDF with
 * different labels, so one secret is managed and neither key can be derived from the other.
 * The recipient key names send records: it must not change while campaigns run.
 */
export const deriveTrackingKeys = (trackingSecret: string) => {
  if (trackingSecret.length < 32) throw new Error('the tracking secret must be at least 32 characters');
  const derive = (label: string) =>
    Buffer.from(hkdfSync('sha256', trackingSecret, 'channelkit', label, 32)).toString('base64url');
  return {
    tokenKeys: tokenKeysSchema.parse({ current: 'k1', keys: { k1: derive('tracking-tokens/k1') } }),
    recipientKeySecret: derive('recipient-key/v1'),
  };
};

export const parseSendingConfig = (
  env: Record<string, string | undefined>,
  trackingSecret: string,
): SendingConfig => {
  const parsed = sendingConfigSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid sending configuration: ${fields.join('; ')}`);
  }
  return { ...parsed.data, ...deriveTrackingKeys(trackingSecret) };
};
