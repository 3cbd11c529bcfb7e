import type { Role } from '#functions/auth/principal';
import type { Partner } from '#functions/partners/schema';

/** Three demo partners in different tiers and regions, seeded by `npm start`. */
export const demoPartners: ReadonlyArray<Pick<Partner, 'id' | 'name' | 'tier' | 'region'>> = [
  { id: 'northwind', name: 'Northwind Networks', tier: 'gold', region: 'NA' },
  { id: 'globex', name: 'Globex Integrations', tier: 'silver', region: 'EMEA' },
  { id: 'initech', name: 'Initech Cloud', tier: 'registered', region: 'APAC' },
];

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  partnerId: string | null;
}

/** Demo users for each role; the dev login lets you pick one. Addresses use SES's mailbox simulator domain. */
export const demoUsers: readonly DemoUser[] = [
  {
    id: 'u-marketing-1',
    name: 'Maya Marketing',
    email: 'maya@vendor.example',
    role: 'marketing',
    partnerId: null,
  },
  {
    id: 'u-auditor-1',
    name: 'Arjun Auditor',
    email: 'arjun@vendor.example',
    role: 'auditor',
    partnerId: null,
  },
  {
    id: 'u-northwind-1',
    name: 'Nora Northwind',
    email: 'nora@northwind.example',
    role: 'partner',
    partnerId: 'northwind',
  },
  { id: 'u-globex-1', name: 'Gus Globex', email: 'gus@globex.example', role: 'partner', partnerId: 'globex' },
  {
    id: 'u-initech-1',
    name: 'Ines Initech',
    email: 'ines@initech.example',
    role: 'partner',
    partnerId: 'initech',
  },
];
