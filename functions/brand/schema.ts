import * as z from 'zod';

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a #rrggbb colour');
const https = z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL' });

/**
 * A partner's brand profile: what every kit template can use as `brand.*`. Issue 4 adds the
 * logo upload, contrast warnings and the sending identity; kits previews read it now.
 */
export const brandSchema = z
  .object({
    companyName: z.string().trim().min(2).max(120),
    logoUrl: https.nullable(),
    primaryColour: hex,
    secondaryColour: hex,
    website: https,
    phone: z
      .string()
      .trim()
      .max(40)
      .regex(/^[+0-9 ().-]*$/, 'digits, spaces and + ( ) . - only'),
    senderName: z.string().trim().min(2).max(60),
    replyTo: z.email(),
    /** CAN-SPAM: a valid physical postal address in every message; one line per array item. */
    postalAddress: z.array(z.string().trim().min(1).max(120)).min(2).max(6),
    updatedAt: z.iso.datetime(),
    version: z.number().int().positive(),
  })
  .meta({ id: 'BrandProfile' });
export type Brand = z.infer<typeof brandSchema>;

export const brandInputSchema = brandSchema
  .omit({ updatedAt: true, version: true })
  .strict()
  .meta({ id: 'BrandProfileInput' });
export type BrandInput = z.infer<typeof brandInputSchema>;

/**
 * What a logo upload may be (issue 4). Email clients show raster images only and many block
 * SVG (which can also carry script), so: PNG, JPEG or WebP, one frame, small enough to send
 * through API Gateway and Lambda in one request and sized for an email header. The portal
 * downscales to at most 600 px wide before uploading; the API stores what passes these.
 */
export const LOGO_LIMITS = {
  bytes: 1024 * 1024,
  minSide: 32,
  maxSide: 2048,
} as const;

/** Accepted logo types, by media type, with the extension their stored blob gets. */
export const logoTypes = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;
export type LogoType = keyof typeof logoTypes;

export const logoUploadedSchema = z
  .object({
    logoUrl: z.string().meta({ description: 'The stored logo on the public origin (content-addressed)' }),
    contentType: z.enum(['image/png', 'image/jpeg', 'image/webp']),
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int(),
    brand: brandSchema
      .nullable()
      .meta({ description: 'The profile now showing the logo; null when there is no profile yet' }),
  })
  .meta({ id: 'BrandLogoUploaded' });
