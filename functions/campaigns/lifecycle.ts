import type { Counters } from '#functions/sending/contracts';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors';
import type { LaunchDeps } from './deps';
import { futureTime, requireCampaign } from './guards';
import { type Campaign, type ScheduledLaunch, scheduledLaunchSchema } from './schema';
import { type CampaignAction, IllegalTransitionError, transition } from './status';
import type { CampaignStore } from './store';

/** One schedule per campaign: scheduling again replaces it (EventBridge names are unique). */
export const scheduleName = (campaignId: string): string => `campaign-${campaignId}`;

interface Applied {
  campaign: Campaign;
  changed: boolean;
}

/**
 * Moves a campaign by the status machine with a conditional write on the version it was
 * read at: of two concurrent requests only one moves it, the other gets a ConflictError.
 */
const apply = async (
  store: CampaignStore,
  now: Date,
  campaign: Campaign,
  action: CampaignAction,
  changes: Partial<Campaign> = {},
): Promise<Applied> => {
  const move = transition(action, campaign.status, campaign);
  if (move.kind === 'unchanged') return { campaign, changed: false };
  const next = { ...campaign, ...changes, status: move.to, updatedAt: now.toISOString() };
  return { campaign: await store.replace(next, campaign.version), changed: true };
};

/** Puts a campaign back as it was after a follow-up failed; the caller rethrows the failure. */
const restore = async (store: CampaignStore, before: Campaign, after: Campaign): Promise<void> => {
  await store.replace(before, after.version).catch(() => undefined);
};

/** The brand every message of this launch is rendered with, read as the status changes. */
const brandSnapshot = async (deps: LaunchDeps, partnerId: string): Promise<Partial<Campaign>> =>
  deps.brands ? { brandAtLaunch: (await deps.brands.get(partnerId)) ?? null } : {};

/**
 * Launch now (from the API) or at the scheduled time (from the scheduler target). Idempotent:
 * a double click, a repeated request or a redelivered schedule enqueues the expand step once,
 * because only the request that wins the conditional status change enqueues it.
 */
export const launchCampaign = async (
  deps: LaunchDeps,
  partnerId: string,
  campaignId: string,
  options: { scheduledFor?: string } = {},
): Promise<{ campaign: Campaign; launched: boolean }> => {
  const campaign = await requireCampaign(deps.store, partnerId, campaignId);
  if (options.scheduledFor !== undefined) {
    // A schedule that no longer applies (cancelled, launched by hand, moved) does nothing.
    if (campaign.status !== 'scheduled' || campaign.scheduledAt !== options.scheduledFor) {
      return { campaign, launched: false };
    }
  }
  const now = deps.clock();
  let applied: Applied;
  try {
    applied = await apply(deps.store, now, campaign, 'launch', {
      launchedAt: now.toISOString(),
      ...(await brandSnapshot(deps, partnerId)),
    });
  } catch (error) {
    if (!(error instanceof ConflictError) || error instanceof IllegalTransitionError) throw error;
    // Lost a race: if the winner launched it, this request is the same launch, already done.
    const current = await requireCampaign(deps.store, partnerId, campaignId);
    if (transition('launch', current.status, current).kind === 'unchanged') {
      return { campaign: current, launched: false };
    }
    throw error;
  }
  if (!applied.changed) return { campaign: applied.campaign, launched: false };
  try {
    await deps.enqueueStep({ kind: 'expand', campaignId, partnerId, page: 0 });
  } catch (error) {
    await restore(deps.store, campaign, applied.campaign);
    throw error;
  }
  if (campaign.status === 'scheduled' && options.scheduledFor === undefined) {
    // Tidy only: the stale schedule would find the campaign no longer scheduled and do nothing.
    await deps.scheduler.cancel(scheduleName(campaignId)).catch(() => undefined);
  }
  return { campaign: applied.campaign, launched: true };
};

