import { type FieldError, ValidationError } from '#platform/errors';
import type { KitManifest, Slot } from './manifest';
import { sampleValue } from './sample-values';

const HEX = /^#[0-9a-fA-F]{6}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const problemWith = (slot: Slot, value: string): string | undefined => {
  switch (slot.type) {
    case 'text':
    case 'multiline': {
      if (slot.type === 'text' && /[\r\n]/.test(value)) return 'must be a single line';
      const length = [...value].length;
      if (length < slot.minLength) return `must be at least ${slot.minLength} characters`;
      if (length > slot.maxLength) return `must be at most ${slot.maxLength} characters`;
      return undefined;
    }
    case 'url':
    case 'image': {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' ? undefined : 'must be an https:// URL';
      } catch {
        return 'must be an absolute https:// URL';
      }
    }
    case 'colour':
      return HEX.test(value) ? undefined : 'must be a #rrggbb colour';
    case 'select':
      return slot.options.some((o) => o.value === value)
        ? undefined
        : `must be one of ${slot.options.map((o) => o.value).join(', ')}`;
    case 'date': {
      if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
        return 'must be a date as YYYY-MM-DD';
      if (slot.min && value < slot.min) return `must be on or after ${slot.min}`;
      if (slot.max && value > slot.max) return `must be on or before ${slot.max}`;
      return undefined;
    }
  }
};

/**
 * A partner's slot values checked against the kit's slot schema, one error per field
 * (`body.slots.<key>`). Unset slots take the kit's default (or, for a preview, a sample);
 * a locked slot keeps the kit's value whatever is sent.
 */
export const resolveSlotValues = (
  manifest: KitManifest,
  input: Record<string, string>,
  { forPreview }: { forPreview: boolean },
): Record<string, string> => {
  const errors: FieldError[] = [];
  const known = new Map(manifest.slots.map((slot) => [slot.key, slot]));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) errors.push({ path: `body.slots.${key}`, message: 'this kit has no such slot' });
  }
  const values: Record<string, string> = {};
  for (const slot of manifest.slots) {
    const given = input[slot.key];
    if (slot.locked) {
      if (given !== undefined && given !== slot.default) {
        errors.push({ path: `body.slots.${slot.key}`, message: 'this slot is locked by the kit' });
      }
      values[slot.key] = slot.default ?? '';
      continue;
    }
    const value = given === undefined || given === '' ? undefined : given;
    if (value === undefined) {
      if (slot.default !== undefined) values[slot.key] = slot.default;
      else if (!slot.required) values[slot.key] = '';
      else if (forPreview) values[slot.key] = sampleValue(slot);
      else errors.push({ path: `body.slots.${slot.key}`, message: 'is required' });
      continue;
    }
    const problem = problemWith(slot, value);
    if (problem) errors.push({ path: `body.slots.${slot.key}`, message: problem });
    else values[slot.key] = value;
  }
  if (errors.length > 0) throw new ValidationError('some slot values are invalid', errors);
  return values;
};
