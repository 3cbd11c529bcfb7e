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

/**
 * What the API Lambda needs beyond the shared configuration: the queues it hands work to, the
 * scheduler it creates one-time schedules with, the evidence bucket, and the tracking secret
 * (read at cold start).
 */
const apiServicesSchema = z
  .object({
    SEND_QUEUE_URL: z.url(),
    SEND_QUEUE_ARN: z.string().startsWith('arn:'),
    IMPORT_QUEUE_URL: z.url(),
    /** Lead events (capture, lifecycle) and webhook test deliveries go on this queue. */
    LEAD_EFFECTS_QUEUE_URL: z.url(),
    /** The write-once S3 bucket for MDF evidence: invoices, receipts and frozen POP packs under claims/. */
    EVIDENCE_BUCKET: z.string().min(3),
    /** In AWS the tracking secret is read from Secrets Manager at cold start… */
    TRACKING_SECRET_ARN: z.string().startsWith('arn:').optional(),
    /** …elsewhere (tests, other hosts) it may be given directly. One of the two is required. */
    TRACKING_SECRET: z.string().min(32).optional(),
    SCHEDULE_GROUP: z.string().min(1),
    SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
    /**
     * The vendor's SES sending domain (the send worker's `SENDER_DOMAIN`): partners may not
     * register it, or any name under it, as their own sending domain. Dev's placeholder by default.
     */
    SENDER_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i)
      .default('mail.vendor.example'),
  })
  .refine((env) => env.TRACKING_SECRET_ARN !== undefined || env.TRACKING_SECRET !== undefined, {
    message: 'set TRACKING_SECRET_ARN (or TRACKING_SECRET)',
    path: ['TRACKING_SECRET_ARN'],
  });
export type ApiServicesConfig = z.infer<typeof apiServicesSchema>;

/**
 * The send and import workers, the SES event consumer and the unsubscribe mail function: the
 * table, the queue they re-enqueue to, the tracking secret (only the send worker and the
 * unsubscribe mail function read it; each entry checks it has what it needs). They get no JWT or
 * portal settings (least privilege in config too).
 */
const workerServicesSchema = z.object({
  TABLE_NAME: z.string().min(3),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  SES_ENDPOINT: z.url().optional(),
  BLOB_BUCKET: z.string().min(3).optional(),
  SEND_QUEUE_URL: z.url().optional(),
  IMPORT_QUEUE_URL: z.url().optional(),
  TRACKING_SECRET_ARN: z.string().startsWith('arn:').optional(),
  /** Outside AWS (tests, benchmarks) the tracking secret may be given directly. */
  TRACKING_SECRET: z.string().min(32).optional(),
});
export type WorkerServicesConfig = z.infer<typeof workerServicesSchema>;

const parseWith = <T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.infer<T> => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${fields.join('; ')}`);
  }
  return parsed.data;
};

export const apiServicesConfig = (env: Record<string, string | undefined> = process.env): ApiServicesConfig =>
  parseWith(apiServicesSchema, env);
export const workerServicesConfig = (
  env: Record<string, string | undefined> = process.env,
): WorkerServicesConfig => parseWith(workerServicesSchema, env);
