import * as z from 'zod';
import { roles } from '#functions/auth/principal';

/**
 * The audit log's shapes (one source of truth for the API, the stored items and the callers).
 *
 * Chains: one per partner (`partner:<partnerId>`) and one for the vendor (`vendor`).
 * - A partner's requests, fund allocations, claims, POP evidence and every decision on them go on
 *   that partner's chain: a partner can verify (and an auditor export) exactly its own history
 *   without seeing anyone else's, and appends for different partners never contend for one head.
 * - Program-level events that belong to no single partner (program settings, budget moves between
 *   periods) go on the `vendor` chain.
 */
export const chainSchema = z
  .string()
  .regex(/^(vendor|partner:[A-Za-z0-9][A-Za-z0-9-]{2,63})$/, 'must be `vendor` or `partner:<partnerId>`')
  .meta({ description: 'An audit chain: `vendor`, or `partner:<partnerId>`', example: 'partner:acme' });
export type Chain = z.infer<typeof chainSchema>;

export const VENDOR_CHAIN = 'vendor';
export const partnerChain = (partnerId: string): Chain => `partner:${partnerId}`;
/** The partner a chain belongs to, or null for the vendor chain. */
export const partnerOfChain = (chain: Chain): string | null =>
  chain.startsWith('partner:') ? chain.slice('partner:'.length) : null;

/**
 * What the MDF modules record. Stored kinds are read as plain strings, so a kind added later (or
 * removed) never makes older entries unreadable.
 */
export const auditKinds = [
  'fund-allocation',
  'fund-adjustment',
  'request-filed',
  'request-decision',
  'claim-filed',
  'pop-evidence',
  'claim-decision',
  'claim-info-request',
  'claim-info-response',
  'claim-payment',
  'program-change',
] as const;
export type AuditKind = (typeof auditKinds)[number];

const kindSchema = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/);
const hashSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** The ids an entry is about, e.g. `{ partnerId, claimId }`. */
export const subjectSchema = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/), z.string().min(1).max(200))
  .refine((subject) => Object.keys(subject).length <= 10, { message: 'at most 10 ids' });

/** Who recorded an entry: a user (from the verified token) or `system` (a worker). */
export const actorSchema = z.object({
  role: z.enum([...roles, 'system']),
  sub: z.string().min(1).max(200),
  name: z.string().max(200),
});
export type Actor = z.infer<typeof actorSchema>;

/** The largest content (canonical JSON, bytes): DynamoDB items stop at 400 KB. Blobs go by hash. */
export const MAX_CONTENT_BYTES = 256 * 1024;

/** An entry as stored; `content` is kept as its canonical JSON text, exactly what was hashed. */
export const storedEntrySchema = z.object({
  chain: chainSchema,
  seq: z.number().int().positive(),
  kind: kindSchema,
  subject: z.record(z.string(), z.string()),
  content: z.string(),
  contentHash: z.string(),
  prevHash: z.string(),
  entryHash: z.string(),
  recordedAt: z.string(),
  recordedBy: actorSchema,
});
export type StoredEntry = z.infer<typeof storedEntrySchema>;

export const storedHeadSchema = z.object({
  chain: chainSchema,
  seq: z.number().int().positive(),
  entryHash: z.string(),
  version: z.number().int().positive(),
});
export type StoredHead = z.infer<typeof storedHeadSchema>;

/** An entry as the API shows it: read-only evidence, the content parsed back to JSON. */
export const auditEntrySchema = z
  .object({
    chain: z.string(),
    seq: z.number().int(),
    kind: z.string(),
    subject: z.record(z.string(), z.string()),
    content: z.unknown().meta({ description: 'The recorded JSON value, as hashed' }),
    contentHash: hashSchema,
    prevHash: hashSchema,
    entryHash: hashSchema,
    recordedAt: z.string(),
    recordedBy: actorSchema,
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditEntryPageSchema = z
  .object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditEntryPage' });

export const breakReasons = ['content-hash', 'entry-hash', 'prev-link', 'gap', 'head', 'unreadable'] as const;
export type BreakReason = (typeof breakReasons)[number];

export const verificationSchema = z
  .object({
    chain: z.string(),
    ok: z.boolean(),
    /** Entries checked and found intact before the first broken link (all of them when ok). */
    entries: z.number().int(),
    head: z.object({ seq: z.number().int(), entryHash: z.string() }).nullable(),
    firstBroken: z
      .object({
        seq: z.number().int(),
        reason: z.enum(breakReasons),
        detail: z.string(),
      })
      .optional(),
    verifiedAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditVerification' });
export type Verification = z.infer<typeof verificationSchema>;

export const chainQuerySchema = z.strictObject({ chain: chainSchema });
export const entriesQuerySchema = z.strictObject({
  chain: chainSchema,
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
});
