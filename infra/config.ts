import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';

/**
 * The stage configuration: every knob a deployment may turn, validated once with zod.
 * `infra/app.ts` feeds it CDK context and env; stacks and constructs only ever see the
 * parsed, typed result (STYLE.md practice 5: constructs get props, never process.env).
 * Each field has a default, so `npx cdk synth` works with no context at all.
 */

/** Lower-case letters, digits and hyphens; starts with a letter. Becomes part of stack names. */
const stageName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,19}$/, 'use 1-20 lower-case letters, digits or hyphens, starting with a letter');

/** Cognito's rules for a hosted-domain prefix (globally unique per region). */
const cognitoDomainPrefix = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'use lower-case letters, digits and inner hyphens (max 63)',
  )
  .refine(
    (prefix) => !/aws|amazon|cognito/.test(prefix),
    'Cognito reserves prefixes containing aws, amazon or cognito',
  );

const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'use a lower-case DNS name',
  );

/** Shown in kit templates (`vendor.name`): the company running the partner program. */
const vendorName = z.string().trim().min(1, 'use a non-empty name').max(100, 'use at most 100 characters');

/** The vendor's website, linked from kit templates (`vendor.website`): an https URL. */
const vendorWebsite = z.url({
  protocol: /^https$/,
  hostname: z.regexes.domain,
  error: 'use an https:// URL',
});

export const logLevels = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/**
 * The SENDER_DOMAIN the send worker uses when no `vendorSendingDomain` is given (dev): a reserved
 * name (RFC 2606) that no one can verify, so nothing is ever sent from it outside the SES sandbox
 * and the mailbox simulator.
 */
export const PLACEHOLDER_SENDER_DOMAIN = 'mail.vendor.example';

/**
 * The send worker's event source maximum concurrency: at most this many workers send at once,
 * and each sends at (account rate / this), so together they never exceed the SES send rate.
 * Lambda accepts 2-1000 for an SQS event source.
 */
const sendConcurrency = z.coerce
  .number()
  .int('use a whole number')
  .min(2, 'Lambda needs at least 2 for an SQS event source')
  .max(1000, 'Lambda allows at most 1000 for an SQS event source');

/**
 * How long the evidence bucket locks each invoice, receipt and POP pack (object lock, GOVERNANCE
 * mode), in days. Outside dev the default is 7 years (2,557 days): tax authorities keep the right
 * to examine invoices for 6 to 10 years (US IRS up to 7 for some claims, UK HMRC 6, Germany 8 to 10),
 * and MDF programmes are audited on the same records; raise it where the law says longer.
 * A dev stage locks for 1 day, so a test bucket can be emptied the day after.
 */
const evidenceRetentionDays = z.coerce
  .number()
  .int('use a whole number of days')
  .min(1, 'object lock needs at least 1 day')
  .max(36_500, 'object lock allows at most 100 years');

/** 7 years, leap days included: the evidence retention outside dev. */
export const DEFAULT_EVIDENCE_RETENTION_DAYS = 7 * 365 + 2;

/** What `app.ts` may pass in: every value optional, strings as they come from `-c key=value`. */
export const stageInputSchema = z.object({
  stage: stageName.default('dev'),
  cognitoDomainPrefix: cognitoDomainPrefix.optional(),
  vendorSendingDomain: hostname.optional(),
  vendorName: vendorName.default('Vendor'),
  vendorWebsite: vendorWebsite.default('https://vendor.example'),
  removalPolicy: z.enum(['destroy', 'retain']).optional(),
  threatProtection: z.enum(['enforced', 'audit']).optional(),
  logLevel: z.enum(logLevels).default('INFO'),
  sendConcurrency: sendConcurrency.default(10),
  alarmEmail: z.email('use an email address').optional(),
  evidenceRetentionDays: evidenceRetentionDays.optional(),
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/)
    .optional(),
});

export type StageInput = z.input<typeof stageInputSchema>;

