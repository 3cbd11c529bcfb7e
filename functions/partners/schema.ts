import * as z from 'zod';

export const tiers = ['registered', 'silver', 'gold', 'platinum'] as const;
export const regions = ['NA', 'EMEA', 'APAC', 'LATAM'] as const;

export const tierSchema = z
  .enum(tiers)
  .meta({ description: 'Partner program tier; kits name the tiers they are for' });
export const regionSchema = z.enum(regions).meta({ description: 'Sales region the partner works in' });
export const partnerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/, 'must be 3–64 letters, digits or dashes');

const nameSchema = z.string().trim().min(2).max(120);

export const partnerSchema = z
  .object({
    id: partnerIdSchema,
    name: z.string(),
    tier: tierSchema,
    region: regionSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'Partner' });
export type Partner = z.infer<typeof partnerSchema>;

export const createPartnerSchema = z
  .strictObject({ name: nameSchema, tier: tierSchema, region: regionSchema })
  .meta({ id: 'CreatePartner' });
export type CreatePartner = z.infer<typeof createPartnerSchema>;

export const updatePartnerSchema = z
  .strictObject({ name: nameSchema.optional(), tier: tierSchema.optional(), region: regionSchema.optional() })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: 'change at least one field',
  })
  .meta({ id: 'UpdatePartner' });
export type UpdatePartner = z.infer<typeof updatePartnerSchema>;

export const partnerPageSchema = z
  .object({ items: z.array(partnerSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'PartnerPage' });

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
});
