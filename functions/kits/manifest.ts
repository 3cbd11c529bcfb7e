import * as z from 'zod';
import { regions, tiers } from '#functions/partners/schema';

/**
 * The kit manifest (`kit.json` or `kit.yaml`): one zod schema gives the TypeScript types,
 * the validation report at upload, the OpenAPI shapes and campaigns/kit.schema.json.
 */
export const KIT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;
const SLOT_KEY = /^[a-z][a-z0-9_]{0,39}$/;
const HEX = /^#[0-9a-fA-F]{6}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TEMPLATE_PATH = /^(email|landing|social)\/[A-Za-z0-9_.-]+\.hbs$/;

export const objectives = [
  'awareness',
  'event-registration',
  'lead-generation',
  'product-launch',
  'nurture',
  'renewal',
] as const;

const templatePath = z.string().regex(TEMPLATE_PATH, 'a .hbs file under email/, landing/ or social/');
const httpsUrl = z.url({ protocol: /^https$/, error: 'an absolute https:// URL' });

const slotBase = {
  key: z.string().regex(SLOT_KEY, 'snake_case, starting with a letter, at most 40 characters'),
  label: z.string().min(1).max(60),
  help: z.string().max(200).optional(),
  required: z.boolean().default(true),
  locked: z.boolean().default(false),
};

const textSlot = z.strictObject({
  ...slotBase,
  type: z.literal('text'),
  default: z.string().max(500).optional(),
  minLength: z.number().int().min(0).max(500).default(0),
  maxLength: z.number().int().min(1).max(500),
});
const multilineSlot = z.strictObject({
  ...slotBase,
  type: z.literal('multiline'),
  default: z.string().max(5000).optional(),
  minLength: z.number().int().min(0).max(5000).default(0),
  maxLength: z.number().int().min(1).max(5000),
});
const urlSlot = z.strictObject({ ...slotBase, type: z.literal('url'), default: httpsUrl.optional() });
const colourSlot = z.strictObject({
  ...slotBase,
  type: z.literal('colour'),
  default: z.string().regex(HEX, 'a #rrggbb colour').optional(),
});
const imageSlot = z.strictObject({ ...slotBase, type: z.literal('image'), default: httpsUrl.optional() });
const selectSlot = z.strictObject({
  ...slotBase,
  type: z.literal('select'),
  options: z
    .array(z.strictObject({ value: z.string().min(1).max(100), label: z.string().min(1).max(100) }))
    .min(1)
    .max(50),
  default: z.string().optional(),
});
const dateSlot = z.strictObject({
  ...slotBase,
  type: z.literal('date'),
  default: z.string().regex(ISO_DATE, 'YYYY-MM-DD').optional(),
  min: z.string().regex(ISO_DATE, 'YYYY-MM-DD').optional(),
  max: z.string().regex(ISO_DATE, 'YYYY-MM-DD').optional(),
});

export const slotSchema = z
  .discriminatedUnion('type', [textSlot, multilineSlot, urlSlot, colourSlot, imageSlot, selectSlot, dateSlot])
  .superRefine((slot, ctx) => {
    if (slot.locked && slot.default === undefined) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'a locked slot needs a default' });
    }
    if ((slot.type === 'text' || slot.type === 'multiline') && slot.minLength > slot.maxLength) {
      ctx.addIssue({ code: 'custom', path: ['minLength'], message: 'minLength is larger than maxLength' });
    }
    if (
      slot.type === 'select' &&
      slot.default !== undefined &&
      !slot.options.some((o) => o.value === slot.default)
    ) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'the default is not one of the options' });
    }
    if ((slot.type === 'text' || slot.type === 'multiline') && slot.default !== undefined) {
      if (slot.default.length > slot.maxLength || slot.default.length < slot.minLength) {
        ctx.addIssue({
          code: 'custom',
          path: ['default'],
          message: 'the default breaks the slot’s own length limits',
        });
      }
    }
  });
export type Slot = z.infer<typeof slotSchema>;

export const formFieldSchema = z.strictObject({
  name: z.string().regex(SLOT_KEY, 'snake_case, starting with a letter'),
  type: z.enum(['email', 'text', 'tel', 'select', 'checkbox', 'textarea']),
  label: z.string().min(1).max(80),
  required: z.boolean().default(false),
  maxLength: z.number().int().min(1).max(2000).optional(),
  options: z
    .array(z.strictObject({ value: z.string().min(1).max(100), label: z.string().min(1).max(100) }))
    .max(300)
    .optional(),
});
export type FormField = z.infer<typeof formFieldSchema>;

export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z.string().min(3).max(64).regex(KIT_ID, 'lower-case letters, digits and dashes'),
    version: z.string().regex(SEMVER, 'a semantic version such as 1.2.0'),
    name: z.string().min(3).max(120),
    summary: z.string().min(10).max(400),
    objective: z.enum(objectives),
    tags: z.strictObject({
      products: z.array(z.string().min(1).max(40)).max(10).default([]),
      verticals: z.array(z.string().min(1).max(40)).max(10).default([]),
      regions: z.array(z.enum(regions)).min(1),
      language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2}|-[A-Za-z]{4})?$/, 'a BCP 47 tag such as en or fr-CA'),
    }),
    eligibility: z.strictObject({ tiers: z.array(z.enum(tiers)).min(1) }),
    mdf: z.strictObject({
      eligible: z.boolean(),
      suggestedBudget: z
        .strictObject({
          amount: z.number().int().nonnegative().meta({ description: 'minor units (cents)' }),
          currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code'),
        })
        .optional(),
    }),
    approvalRequired: z.boolean().default(false),
    templates: z.strictObject({
      subject: templatePath,
      preheader: templatePath.optional(),
      html: templatePath,
      text: templatePath,
      landing: templatePath,
      social: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/), templatePath).default({}),
    }),
    slots: z.array(slotSchema).max(40),
    landing: z.strictObject({
      form: z.strictObject({
        fields: z.array(formFieldSchema).min(1).max(20),
        submitLabel: z.string().min(1).max(40),
        consentText: z.string().min(20).max(1000),
      }),
    }),
  })
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    manifest.slots.forEach((slot, i) => {
      if (seen.has(slot.key))
        ctx.addIssue({ code: 'custom', path: ['slots', i, 'key'], message: `duplicate slot ${slot.key}` });
      seen.add(slot.key);
    });
    const fields = manifest.landing.form.fields;
    if (!fields.some((f) => f.name === 'email' && f.type === 'email' && f.required)) {
      ctx.addIssue({
        code: 'custom',
        path: ['landing', 'form', 'fields'],
        message: 'the form needs a required email field',
      });
    }
    fields.forEach((field, i) => {
      if (field.type === 'select' && !field.options?.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['landing', 'form', 'fields', i, 'options'],
          message: 'a select needs options',
        });
      }
    });
    if (manifest.mdf.eligible && !manifest.mdf.suggestedBudget) {
      ctx.addIssue({
        code: 'custom',
        path: ['mdf', 'suggestedBudget'],
        message: 'an MDF-eligible kit suggests a budget',
      });
    }
  })
  .meta({ id: 'KitManifest', title: 'ChannelKit campaign kit manifest' });

export type KitManifest = z.infer<typeof manifestSchema>;
