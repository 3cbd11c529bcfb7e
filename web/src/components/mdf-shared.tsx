import type { InferResponseType } from 'hono/client';
import { Fragment, type ReactNode } from 'react';
import type { ApiClient } from '../api/client.ts';
import { formatMoney } from '../format.ts';

// ---- the API's shapes (functions/mdf/schema.ts, functions/audit/schema.ts) -------------

type MdfApi = ApiClient['api']['mdf'];
export type Fund = InferResponseType<MdfApi['funds']['$get'], 200>['items'][number];
export type MdfRequest = InferResponseType<MdfApi['requests']['$get'], 200>['items'][number];
export type RequestStatus = MdfRequest['status'];
export type Verification = InferResponseType<ApiClient['api']['audit']['verify']['$get'], 200>;

export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  submitted: 'Submitted',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

// ---- money: shown from integer minor units, entered in major units ----------------------

/** An amount in minor units as the user's locale writes it: 1000000 USD is $10,000.00. */
export function Money({ minor, currency, testId }: { minor: number; currency: string; testId?: string }) {
  return (
    <span className="cell-number" data-testid={testId} data-amount-minor={minor} data-currency={currency}>
      {formatMoney({ amount: minor, currency })}
    </span>
  );
}

/** Minor units as the text a user types back: 600000 USD is "6000.00" (string arithmetic). */
export function toMajorText(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** "50" or "12.5" (percent) as basis points (5000, 1250), or null: no float touches it. */
export function toBasisPoints(text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const bps = Number(`${match[1]}${(match[2] ?? '').padEnd(2, '0')}`);
  return bps >= 1 && bps <= 10_000 ? bps : null;
}

/** 5000 basis points as "50%", 1250 as "12.5%". */
export function formatShare(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const rest = bps % 100;
  return rest === 0 ? `${whole}%` : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}%`;
}

/** The fiscal quarter a date falls in, as the API writes periods: 2026-11-25 is 2026-Q4. */
export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

// ---- badges ------------------------------------------------------------------------------

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  return (
    <span
      className={`badge mdf-status mdf-status-${status}`}
      data-testid="mdf-request-status"
      data-status={status}
    >
      {REQUEST_STATUS_LABELS[status]}
    </span>
  );
}

/** An audit chain's integrity: intact, or the first broken entry and why. */
export function ChainBadge({ verification }: { verification: Verification }) {
  return verification.ok ? (
    <span
      className="badge mdf-chain mdf-chain-ok"
      data-testid="chain-status"
      data-ok="true"
      title={`${verification.entries} entries verified`}
    >
      Chain intact · {verification.entries} entries
    </span>
  ) : (
    <span
      className="badge mdf-chain mdf-chain-broken"
      data-testid="chain-status"
      data-ok="false"
      title={verification.firstBroken?.detail}
    >
      Broken at entry {verification.firstBroken?.seq ?? '?'} ({verification.firstBroken?.reason ?? 'unknown'})
    </span>
  );
}

// ---- funds -------------------------------------------------------------------------------

const BALANCES = [
  ['allocatedMinor', 'Allocated'],
  ['committedMinor', 'Committed'],
  ['claimedMinor', 'Claimed'],
  ['approvedMinor', 'Approved'],
  ['paidMinor', 'Paid'],
  ['remainingMinor', 'Remaining'],
] as const;

/** Funds per partner and period with every balance; `actions` fills a row beneath each (marketing's adjust). */
export function FundsTable({
  funds,
  partnerName,
  actions,
}: {
  funds: readonly Fund[];
  partnerName: (id: string) => string;
  actions?: (fund: Fund) => ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="mdf-funds-table">
        <thead>
          <tr>
            <th scope="col">Partner</th>
            <th scope="col">Period</th>
            <th scope="col">Share</th>
            {BALANCES.map(([key, label]) => (
              <th scope="col" key={key} className="cell-number">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {funds.map((fund) => (
            <Fragment key={fund.id}>
              <tr
                className={actions ? 'mdf-row-with-actions' : undefined}
                data-testid="mdf-fund-row"
                data-fund-id={fund.id}
                data-partner-id={fund.partnerId}
                data-period={fund.period}
              >
                <th scope="row">{partnerName(fund.partnerId)}</th>
                <td className="mdf-nowrap">{fund.period}</td>
                <td>
                  {formatShare(fund.reimbursementShareBps)}
                  <span className="cell-sub">claims within {fund.claimDeadlineDays} days</span>
                </td>
                {BALANCES.map(([key]) => (
                  <td key={key} className="cell-number" data-balance={key}>
                    <Money minor={fund[key]} currency={fund.currency} testId={`fund-${key}`} />
                  </td>
                ))}
              </tr>
              {actions && (
                <tr
                  className="mdf-actions-row"
                  data-testid="mdf-fund-actions"
                  data-partner-id={fund.partnerId}
                >
                  <td colSpan={3 + BALANCES.length}>{actions(fund)}</td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---- requests ----------------------------------------------------------------------------

/** An existing campaign (named when the viewer can list campaigns) or a planned activity. */
function ActivityKind({
  campaignId,
  campaignName,
}: {
  campaignId: string | null;
  campaignName: ((id: string) => string) | undefined;
}) {
  if (campaignId === null) return 'Planned activity';
  if (campaignName) return `Campaign: ${campaignName(campaignId)}`;
  return <span title={campaignId}>An existing campaign</span>;
}

/** The spend approved and what it committed from the fund, once approved. */
function Approval({ request }: { request: MdfRequest }) {
  if (request.approvedMinor === null) return <span className="muted">—</span>;
  return (
    <>
      <Money minor={request.approvedMinor} currency={request.currency} testId="request-approved" />
      <span className="cell-sub">
        commits{' '}
        <Money minor={request.committedMinor ?? 0} currency={request.currency} testId="request-committed" />
      </span>
    </>
  );
}

/** Requests as the API orders them (submitted first, oldest first); `actions` (or null) fills a row beneath. */
export function RequestsTable({
  requests,
  partnerName,
  campaignName,
  actions,
}: {
  requests: readonly MdfRequest[];
  partnerName?: (id: string) => string;
  campaignName?: (id: string) => string;
  actions?: (request: MdfRequest) => ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="mdf-requests-table">
        <thead>
          <tr>
            <th scope="col">Activity</th>
            {partnerName && <th scope="col">Partner</th>}
            <th scope="col">Dates</th>
            <th scope="col" className="cell-number">
              Planned spend
            </th>
            <th scope="col">Expected</th>
            <th scope="col">Status</th>
            <th scope="col" className="cell-number">
              Approved / committed
            </th>
          </tr>
        </thead>
        <tbody>
          {requests.map((request) => {
            const rowActions = actions?.(request) ?? null;
            return (
              <Fragment key={request.id}>
                <tr
                  className={rowActions === null ? undefined : 'mdf-row-with-actions'}
                  data-testid="mdf-request-row"
                  data-request-id={request.id}
                  data-status={request.status}
                  data-planned-minor={request.plannedSpendMinor}
                >
                  <th scope="row" className="cell-wrap">
                    {request.plannedActivity.name}
                    <span className="cell-sub">
                      <ActivityKind campaignId={request.campaignId} campaignName={campaignName} />
                    </span>
                  </th>
                  {partnerName && <td>{partnerName(request.partnerId)}</td>}
                  <td className="mdf-nowrap">
                    {request.plannedActivity.startDate}
                    <span className="cell-sub">to {request.plannedActivity.endDate}</span>
                  </td>
                  <td className="cell-number">
                    <Money minor={request.plannedSpendMinor} currency={request.currency} />
                  </td>
                  <td className="cell-wrap">
                    {request.expectedOutcomes.leads} leads · {request.expectedOutcomes.eqls} EQLs
                    <span className="cell-sub">
                      pipeline{' '}
                      {formatMoney({
                        amount: request.expectedOutcomes.pipelineMinor,
                        currency: request.currency,
                      })}
                    </span>
                  </td>
                  <td className="cell-wrap">
                    <RequestStatusBadge status={request.status} />
                    {request.rejectionReason && (
                      <span className="cell-sub" data-testid="mdf-rejection-reason">
                        {request.rejectionReason}
                      </span>
                    )}
                  </td>
                  <td className="cell-number">
                    <Approval request={request} />
                  </td>
                </tr>
                {rowActions !== null && (
                  <tr
                    className="mdf-actions-row"
                    data-testid="mdf-request-actions"
                    data-planned-minor={request.plannedSpendMinor}
                  >
                    <td colSpan={partnerName ? 7 : 6}>{rowActions}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
