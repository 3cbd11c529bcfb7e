import * as z from 'zod';
import { partnerIdSchema } from '#functions/partners/schema';

/** SES's DKIM statuses, as GetEmailIdentity reports them. */
export const dkimStatuses = ['PENDING', 'SUCCESS', 'FAILED', 'TEMPORARY_FAILURE', 'NOT_STARTED'] as const;
export const dkimStatusSchema = z.enum(dkimStatuses);
export type DkimStatus = z.infer<typeof dkimStatusSchema>;

/** What the portal shows: `verified` is the only status that may be used for sending. */
export const domainStatuses = ['pending', 'verified', 'failed'] as const;
export const domainStatusSchema = z.enum(domainStatuses);
export type DomainStatus = z.infer<typeof domainStatusSchema>;

/** RFC 1035 label: letters, digits and inner hyphens, 1–63 characters (IDNs in their xn-- form). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A hostname as a partner types it: trimmed, lower-cased, without a trailing dot. Whether it is a
 * registrable domain (Public Suffix List, no IP) and not the vendor's is decided by
 * `checkSendingDomain`, which knows the vendor's domain.
 */
export const domainNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .overwrite((value) => value.replace(/\.$/, ''))
  .min(4, 'a domain such as mail.example.com')
  .max(200, 'at most 200 characters')
  .refine(
    (value) => /^[\x21-\x7e]*$/.test(value),
    'ASCII only: give an international domain in its xn-- form',
  )
  .refine(
    (value) => value.split('.').length >= 2 && value.split('.').every((label) => LABEL.test(label)),
    'a domain such as mail.example.com (letters, digits, hyphens and dots)',
  )
  .meta({
    description: 'The domain mail is sent from, e.g. `mail.acme.example`',
    example: 'mail.acme.example',
  });

/** The part before the @ in From: a dot-atom that SES accepts without SMTPUTF8. */
export const localPartSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/, 'letters, digits, and . _ - between them')
  .refine((value) => !value.includes('..'), 'no two dots in a row')
  .meta({ description: 'The From address before the @', example: 'news' });

export const dkimRecordSchema = z
  .object({ name: z.string(), type: z.literal('CNAME'), value: z.string() })
  .meta({ id: 'DkimRecord', description: 'A DNS record the partner adds so SES can verify the domain' });
export type DkimRecord = z.infer<typeof dkimRecordSchema>;

/** The stored item (without keys): SES's DKIM tokens, not the records, which are derived from them. */
export const storedSendingDomainSchema = z.object({
  partnerId: partnerIdSchema,
  domain: z.string(),
  status: domainStatusSchema,
  dkimStatus: dkimStatusSchema,
  tokens: z.array(z.string()),
  localPart: z.string(),
  useForSending: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** When SES was last asked; reads refresh a non-final status at most every few seconds. */
  checkedAt: z.iso.datetime(),
  version: z.number().int().positive(),
});
export type StoredSendingDomain = z.infer<typeof storedSendingDomainSchema>;

export const sendingDomainSchema = z
  .object({
    partnerId: partnerIdSchema,
    domain: z.string(),
    status: domainStatusSchema,
    dkimStatus: dkimStatusSchema,
    records: z.array(dkimRecordSchema),
    localPart: z.string(),
    /** The address From would carry once the domain is used: `localPart@domain`. */
    fromAddress: z.string(),
    /** The partner's choice; it takes effect only while the domain is verified. */
    useForSending: z.boolean(),
    /** Where campaigns send from right now: the partner's domain only when verified and chosen. */
    sendingFrom: z.enum(['partner-domain', 'vendor-domain']),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    checkedAt: z.iso.datetime(),
  })
  .meta({ id: 'SendingDomain' });
export type SendingDomain = z.infer<typeof sendingDomainSchema>;

export const sendingDomainInputSchema = z
  .strictObject({
    domain: domainNameSchema,
    localPart: localPartSchema.default('news'),
    useForSending: z.boolean().default(false),
  })
  .meta({
    id: 'SendingDomainInput',
    description:
      'Adds the domain (the first time) or sets its From local part and whether campaigns use it. `useForSending: true` needs a verified domain.',
  });
export type SendingDomainInput = z.infer<typeof sendingDomainInputSchema>;
