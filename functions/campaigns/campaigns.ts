import type { Principal } from '#functions/auth/principal';
import { getKitVersion, libraryKit } from '#functions/kits/kits';
import type { KitManifest } from '#functions/kits/manifest';
import { resolveSlotValues } from '#functions/kits/slot-values';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '#platform/errors';
import type { CampaignDeps } from './deps';
import { FieldErrors, futureTime, partnerOf, requireCampaign } from './guards';
import { completeIfDelivered } from './lifecycle';
import { campaignPreview } from './preview';
import type { Campaign, CreateCampaign, DecisionRequest, Notification, UpdateCampaign } from './schema';
import { campaignSlug } from './slug';
import { transition } from './status';

const SLUG_ATTEMPTS = 3;

/** Slots (strictly: required ones must be given or defaulted), list and schedule, errors per field. */
const checkInput = async (
  deps: CampaignDeps,
  partnerId: string,
  manifest: KitManifest,
  input: {
    slots?: Record<string, string> | undefined;
    listId?: string | undefined;
    scheduledAt?: string | null;
  },
) => {
  const errors = new FieldErrors();
  const slots =
    input.slots === undefined
      ? undefined
      : errors.collect(() => resolveSlotValues(manifest, input.slots ?? {}, { forPreview: false }));
  if (input.listId !== undefined && !(await deps.lists.exists(partnerId, input.listId))) {
    errors.add({ path: 'body.listId', message: 'you have no list with this id' });
  }
  const scheduledAt =
    typeof input.scheduledAt === 'string'
      ? errors.collect(() => futureTime(input.scheduledAt ?? '', deps.clock(), 'body.scheduledAt'))
      : input.scheduledAt;
  errors.throwIfAny('some fields are invalid');
  return { slots, scheduledAt };
};

/**
 * A partner launches kit@version from its library (eligibility is the kits feature's rule);
 * the version is frozen here, so a later retirement or a newer version does not touch it.
 */
export const createCampaign = async (
  deps: CampaignDeps,
  principal: Principal,
  input: CreateCampaign,
): Promise<Campaign> => {
  const partnerId = partnerOf(principal);
  const { kit } = await (await libraryKit(deps.kits, principal))(input.kitId);
  if (input.kitVersion !== undefined && input.kitVersion !== kit.semver) {
    throw new ValidationError('that version is not the one your library offers', [
      { path: 'body.kitVersion', message: `the library offers version ${kit.semver}` },
    ]);
  }
  const checked = await checkInput(deps, partnerId, kit.manifest, {
    slots: input.slots,
    listId: input.listId,
    scheduledAt: input.scheduledAt ?? null,
  });
  const now = deps.clock().toISOString();
  const base: Omit<Campaign, 'slug'> = {
    id: deps.newId(),
    partnerId,
    name: input.name,
    kitId: kit.kitId,
    kitVersion: kit.semver,
    kitName: kit.manifest.name,
    approvalRequired: kit.manifest.approvalRequired,
    slots: checked.slots ?? {},
    listId: input.listId,
    status: 'draft',
    scheduledAt: checked.scheduledAt ?? null,
    submittedAt: null,
    decisions: [],
    launchedAt: null,
    pausedAt: null,
    pauseReason: null,
    cancelledAt: null,
    sentAt: null,
    audienceSize: null,
    createdAt: now,
    createdBy: principal.email,
    updatedAt: now,
    version: 1,
  };
  for (let attempt = 1; ; attempt += 1) {
    const campaign = { ...base, slug: campaignSlug(input.name, deps.slugSuffix) };
    try {
      await deps.store.create(campaign);
      return campaign;
    } catch (error) {
      // A slug collision (about one in a billion per name) is retried with a new suffix.
      if (!(error instanceof ConflictError) || attempt >= SLUG_ATTEMPTS) throw error;
    }
  }
};

/** Edits a draft or rejected campaign (If-Match); slots are checked against the frozen kit version. */
export const updateCampaign = async (
  deps: CampaignDeps,
  principal: Principal,
  campaignId: string,
  expectedVersion: number,
  changes: UpdateCampaign,
): Promise<Campaign> => {
  const partnerId = partnerOf(principal);
  const current = await requireCampaign(deps.store, partnerId, campaignId);
  if (current.version !== expectedVersion) {
    throw new PreconditionFailedError(`expected version ${expectedVersion}; it is at ${current.version}`);
  }
  transition('edit', current.status, current);
  const kit = await getKitVersion(deps.kits, current.kitId, current.kitVersion);
  const checked = await checkInput(deps, partnerId, kit.manifest, changes);
  const next: Campaign = {
    ...current,
    name: changes.name ?? current.name,
    listId: changes.listId ?? current.listId,
    slots: checked.slots ?? current.slots,
    scheduledAt: checked.scheduledAt === undefined ? current.scheduledAt : checked.scheduledAt,
    updatedAt: deps.clock().toISOString(),
  };
  return deps.store.replace(next, current.version);
};

