import * as z from 'zod';

/**
 * Process configuration, parsed once from the environment with zod and memoised
 * (Dittofeed's habit): a missing or malformed variable fails at start-up with its name,
 * not on the first request. CDK constructs never read this; they get props.
 */
const configSchema = z.object({
  TABLE_NAME: z.string().min(3),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Set only in the embedded runtime and tests: the DynamoDB Local endpoint. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Set only in the embedded runtime and tests: the SES v2 emulator endpoint. */
  SES_ENDPOINT: z.url().optional(),
  JWKS_URL: z.url(),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  /** The public origin of the portal and API (CloudFront in AWS), used in links. */
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  /** Largest JSON request body the API accepts, in bytes. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  /** The S3 bucket for kit assets (public through CloudFront under assets/) and archives (private). */
  BLOB_BUCKET: z.string().min(3),
  /** The vendor running the partner program, as kit templates show it (`vendor.*`). */
  VENDOR_NAME: z.string().min(1).default('Vendor'),
  VENDOR_WEBSITE: z.url().default('https://vendor.example'),
  /** Release label reported by /health and the OpenAPI document. */
  APP_VERSION: z.string().min(1).default('0.1.0'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const parseConfig = (env: Record<string, string | undefined>): Config => {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${fields.join('; ')}`);
  }
  return parsed.data;
};

let memo: Config | undefined;

/** The configuration of this process, read from process.env on first use. */
export const config = (): Config => {
  memo ??= parseConfig(process.env);
  return memo;
};
