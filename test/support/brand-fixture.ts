import type { Brand } from '#functions/brand/schema';

/** Northwind's brand profile as tests and benchmarks use it (one copy, so they agree). */
export const northwindBrand: Brand = {
  companyName: 'Northwind Networks',
  logoUrl: 'https://northwind.example/logo.png',
  primaryColour: '#0b5cad',
  secondaryColour: '#b45309',
  website: 'https://northwind.example',
  phone: '+1 206 555 0142',
  senderName: 'Nora at Northwind',
  replyTo: 'nora@northwind.example',
  postalAddress: ['Northwind Networks Inc.', '1200 Harbor Avenue, Suite 400', 'Seattle, WA 98101'],
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 1,
};
