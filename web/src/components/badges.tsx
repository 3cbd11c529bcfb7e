import {
  CAMPAIGN_STATUS_LABELS,
  type CampaignStatus,
  KIT_STATUS_LABELS,
  type KitStatus,
  type Money,
  ROLE_LABELS,
  type Role,
  type Tier,
} from '../api/types.ts';
import { formatMoney } from '../format.ts';

export function TierBadge({ tier }: { tier: Tier }) {
  return <span className={`badge tier tier-${tier}`}>{tier}</span>;
}

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge role role-${role}`}>{ROLE_LABELS[role]}</span>;
}

const KNOWN_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function MethodBadge({ method }: { method: string }) {
  const lower = method.toLowerCase();
  const tone = KNOWN_METHODS.has(lower) ? lower : 'other';
  return <span className={`badge method method-${tone}`}>{method.toUpperCase()}</span>;
}

export function KitStatusBadge({ status }: { status: KitStatus }) {
  return (
    <span className={`badge kit-status kit-status-${status}`} data-testid="kit-status" data-status={status}>
      {KIT_STATUS_LABELS[status]}
    </span>
  );
}

/** MDF eligibility, with the suggested budget when the kit names one. */
export function MdfBadge({ budget }: { budget: Money | null | undefined }) {
  return (
    <span className="badge badge-mdf" data-testid="mdf-badge">
      MDF eligible{budget ? ` · ${formatMoney(budget)} suggested` : ''}
    </span>
  );
}

export function ApprovalBadge() {
  return (
    <span className="badge badge-approval" data-testid="approval-badge">
      Approval required
    </span>
  );
}

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <span
      className={`badge campaign-status campaign-status-${status}`}
      data-testid="campaign-status"
      data-status={status}
    >
      {CAMPAIGN_STATUS_LABELS[status]}
    </span>
  );
}
