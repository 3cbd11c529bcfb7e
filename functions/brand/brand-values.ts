import type { BrandValues } from '#functions/kits/render';
import type { Partner } from '#functions/partners/schema';
import type { Brand } from './schema';

/** A kit's `brand.*` values for a partner; placeholders say what is missing rather than hide it. */
export const brandValues = (partner: Pick<Partner, 'name'>, brand: Brand | undefined): BrandValues => ({
  company_name: brand?.companyName ?? partner.name,
  logo_url: brand?.logoUrl ?? '',
  primary_colour: brand?.primaryColour ?? '#1f2937',
  secondary_colour: brand?.secondaryColour ?? '#4f46e5',
  website: brand?.website ?? '',
  phone: brand?.phone ?? '',
  sender_name: brand?.senderName ?? partner.name,
  postal_address: brand
    ? brand.postalAddress.join('\n')
    : '[Your postal address: add it to your brand profile]',
});
