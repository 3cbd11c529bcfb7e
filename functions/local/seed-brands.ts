import sharp from 'sharp';
import { logoKey, logoUrlOf } from '#functions/brand/brand';
import type { Brand } from '#functions/brand/schema';
import type { BrandStore } from '#functions/brand/store';
import type { BlobStore } from '#platform/blobs';
import { demoPartners } from './demo-data';

/** Demo brand profiles, so previews show each demo partner's own logo, colours and address. */
const demoBrands: Record<string, Omit<Brand, 'logoUrl' | 'updatedAt' | 'version'>> = {
  northwind: {
    companyName: 'Northwind Networks',
    primaryColour: '#0b5cad',
    secondaryColour: '#b45309',
    website: 'https://northwind.example',
    phone: '+1 206 555 0142',
    senderName: 'Nora at Northwind',
    replyTo: 'nora@northwind.example',
    postalAddress: [
      'Northwind Networks Inc.',
      '1200 Harbor Avenue, Suite 400',
      'Seattle, WA 98101',
      'United States',
    ],
  },
  globex: {
    companyName: 'Globex Integrations',
    primaryColour: '#116149',
    secondaryColour: '#b23a1c',
    website: 'https://globex.example',
    phone: '+44 20 7946 0321',
    senderName: 'Gus at Globex',
    replyTo: 'gus@globex.example',
    postalAddress: ['Globex Integrations Ltd', '27 Clerkenwell Road', 'London EC1M 5RN', 'United Kingdom'],
  },
  initech: {
    companyName: 'Initech Cloud',
    primaryColour: '#5b2a86',
    secondaryColour: '#0f766e',
    website: 'https://initech.example',
    phone: '+65 6555 0199',
    senderName: 'Ines at Initech',
    replyTo: 'ines@initech.example',
    postalAddress: ['Initech Cloud Pte. Ltd.', '8 Marina View, #20-01', 'Singapore 018960'],
  },
};

const escapeXml = (value: string) => value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A simple wordmark logo (PNG, 360×96) rendered from SVG. */
const logoPng = async (name: string, colour: string): Promise<Uint8Array> => {
  const initials = name
    .split(/\s+/)
    .map((w) => w[0])
    .join('')
    .slice(0, 2);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="96">
    <rect x="0" y="8" width="80" height="80" rx="18" fill="${colour}"/>
    <text x="40" y="62" font-family="DejaVu Sans, Arial, sans-serif" font-size="34" font-weight="700" fill="#fff" text-anchor="middle">${escapeXml(initials)}</text>
    <text x="96" y="60" font-family="DejaVu Sans, Arial, sans-serif" font-size="26" font-weight="700" fill="#111827">${escapeXml(name)}</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
};

export const seedBrands = async (deps: {
  brands: BrandStore;
  blobs: BlobStore;
  publicBaseUrl: string;
  clock: () => Date;
}) => {
  let created = 0;
  for (const partner of demoPartners) {
    const brand = demoBrands[partner.id];
    if (!brand || (await deps.brands.get(partner.id))) continue;
    // Stored as an upload would be (content-addressed), so the profile saves back unchanged.
    const logo = await logoPng(brand.companyName, brand.primaryColour);
    const key = logoKey(partner.id, logo, 'png');
    await deps.blobs.put(key, logo, 'image/png');
    await deps.brands.put(partner.id, {
      ...brand,
      logoUrl: logoUrlOf(deps.publicBaseUrl, key),
      updatedAt: deps.clock().toISOString(),
      version: 1,
    });
    created += 1;
  }
  return { created };
};
