import * as z from 'zod';
import { regionSchema, tierSchema } from '#functions/partners/schema';
import { formFieldSchema, manifestSchema, objectives, slotSchema } from './manifest';

export const kitStatuses = ['draft', 'published', 'retired'] as const;

export const problemItemSchema = z
  .object({
    severity: z.enum(['error', 'warning']),
    code: z.string(),
    file: z.string(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    message: z.string(),
  })
  .meta({ id: 'KitProblem' });

export const reportSchema = z
  .object({
    ok: z.boolean(),
    errors: z.array(problemItemSchema),
    warnings: z.array(problemItemSchema),
    measured: z.object({ htmlBytes: z.number(), textBytes: z.number(), subject: z.string() }).optional(),
  })
  .meta({ id: 'KitValidationReport' });
export type StoredReport = z.infer<typeof reportSchema>;

export const assetSchema = z.object({
  name: z.string(),
  contentType: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  url: z.string(),
});

/** One uploaded version of a kit, as stored (templates inline: read once per compile). */
export const kitVersionSchema = z.object({
  kitId: z.string(),
  semver: z.string(),
  status: z.enum(kitStatuses),
  manifest: manifestSchema,
  templates: z.record(z.string(), z.string()),
  assets: z.array(assetSchema),
  report: reportSchema,
  archive: z.object({ key: z.string(), sha256: z.string(), bytes: z.number().int() }),
  uploadedAt: z.iso.datetime(),
  uploadedBy: z.string(),
  publishedAt: z.iso.datetime().optional(),
  retiredAt: z.iso.datetime().optional(),
  version: z.number().int().positive(),
});
export type KitVersion = z.infer<typeof kitVersionSchema>;

/** What the library shows of a kit's current published version. */
export const librarySummarySchema = z
  .object({
    id: z.string(),
    version: z.string(),
    name: z.string(),
    summary: z.string(),
    objective: z.enum(objectives),
    products: z.array(z.string()),
    verticals: z.array(z.string()),
    regions: z.array(regionSchema),
    language: z.string(),
    tiers: z.array(tierSchema),
    mdfEligible: z.boolean(),
    suggestedBudget: z.object({ amount: z.number().int(), currency: z.string() }).nullable(),
    approvalRequired: z.boolean(),
    heroUrl: z.string().nullable(),
    publishedAt: z.string(),
  })
  .meta({ id: 'LibraryKit' });
export type LibrarySummary = z.infer<typeof librarySummarySchema>;

export const kitHeadSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    latestVersion: z.string(),
    latestStatus: z.enum(kitStatuses),
    publishedVersion: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'KitHead' });
export type KitHead = z.infer<typeof kitHeadSchema>;

export const versionSummarySchema = z
  .object({
    version: z.string(),
    status: z.enum(kitStatuses),
    name: z.string(),
    uploadedAt: z.string(),
    uploadedBy: z.string(),
    publishedAt: z.string().nullable(),
    retiredAt: z.string().nullable(),
    errors: z.number().int(),
    warnings: z.number().int(),
  })
  .meta({ id: 'KitVersionSummary' });

export const uploadResultSchema = z
  .object({ id: z.string(), version: z.string(), status: z.enum(kitStatuses), report: reportSchema })
  .meta({ id: 'KitUploadResult' });

export const kitVersionDetailSchema = z
  .object({
    id: z.string(),
    version: z.string(),
    status: z.enum(kitStatuses),
    manifest: manifestSchema,
    report: reportSchema,
    assets: z.array(assetSchema),
    uploadedAt: z.string(),
    publishedAt: z.string().nullable(),
    retiredAt: z.string().nullable(),
  })
  .meta({ id: 'KitVersionDetail' });

/** What a partner sees of a kit to customise it: the slots and the form, not the templates. */
export const libraryKitDetailSchema = librarySummarySchema
  .extend({ slots: z.array(slotSchema), formFields: z.array(formFieldSchema) })
  .meta({ id: 'LibraryKitDetail' });

export const previewRequestSchema = z
  .strictObject({ slots: z.record(z.string(), z.string().max(5000)).default({}) })
  .meta({ id: 'PreviewRequest' });

export const previewSchema = z
  .object({
    kitId: z.string(),
    version: z.string(),
    subject: z.string(),
    preheader: z.string(),
    html: z.string(),
    text: z.string(),
    landing: z.string(),
    social: z.record(z.string(), z.string()),
    slots: z.record(z.string(), z.string()),
  })
  .meta({ id: 'KitPreview' });

export const libraryQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  language: z.string().max(20).optional(),
  product: z.string().max(40).optional(),
  vertical: z.string().max(40).optional(),
  objective: z.enum(objectives).optional(),
});
export type LibraryQuery = z.infer<typeof libraryQuerySchema>;