/** Submits for launch: to the brand approval queue when the kit requires it, else approved. */
export const submitCampaign = async (
  deps: CampaignDeps,
  principal: Principal,
  campaignId: string,
): Promise<Campaign> => {
  const current = await requireCampaign(deps.store, partnerOf(principal), campaignId);
  const move = transition('submit', current.status, current);
  if (move.kind === 'unchanged') return current;
  const now = deps.clock().toISOString();
  return deps.store.replace(
    {
      ...current,
      status: move.to,
      submittedAt: move.to === 'pending-approval' ? now : current.submittedAt,
      updatedAt: now,
    },
    current.version,
  );
};

/** Marketing's decision: recorded on the campaign (who, when, comment) and told to the partner. */
export const decideCampaign = async (
  deps: CampaignDeps,
  principal: Principal,
  campaignId: string,
  request: DecisionRequest,
): Promise<Campaign> => {
  const current = await deps.store.get(campaignId);
  if (!current) throw new NotFoundError('not found');
  if (request.decision === 'reject' && request.comment === '') {
    throw new ValidationError('say why the campaign is rejected', [
      { path: 'body.comment', message: 'is required when rejecting' },
    ]);
  }
  const move = transition(request.decision, current.status, current);
  const to = move.kind === 'move' ? move.to : current.status;
  const now = deps.clock().toISOString();
  const outcome = request.decision === 'approve' ? 'approved' : 'rejected';
  const notification: Notification = {
    id: deps.newId(),
    partnerId: current.partnerId,
    kind: outcome === 'approved' ? 'campaign-approved' : 'campaign-rejected',
    campaignId: current.id,
    campaignName: current.name,
    comment: request.comment,
    by: principal.name,
    createdAt: now,
  };
  return deps.store.replaceAndNotify(
    {
      ...current,
      status: to,
      decisions: [
        ...current.decisions,
        {
          outcome,
          by: { sub: principal.sub, email: principal.email, name: principal.name },
          at: now,
          comment: request.comment,
        },
      ],
      updatedAt: now,
    },
    current.version,
    notification,
  );
};

/** One campaign with its counters; a finished send is marked sent on the way. */
export const campaignDetail = async (deps: CampaignDeps, principal: Principal, campaignId: string) => {
  const campaign = await requireCampaign(deps.store, partnerOf(principal), campaignId);
  const counters = await deps.counters.get(campaign.id);
  return { ...(await completeIfDelivered(deps, campaign, counters)), counters };
};

/** The campaign's counters hour by hour (UTC), oldest first: the dashboard's time series. */
export const campaignSeries = async (deps: CampaignDeps, principal: Principal, campaignId: string) => {
  const campaign = await requireCampaign(deps.store, partnerOf(principal), campaignId);
  const hours = (await deps.counters.hours?.(campaign.id)) ?? [];
  return { campaignId: campaign.id, hours: [...hours].sort((a, b) => a.hour.localeCompare(b.hour)) };
};

export const listCampaigns = (deps: CampaignDeps, principal: Principal, limit: number, cursor?: string) =>
  deps.store.listForPartner(partnerOf(principal), limit, cursor);

export const listNotifications = (deps: CampaignDeps, principal: Principal, limit: number, cursor?: string) =>
  deps.store.notifications(partnerOf(principal), limit, cursor);

/** Oldest submission first, each with the partner's name and the campaign rendered as it will go out. */
export const approvalQueue = async (deps: CampaignDeps, limit: number, cursor?: string) => {
  const page = await deps.store.approvalQueue(limit, cursor);
  const items = await Promise.all(
    page.items.map(async (campaign) => {
      const partner = await deps.kits.partners.get(campaign.partnerId);
      return {
        campaign,
        partnerName: partner?.name ?? campaign.partnerId,
        preview: await campaignPreview(deps.kits, campaign, partner),
      };
    }),
  );
  return { items, nextCursor: page.nextCursor };
};
