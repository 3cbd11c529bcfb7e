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

// ---- campaign kits -------------------------------------------------------------------

type KitsApi = ApiClient['api']['kits'];
type LibraryApi = ApiClient['api']['library'];

export type KitHead = InferResponseType<KitsApi['$get'], 200>['items'][number];
export type KitStatus = KitHead['latestStatus'];
export type KitDetail = InferResponseType<KitsApi[':kitId']['$get'], 200>;
export type KitVersionSummary = KitDetail['versions'][number];
export type KitVersionDetail = InferResponseType<KitsApi[':kitId']['versions'][':version']['$get'], 200>;
export type KitManifest = KitVersionDetail['manifest'];
export type KitReport = KitVersionDetail['report'];
export type KitProblem = KitReport['errors'][number];
export type KitAsset = KitVersionDetail['assets'][number];
export type Slot = KitManifest['slots'][number];
export type SlotType = Slot['type'];
export type Objective = KitManifest['objective'];
export type Money = { amount: number; currency: string };

export type LibraryPage = InferResponseType<LibraryApi['$get'], 200>;
export type LibraryKit = LibraryPage['items'][number];
export type LibraryFacets = LibraryPage['facets'];
export type LibraryKitDetail = InferResponseType<LibraryApi[':kitId']['$get'], 200>;
export type KitPreview = InferResponseType<LibraryApi[':kitId']['preview']['$post'], 200>;
export type SlotValues = Record<string, string>;

export const KIT_STATUS_LABELS: Record<KitStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  retired: 'Retired',
};

export const OBJECTIVE_LABELS: Record<Objective, string> = {
  awareness: 'Awareness',
  'event-registration': 'Event registration',
  'lead-generation': 'Lead generation',
  'product-launch': 'Product launch',
  nurture: 'Nurture',
  renewal: 'Renewal',
};

// ---- brand, contacts, campaigns ------------------------------------------------------

export type Brand = InferResponseType<ApiClient['api']['brand']['$get'], 200>;
export type BrandInput = Omit<Brand, 'updatedAt' | 'version'>;
export type BrandSaved = InferResponseType<ApiClient['api']['brand']['$put'], 200>;
export type ContactList = InferResponseType<ApiClient['api']['lists']['$get'], 200>['items'][number];
export type ImportJob = InferResponseType<ApiClient['api']['contacts']['imports'][':importId']['$get'], 200>;
export type Campaign = InferResponseType<ApiClient['api']['campaigns']['$get'], 200>['items'][number];
export type CampaignDetail = InferResponseType<ApiClient['api']['campaigns'][':campaignId']['$get'], 200>;
export type CampaignStatus = Campaign['status'];
export type CampaignCounters = CampaignDetail['counters'];

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: 'Draft',
  'pending-approval': 'Pending approval',
  approved: 'Approved',
  rejected: 'Rejected',
  scheduled: 'Scheduled',
  sending: 'Sending',
  paused: 'Paused',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

// ---- approvals and notifications -------------------------------------------------------

export type ApprovalPage = InferResponseType<ApiClient['api']['approvals']['$get'], 200>;
export type ApprovalItem = ApprovalPage['items'][number];
export type Notification = InferResponseType<ApiClient['api']['notifications']['$get'], 200>['items'][number];
export type Decision = CampaignDetail['decisions'][number];
