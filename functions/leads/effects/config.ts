import * as z from 'zod';
import { MAX_ATTEMPTS } from './backoff';
import type { NotificationSender } from './eql-email';
import { AWS_URL_POLICY, type UrlPolicy } from './url-guard';

/**
 * The lead-effects worker's configuration, parsed once from its environment. The loopback
 * exception of the URL guard is not here on purpose: no environment variable can turn it on in
 * AWS; only the embedded runtime passes it, in code.
 */
export const leadEffectsConfigSchema = z.object({
  LEAD_EFFECTS_QUEUE_URL: z.url(),
  /** The vendor's verified SES identity: notifications come from `<NOTIFICATION_LOCAL_PART>@` it. */
  SENDER_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i),
  NOTIFICATION_LOCAL_PART: z
    .string()
    .regex(/^[a-z0-9._-]{1,64}$/i)
    .default('notifications'),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** The portal's origin, for the link to the lead. */
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  VENDOR_NAME: z.string().min(1).default('Vendor'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1000).max(30_000).default(10_000),
});
export type LeadEffectsConfig = z.infer<typeof leadEffectsConfigSchema>;

export const parseLeadEffectsConfig = (env: Record<string, string | undefined>): LeadEffectsConfig => {
  const parsed = leadEffectsConfigSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid lead-effects configuration: ${fields.join('; ')}`);
  }
  return parsed.data;
};

export interface LeadEffectsSettings {
  sender: NotificationSender;
  portalBaseUrl: string;
  webhookTimeoutMs: number;
  urlPolicy: UrlPolicy;
  /** The queue's maxReceiveCount: the last attempt is logged as failed. */
  maxAttempts: number;
}

export const leadEffectsSettings = (
  config: Omit<LeadEffectsConfig, 'LEAD_EFFECTS_QUEUE_URL'>,
): LeadEffectsSettings => ({
  sender: {
    fromAddress: `${config.NOTIFICATION_LOCAL_PART}@${config.SENDER_DOMAIN}`,
    vendorName: config.VENDOR_NAME,
    configurationSetName: config.SES_CONFIGURATION_SET,
  },
  portalBaseUrl: config.PUBLIC_BASE_URL.replace(/\/+$/, ''),
  webhookTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
  urlPolicy: AWS_URL_POLICY,
  maxAttempts: MAX_ATTEMPTS,
});
