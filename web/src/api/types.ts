import type { InferResponseType } from 'hono/client';
import type { ApiClient } from './client.ts';

export type Me = InferResponseType<ApiClient['api']['me']['$get'], 200>;
export type User = Me['user'];
export type Role = User['role'];
export type Capability = Me['capabilities'][number];
export type Partner = InferResponseType<ApiClient['api']['partners'][':partnerId']['$get'], 200>;
export type PartnerPage = InferResponseType<ApiClient['api']['partners']['$get'], 200>;
export type Tier = Partner['tier'];
export type Region = Partner['region'];

// Option lists for forms; `satisfies` keeps them in step with the API's enums.
export const TIERS = ['registered', 'silver', 'gold', 'platinum'] as const satisfies readonly Tier[];
export const REGIONS = ['NA', 'EMEA', 'APAC', 'LATAM'] as const satisfies readonly Region[];

export const ROLE_LABELS: Record<Role, string> = {
  marketing: 'Vendor marketing',
  partner: 'Partner marketer',
  auditor: 'MDF auditor',
};

export const REGION_LABELS: Record<Region, string> = {
  NA: 'North America',
  EMEA: 'Europe, Middle East & Africa',
  APAC: 'Asia Pacific',
  LATAM: 'Latin America',
};
