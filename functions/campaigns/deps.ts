import type { BrandStore } from '#functions/brand/store';
import type { KitDeps } from '#functions/kits/kits';
import type { Audience, CounterStore, Enqueue, EnqueueStep, ListDirectory, Scheduler } from './ports';
import type { CampaignStore } from './store';

/** Everything the campaigns feature takes from outside, injected by app.ts and the workers. */
export interface CampaignDeps {
  store: CampaignStore;
  /** The kits feature's collaborators: library eligibility, kit versions, rendering. */
  kits: KitDeps;
  lists: ListDirectory;
  audience: Audience;
  scheduler: Scheduler;
  enqueueStep: EnqueueStep;
  enqueueBatch: Enqueue;
  counters: CounterStore;
  clock: () => Date;
  newId: () => string;
  /** The random part of landing-page slugs (tests pin it). */
  slugSuffix?: () => string;
}

/** What the expand step needs: no HTTP, no kits. */
export type ExpandDeps = Pick<
  CampaignDeps,
  'store' | 'audience' | 'enqueueBatch' | 'enqueueStep' | 'counters' | 'clock'
>;

/**
 * What launching (from the API or the scheduler target) needs; with `brands`, the launch freezes
 * the partner's brand profile onto the campaign (`brandAtLaunch`).
 */
export type LaunchDeps = Pick<CampaignDeps, 'store' | 'scheduler' | 'enqueueStep' | 'clock'> & {
  brands?: Pick<BrandStore, 'get'>;
};

/** The ports the app and the runtime inject (the rest is built from the table and the kits feature). */
export type CampaignPorts = Pick<
  CampaignDeps,
  'lists' | 'audience' | 'scheduler' | 'enqueueStep' | 'enqueueBatch' | 'counters'
>;