export interface StageConfig {
  /** `dev`, `staging`, `prod`, ...: names the stacks (`ChannelKit-<stage>-Data`). */
  readonly stage: string;
  /**
   * The Cognito hosted-domain prefix: `<prefix>.auth.<region>.amazoncognito.com`.
   * Default `channelkit-<stage>-<account>` (`channelkit-<stage>` in an offline synth).
   */
  readonly cognitoDomainPrefix: string;
  /**
   * The vendor's SES sending domain: an SES identity (Easy DKIM, MAIL FROM `mail.<domain>`) is
   * created for it. Unset (dev): no identity; the worker may send from any identity verified in the account.
   */
  readonly vendorSendingDomain: string | undefined;
  /** The send worker's `SENDER_DOMAIN`: `vendorSendingDomain`, or `PLACEHOLDER_SENDER_DOMAIN` when unset. */
  readonly senderDomain: string;
  /** Most send workers at once (`SEND_MAX_CONCURRENCY`); the SES send rate is shared among them. */
  readonly sendConcurrency: number;
  /** Who gets the alarm emails (SNS email subscription); unset: the topic has no subscriber yet. */
  readonly alarmEmail: string | undefined;
  /** The vendor as kit templates show it: the API's `VENDOR_NAME` and `VENDOR_WEBSITE`. */
  readonly vendor: { readonly name: string; readonly website: string };
  /** `retain` keeps data (table, blob bucket, user pool, logs) and turns deletion protection on. */
  readonly retainData: boolean;
  /** Cognito threat protection: block risky sign-ins, or only record them. */
  readonly threatProtection: 'enforced' | 'audit';
  readonly logLevel: (typeof logLevels)[number];
  /** How long CloudWatch keeps function and access logs. */
  readonly logRetention: RetentionDays;
  /** How long S3 keeps CloudFront and bucket access logs. */
  readonly accessLogExpiration: Duration;
  /**
   * The evidence bucket's default object-lock retention (GOVERNANCE): 7 years outside dev, 1 day
   * in dev (`evidenceRetentionDays` overrides). See `evidenceRetentionDays` above for why.
   */
  readonly evidenceRetention: Duration;
  /** Unset means an environment-agnostic synth (offline, no credentials). */
  readonly env: { readonly account: string | undefined; readonly region: string | undefined };
}

export class StageConfigError extends Error {
  override name = 'StageConfigError';
}

/** Parses raw context/env values into a StageConfig; stage-derived defaults fill the gaps. */
export const parseStageConfig = (raw: Record<string, unknown>): StageConfig => {
  const parsed = stageInputSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new StageConfigError(`invalid stage configuration: ${fields.join('; ')}`);
  }
  const input = parsed.data;
  // Only `dev` is disposable by default: any other stage (staging, prod, a demo) keeps its data.
  const disposable = input.stage === 'dev';
  const retainData = (input.removalPolicy ?? (disposable ? 'destroy' : 'retain')) === 'retain';
  return {
    stage: input.stage,
    // Prefixes are unique per region across all of AWS: the account id makes the default unclaimed.
    cognitoDomainPrefix:
      input.cognitoDomainPrefix ?? ['channelkit', input.stage, input.account].filter(Boolean).join('-'),
    vendorSendingDomain: input.vendorSendingDomain,
    senderDomain: input.vendorSendingDomain ?? PLACEHOLDER_SENDER_DOMAIN,
    sendConcurrency: input.sendConcurrency,
    alarmEmail: input.alarmEmail,
    vendor: { name: input.vendorName, website: input.vendorWebsite },
    retainData,
    threatProtection: input.threatProtection ?? (disposable ? 'audit' : 'enforced'),
    logLevel: input.logLevel,
    logRetention: retainData ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
    accessLogExpiration: Duration.days(retainData ? 365 : 30),
    evidenceRetention: Duration.days(
      input.evidenceRetentionDays ?? (retainData ? DEFAULT_EVIDENCE_RETENTION_DAYS : 1),
    ),
    env: { account: input.account, region: input.region },
  };
};

/** The removal policy for everything that holds data (table, user pool, log stores). */
export const dataRemovalPolicy = (config: StageConfig): RemovalPolicy =>
  config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