/** Schedules (or reschedules) the launch at `at`, or at the campaign's planned time. */
export const scheduleCampaign = async (
  deps: LaunchDeps,
  partnerId: string,
  campaignId: string,
  at: string | undefined,
): Promise<Campaign> => {
  const campaign = await requireCampaign(deps.store, partnerId, campaignId);
  const when = at ?? campaign.scheduledAt;
  if (!when) {
    throw new ValidationError('say when to launch', [
      { path: 'body.at', message: 'is required when the campaign has no planned scheduledAt' },
    ]);
  }
  const scheduledAt = futureTime(when, deps.clock(), 'body.at');
  const applied = await apply(deps.store, deps.clock(), campaign, 'schedule', { scheduledAt });
  const payload: ScheduledLaunch = { kind: 'launch', campaignId, partnerId, at: scheduledAt };
  try {
    await deps.scheduler.schedule(scheduleName(campaignId), new Date(scheduledAt), JSON.stringify(payload));
  } catch (error) {
    await restore(deps.store, campaign, applied.campaign);
    throw error;
  }
  return applied.campaign;
};

/** Cancels before or while sending: the send engine drops the batches of a cancelled campaign. */
export const cancelCampaign = async (
  deps: LaunchDeps,
  partnerId: string,
  campaignId: string,
): Promise<Campaign> => {
  const campaign = await requireCampaign(deps.store, partnerId, campaignId);
  const now = deps.clock();
  const applied = await apply(deps.store, now, campaign, 'cancel', { cancelledAt: now.toISOString() });
  if (applied.changed && campaign.status === 'scheduled') {
    await deps.scheduler.cancel(scheduleName(campaignId));
  }
  // Batches parked while it was paused go back to the worker, which drops a cancelled campaign's.
  if (applied.changed && campaign.status === 'paused') {
    await deps.enqueueStep({ kind: 'unpark', campaignId, partnerId });
  }
  return applied.campaign;
};

/** Pause stops further batches (the send engine defers them); resume lets them through again. */
export const pauseCampaign = async (deps: LaunchDeps, partnerId: string, campaignId: string) => {
  const campaign = await requireCampaign(deps.store, partnerId, campaignId);
  const now = deps.clock();
  return (await apply(deps.store, now, campaign, 'pause', { pausedAt: now.toISOString(), pauseReason: null }))
    .campaign;
};

/**
 * Resume lets batches through again and puts back those parked meanwhile. A repeated resume
 * (already sending) enqueues the unpark step again: harmless, and it repairs a resume whose
 * first enqueue failed after the status changed.
 */
export const resumeCampaign = async (deps: LaunchDeps, partnerId: string, campaignId: string) => {
  const campaign = await requireCampaign(deps.store, partnerId, campaignId);
  const applied = await apply(deps.store, deps.clock(), campaign, 'resume', {
    pausedAt: null,
    pauseReason: null,
  });
  await deps.enqueueStep({ kind: 'unpark', campaignId, partnerId });
  return applied.campaign;
};

/**
 * A scheduled launch arriving at its time (a `launch` message on the send queue, put there by
 * EventBridge Scheduler in AWS): the same launch use-case, for the time that was scheduled.
 * A malformed message throws (the queue retries, then dead-letters it); a campaign gone since
 * is nothing to do.
 */
export const handleLaunchMessage = async (deps: LaunchDeps, input: unknown) => {
  const launch = scheduledLaunchSchema.parse(input);
  try {
    return await launchCampaign(deps, launch.partnerId, launch.campaignId, { scheduledFor: launch.at });
  } catch (error) {
    if (error instanceof NotFoundError) return { campaign: undefined, launched: false };
    throw error;
  }
};

/** The same from a schedule's raw payload (the in-process scheduler's target receives a string). */
export const handleScheduledLaunch = async (deps: LaunchDeps, payload: string) => {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    throw new Error('the scheduled launch payload is not JSON');
  }
  return handleLaunchMessage(deps, raw);
};

/** Once every recipient has an outcome, a sending campaign is sent. */
export const completeIfDelivered = async (
  deps: Pick<LaunchDeps, 'store' | 'clock'>,
  campaign: Campaign,
  counters: Counters,
): Promise<Campaign> => {
  const settled = counters.sent + counters.failed + counters.suppressed;
  if (campaign.status !== 'sending' || campaign.audienceSize === null || settled < campaign.audienceSize) {
    return campaign;
  }
  const now = deps.clock();
  try {
    return (await apply(deps.store, now, campaign, 'complete', { sentAt: now.toISOString() })).campaign;
  } catch (error) {
    // Changed meanwhile (paused, cancelled): show it as it was read; the next read settles it.
    if (error instanceof ConflictError) return campaign;
    throw error;
  }
};
