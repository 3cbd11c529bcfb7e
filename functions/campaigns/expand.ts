import { PreconditionFailedError } from '#platform/errors';
import { PAGE_SIZE, splitIntoBatches } from './batches';
import type { ExpandDeps } from './deps';
import { retryOnConflict } from './retry';
import { type Campaign, type ExpandPage, expandMessageSchema } from './schema';

export type ExpandOutcome =
  | { outcome: 'expanded'; page: number; batches: number; recipients: number; complete: boolean }
  | { outcome: 'duplicate'; page: number }
  | { outcome: 'skipped'; reason: 'no-such-campaign' | 'cancelled' | 'not-launched' };

/**
 * Records the audience size when the last page is expanded, retrying on concurrent changes
 * (a pause or resume may move the campaign meanwhile). An empty list has nothing to send.
 */
const finishExpansion = (deps: ExpandDeps, campaignId: string, audienceSize: number) =>
  retryOnConflict(async () => {
    const campaign = await deps.store.get(campaignId);
    if (!campaign || campaign.audienceSize !== null) return;
    const now = deps.clock().toISOString();
    const empty = audienceSize === 0 && campaign.status === 'sending';
    const next: Campaign = {
      ...campaign,
      audienceSize,
      updatedAt: now,
      ...(empty ? { status: 'sent', sentAt: now } : {}),
    };
    await deps.store.replace(next, campaign.version);
  });

/** Expands one list page into send batches, once; returns the page's progress record. */
const expandPage = async (
  deps: ExpandDeps,
  campaign: Campaign,
  page: number,
  cursor: string | undefined,
): Promise<ExpandPage | 'duplicate'> => {
  const members = await deps.audience.listMembersPage(campaign.partnerId, campaign.listId, {
    limit: PAGE_SIZE,
    cursor,
  });
  const batches = splitIntoBatches(
    { campaignId: campaign.id, partnerId: campaign.partnerId },
    page,
    members.items,
  );
  // Enqueued before the page is recorded: a crash in between re-enqueues the same batch ids,
  // which the send engine's per-recipient send records make harmless; the reverse order could
  // lose a page.
  await Promise.all(batches.map((batch) => deps.enqueueBatch(batch)));
  const previous = page === 0 ? undefined : await deps.store.getExpandPage(campaign.id, page - 1);
  const progress = {
    campaignId: campaign.id,
    page,
    recipients: members.items.length,
    total: (previous?.total ?? 0) + members.items.length,
    batches: batches.length,
    nextCursor: members.nextCursor,
  };
  if ((await deps.store.claimExpandPage(progress)) === 'existed') return 'duplicate';
  try {
    // Counted by the delivery that recorded the page, so a redelivery never counts twice.
    if (progress.recipients > 0) {
      await deps.counters.add(campaign.id, { queued: progress.recipients }, deps.clock());
    }
  } catch (error) {
    await deps.store.releaseExpandPage(campaign.id, page);
    throw error;
  }
  return { ...progress, continued: false, version: 1 };
};

/**
 * The expand step (a queue message of kind `expand`): one page of the campaign's list per
 * invocation, split into batches of ≤ 50, then the next step with the list's cursor, so a
 * 100k-member list never runs into a function timeout. Idempotent under redelivery: each page
 * is recorded with a conditional write, and a recorded page is never expanded or counted again.
 */
export const handleExpand = async (deps: ExpandDeps, input: unknown): Promise<ExpandOutcome> => {
  const message = expandMessageSchema.parse(input);
  const campaign = await deps.store.get(message.campaignId);
  if (!campaign || campaign.partnerId !== message.partnerId) {
    return { outcome: 'skipped', reason: 'no-such-campaign' };
  }
  if (campaign.status === 'cancelled') return { outcome: 'skipped', reason: 'cancelled' };
  // Paused campaigns keep expanding: the send engine holds their batches back until resumed.
  if (campaign.launchedAt === null) return { outcome: 'skipped', reason: 'not-launched' };

  const page = message.page;
  const recorded = await deps.store.getExpandPage(campaign.id, page);
  const progress = recorded ?? (await expandPage(deps, campaign, page, message.cursor));
  if (progress === 'duplicate' || progress.continued) return { outcome: 'duplicate', page };

  if (progress.nextCursor !== null) {
    await deps.enqueueStep({
      kind: 'expand',
      campaignId: campaign.id,
      partnerId: campaign.partnerId,
      page: page + 1,
      cursor: progress.nextCursor,
    });
  } else {
    await finishExpansion(deps, campaign.id, progress.total);
  }
  try {
    await deps.store.markExpandPageContinued(progress);
  } catch (error) {
    // A concurrent delivery marked it first: the next step is enqueued either way.
    if (!(error instanceof PreconditionFailedError)) throw error;
  }
  return {
    outcome: 'expanded',
    page,
    batches: progress.batches,
    recipients: progress.recipients,
    complete: progress.nextCursor === null,
  };
};
