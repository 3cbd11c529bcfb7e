import type { KitManifest, Slot } from './manifest';
import type { BrandValues, RenderInput } from './render';

/**
 * Values for rendering a kit without a real partner or recipient: the validator measures the
 * email with them, and previews fill unset slots from the kit's defaults. Recognisable
 * `.invalid` URLs (RFC 2606) let checks tell tracked links and the unsubscribe link apart.
 */
export const MARKERS = {
  track: 'https://t.channelkit.invalid/c/',
  unsubscribe: 'https://u.channelkit.invalid/u/preview',
  landing: 'https://p.channelkit.invalid/p/preview',
  form: 'https://p.channelkit.invalid/p/preview',
  asset: 'https://assets.channelkit.invalid/',
} as const;

export const sampleBrand: BrandValues = {
  company_name: 'Northwind Networks',
  logo_url: 'https://assets.channelkit.invalid/brand/logo.png',
  primary_colour: '#0b5cad',
  secondary_colour: '#f2a900',
  website: 'https://northwind.example',
  phone: '+1 206 555 0142',
  sender_name: 'Nora at Northwind',
  postal_address: 'Northwind Networks Inc.\n1200 Harbor Avenue, Suite 400\nSeattle, WA 98101\nUnited States',
};

export const sampleVendor = { name: 'Vendor', website: 'https://vendor.example' };
export const sampleRecipient = { first_name: 'Alex', last_name: 'Rivera', company: 'Contoso Health' };

/** A stand-in for a slot with no default, long enough to measure worst-ish size. */
export const sampleValue = (slot: Slot): string => {
  if (slot.default !== undefined) return slot.default;
  switch (slot.type) {
    case 'text':
    case 'multiline':
      return 'Sample text '
        .repeat(Math.ceil(Math.max(slot.minLength, Math.min(slot.maxLength, 40)) / 12))
        .slice(0, slot.maxLength)
        .trim();
    case 'url':
      return 'https://example.com/offer';
    case 'colour':
      return '#336699';
    case 'image':
      return 'https://assets.channelkit.invalid/partner/sample.png';
    case 'select':
      return slot.options[0]?.value ?? '';
    case 'date':
      return slot.min ?? '2027-03-18';
  }
};

export const defaultSlotValues = (manifest: KitManifest): Record<string, string> =>
  Object.fromEntries(manifest.slots.map((slot) => [slot.key, sampleValue(slot)]));

export const sampleRenderInput = (manifest: KitManifest): RenderInput => ({
  slots: defaultSlotValues(manifest),
  brand: sampleBrand,
  vendor: sampleVendor,
  recipient: sampleRecipient,
  unsubscribeUrl: MARKERS.unsubscribe,
  landingUrl: MARKERS.landing,
  trackLink: (_url, index) => `${MARKERS.track}${index}`,
  assetUrl: (name) => `${MARKERS.asset}${name}`,
  formAction: MARKERS.form,
});
