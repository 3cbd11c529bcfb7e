import { ConflictError } from '#platform/errors';
import type { CampaignStatus } from './schema';

/**
 * The campaign status machine, pure:
 *
 *   draft ─submit→ pending-approval ─approve→ approved      (kits with approvalRequired)
 *   draft ─submit→ approved                                 (kits without)
 *   pending-approval ─reject→ rejected ─edit/submit→ …
 *   draft* | approved | scheduled ─schedule→ scheduled
 *   draft* | approved | scheduled ─launch→ sending ─pause→ paused ─resume→ sending ─complete→ sent
 *   anything not finished ─cancel→ cancelled
 *
 * (*) only when the kit needs no approval: no launch without approval when it is required.
 */
export type CampaignAction =
  | 'edit'
  | 'submit'
  | 'approve'
  | 'reject'
  | 'schedule'
  | 'launch'
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'complete';

interface Rule {
  from: readonly CampaignStatus[];
  /** Statuses in which the action has already happened: repeating it changes nothing. */
  done: readonly CampaignStatus[];
  to: (approvalRequired: boolean, current: CampaignStatus) => CampaignStatus;
}

const launchable = (approvalRequired: boolean): CampaignStatus[] =>
  approvalRequired ? ['approved', 'scheduled'] : ['draft', 'approved', 'scheduled'];

const rules: Record<CampaignAction, (approvalRequired: boolean) => Rule> = {
  edit: () => ({ from: ['draft', 'rejected'], done: [], to: (_, current) => current }),
  submit: () => ({
    from: ['draft', 'rejected'],
    done: ['pending-approval'],
    to: (approvalRequired) => (approvalRequired ? 'pending-approval' : 'approved'),
  }),
  approve: () => ({ from: ['pending-approval'], done: [], to: () => 'approved' }),
  reject: () => ({ from: ['pending-approval'], done: [], to: () => 'rejected' }),
  schedule: (approvalRequired) => ({ from: launchable(approvalRequired), done: [], to: () => 'scheduled' }),
  launch: (approvalRequired) => ({
    from: launchable(approvalRequired),
    done: ['sending', 'paused', 'sent'],
    to: () => 'sending',
  }),
  pause: () => ({ from: ['sending'], done: ['paused'], to: () => 'paused' }),
  resume: () => ({ from: ['paused'], done: ['sending'], to: () => 'sending' }),
  cancel: () => ({
    from: ['draft', 'pending-approval', 'approved', 'rejected', 'scheduled', 'sending', 'paused'],
    done: ['cancelled'],
    to: () => 'cancelled',
  }),
  complete: () => ({ from: ['sending'], done: ['sent'], to: () => 'sent' }),
};

export type Transition = { kind: 'move'; to: CampaignStatus } | { kind: 'unchanged' };

/** A 409 whose detail names the current status (and why, when approval is what is missing). */
export class IllegalTransitionError extends ConflictError {
  constructor(
    readonly action: CampaignAction,
    readonly current: CampaignStatus,
    reason?: string,
  ) {
    super(`cannot ${action} a campaign that is ${current}${reason ? `: ${reason}` : ''}`, undefined, {
      currentStatus: current,
    });
  }
}

export const transition = (
  action: CampaignAction,
  current: CampaignStatus,
  { approvalRequired }: { approvalRequired: boolean },
): Transition => {
  const rule = rules[action](approvalRequired);
  if (rule.done.includes(current)) return { kind: 'unchanged' };
  if (rule.from.includes(current)) return { kind: 'move', to: rule.to(approvalRequired, current) };
  const needsApproval =
    approvalRequired && (action === 'launch' || action === 'schedule') && current === 'draft';
  throw new IllegalTransitionError(
    action,
    current,
    needsApproval ? 'its kit requires brand approval; submit it first' : undefined,
  );
};
