import { z } from 'zod';
import type { KitReport, KitStatus } from './types.ts';

// A kit upload goes over XMLHttpRequest (for its progress), outside the typed client: its
// answers are parsed here. `satisfies` keeps the schemas in step with the API's types.

const problemItem = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  file: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
});

export const KitReportSchema = z.object({
  ok: z.boolean(),
  errors: z.array(problemItem),
  warnings: z.array(problemItem),
  measured: z.object({ htmlBytes: z.number(), textBytes: z.number(), subject: z.string() }).optional(),
}) satisfies z.ZodType<KitReport>;

export const UploadResultSchema = z.object({
  id: z.string(),
  version: z.string(),
  status: z.enum(['draft', 'published', 'retired']) satisfies z.ZodType<KitStatus>,
  report: KitReportSchema,
});
export type UploadResult = z.infer<typeof UploadResultSchema>;

/** The 422 a kit whose manifest cannot be read gets: problem+json with a `report` member. */
export const RejectedUploadSchema = z.looseObject({ report: KitReportSchema });

/** The API's limit on a kit upload (functions/kits/routes.ts `KIT_UPLOAD_BYTES`). */
export const KIT_UPLOAD_BYTES = 4 * 1024 * 1024;
