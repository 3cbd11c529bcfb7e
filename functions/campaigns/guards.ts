import type { Principal } from '#functions/auth/principal';
import { callerPartnerId } from '#functions/auth/tenancy';
import { type FieldError, ForbiddenError, NotFoundError, ValidationError } from '#platform/errors';
import type { Campaign } from './schema';
import type { CampaignStore } from './store';

/** The partner a partner user acts for: from the verified token, never the request. */
export const partnerOf = (principal: Principal): string => {
  const partnerId = callerPartnerId(principal);
  if (!partnerId) throw new ForbiddenError('campaigns are launched by partner users');
  return partnerId;
};

/** The caller's campaign, or the same 404 as a missing one (another partner's included). */
export const requireCampaign = async (
  store: CampaignStore,
  partnerId: string,
  campaignId: string,
): Promise<Campaign> => {
  const campaign = await store.getForPartner(partnerId, campaignId);
  if (!campaign) throw new NotFoundError('not found');
  return campaign;
};

/** A time that must lie ahead of `now` (the schema checked its format), normalised to UTC. */
export const futureTime = (value: string, now: Date, path: string): string => {
  const at = new Date(value);
  if (Number.isNaN(at.getTime()) || at.getTime() <= now.getTime()) {
    throw new ValidationError('the time must be in the future', [{ path, message: 'must be in the future' }]);
  }
  return at.toISOString();
};

/** Collects field errors from several checks and throws them together, as one 422. */
export class FieldErrors {
  readonly errors: FieldError[] = [];

  add(error: FieldError | undefined): void {
    if (error) this.errors.push(error);
  }

  /** Runs a check that throws a ValidationError, keeping its field errors. */
  collect<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      this.errors.push(...(error.errors ?? []));
      return undefined;
    }
  }

  throwIfAny(detail: string): void {
    if (this.errors.length > 0) throw new ValidationError(detail, this.errors);
  }
}
