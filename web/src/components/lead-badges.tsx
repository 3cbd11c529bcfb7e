import {
  ATTRIBUTION_LABELS,
  LEAD_STATUS_LABELS,
  type LeadAttribution,
  type LeadStatus,
} from '../pages/leads-shared.tsx';

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  return (
    <span
      className={`badge lead-status lead-status-${status}`}
      data-testid="lead-status"
      data-status={status}
    >
      {LEAD_STATUS_LABELS[status]}
    </span>
  );
}

/** Ecosystem-qualified lead: shown only when it is one; "not an EQL" is said in words where it matters. */
export function EqlBadge({ eql, always = false }: { eql: boolean; always?: boolean }) {
  if (!eql && !always) return null;
  return (
    <span
      className={`badge ${eql ? 'badge-eql' : 'badge-not-eql'}`}
      data-testid="eql-badge"
      data-eql={eql}
      title={
        eql
          ? 'Ecosystem-qualified lead: the account overlaps a partner’s customers or open opportunities'
          : undefined
      }
    >
      {eql ? 'EQL' : 'Not an EQL'}
    </span>
  );
}

export function AttributionBadge({ attribution }: { attribution: LeadAttribution }) {
  return (
    <span
      className={`badge lead-attribution lead-attribution-${attribution}`}
      data-testid="lead-attribution"
      data-attribution={attribution}
    >
      {ATTRIBUTION_LABELS[attribution]}
    </span>
  );
}

export function OutcomeBadge({ outcome }: { outcome: 'passed' | 'failed' | 'skipped' }) {
  const label = { passed: 'Passed', failed: 'Failed', skipped: 'Skipped' }[outcome];
  return (
    <span
      className={`badge rule-outcome rule-outcome-${outcome}`}
      data-testid="rule-outcome"
      data-outcome={outcome}
    >
      {label}
    </span>
  );
}
