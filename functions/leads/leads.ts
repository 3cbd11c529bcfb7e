import { stringify } from 'csv-stringify/sync';
import * as z from 'zod';
import type { Principal } from '#functions/auth/principal';
import { callerPartnerId } from '#functions/auth/tenancy';
import type { Paged } from '#functions/campaigns/store';
import { neutraliseFormula } from '#functions/contacts/csv-export';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '#platform/errors';
import { leadStatuses } from './funnel';
import type { PublishLeadEvent } from './lead-events';
import { type Lead, wonSchema } from './lead-schema';
import type { LeadStore } from './lead-store';
import { type LeadSummary, type PartnerLeadView, partnerView, summaryOf } from './lead-views';
import {
  defaultQualificationConfig,
  type QualificationConfig,
  qualificationConfigSchema,
} from './qualification';

/**
 * The lead API's operations. Partner users see and work only the leads their own campaigns
 * touched (a lead of another partner answers 404 exactly like a missing one); marketing sees
 * every lead and moves it through the sales lifecycle. Auditors come in with MDF claims.
 */
export interface LeadDeps {
  leads: LeadStore;
  publish: PublishLeadEvent;
  clock: () => Date;
  logger: { warn(message: string, extra?: Record<string, unknown>): void };
}

export const leadFiltersSchema = z.strictObject({
  campaignId: z.string().max(64).optional(),
  status: z.enum(leadStatuses).optional(),
  attribution: z.enum(['partner-sourced', 'partner-influenced']).optional(),
  eql: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
});
export type LeadFilters = z.infer<typeof leadFiltersSchema>;

const matches = (row: LeadSummary, f: LeadFilters) =>
  (f.campaignId === undefined || row.campaignIds.includes(f.campaignId)) &&
  (f.status === undefined || row.status === f.status) &&
  (f.attribution === undefined || row.attribution === f.attribution) &&
  (f.eql === undefined || row.eql === (f.eql === 'true'));

/** Pages of the caller's inbox, filtered; reads on until `limit` rows match or 10 pages were read. */
export const listLeads = async (
  deps: LeadDeps,
  principal: Principal,
  filters: LeadFilters,
): Promise<Paged<LeadSummary>> => {
  const partnerId = callerPartnerId(principal);
  const items: LeadSummary[] = [];
  let cursor = filters.cursor;
  for (let read = 0; read < 10; read += 1) {
    const page = partnerId
      ? await deps.leads.listForPartner(partnerId, filters.limit, cursor)
      : await deps.leads.listAll(filters.limit, cursor);
    items.push(...page.items.filter((row) => matches(row, filters)));
    cursor = page.nextCursor ?? undefined;
    if (items.length >= filters.limit || !cursor) break;
  }
  return { items: items.slice(0, filters.limit), nextCursor: cursor ?? null };
};

/** The lead as the caller may see it: a partner's own part of it, or (marketing) all of it. */
export const getLead = async (
  deps: LeadDeps,
  principal: Principal,
  leadId: string,
): Promise<{ lead: Lead | PartnerLeadView; version: number }> => {
  const lead = await deps.leads.get(leadId);
  const partnerId = callerPartnerId(principal);
  if (!lead || (partnerId !== null && !lead.partnerIds.includes(partnerId)))
    throw new NotFoundError('no such lead');
  return { lead: partnerId === null ? lead : partnerView(lead, partnerId), version: lead.version };
};

const decisionActions = ['accept', 'reject', 'opportunity', 'won', 'lost'] as const;
/** One object for every action (so unknown fields are named whatever the action); each action's own fields checked. */
export const decisionSchema = z
  .strictObject({
    action: z.enum(decisionActions),
    /** Why (reject, lost). */
    reason: z.string().trim().min(3).max(500).optional(),
    /** The deal amount in integer minor units (won; optional on opportunity: the pipeline). */
    amountMinor: wonSchema.shape.amountMinor.optional(),
    currency: wonSchema.shape.currency.optional(),
  })
  .superRefine((d, ctx) => {
    const need = (field: 'reason' | 'amountMinor' | 'currency', why: string) => {
      if (d[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    if (d.action === 'reject' || d.action === 'lost') need('reason', 'a reason is required');
    if (d.action === 'won') {
      need('amountMinor', 'the won amount is required (integer minor units)');
      need('currency', 'the currency is required (ISO 4217)');
    }
    // An opportunity's amount is optional, but an amount needs its currency and vice versa.
    if (d.action === 'opportunity' && (d.amountMinor === undefined) !== (d.currency === undefined)) {
      need('amountMinor', 'the pipeline amount needs both amountMinor and currency');
      need('currency', 'the pipeline amount needs both amountMinor and currency');
    }
  })
  .meta({ id: 'LeadDecision' });
export type LeadDecision = z.infer<typeof decisionSchema>;

type Status = Lead['status'];
/** Vendor sales' lifecycle: which statuses each decision may leave from, and where it goes. */
const lifecycle: Record<LeadDecision['action'], { from: readonly Status[]; to: Status }> = {
  accept: { from: ['new', 'qualified', 'not-qualified'], to: 'accepted' },
  reject: { from: ['new', 'qualified', 'not-qualified', 'accepted'], to: 'rejected' },
  opportunity: { from: ['accepted'], to: 'opportunity' },
  won: { from: ['opportunity'], to: 'won' },
  lost: { from: ['opportunity'], to: 'lost' },
};

/** Marketing's decision on a lead, against the version it read (If-Match). */
export const decideLead = async (
  deps: LeadDeps,
  leadId: string,
  decision: LeadDecision,
  expectedVersion: number,
): Promise<Lead> => {
  const lead = await deps.leads.get(leadId);
  if (!lead) throw new NotFoundError('no such lead');
  if (lead.version !== expectedVersion)
    throw new PreconditionFailedError('the lead changed since you read it');
  const step = lifecycle[decision.action];
  if (!step.from.includes(lead.status)) {
    throw new ConflictError(`cannot ${decision.action} a lead that is ${lead.status}`);
  }
  const next: Lead = {
    ...lead,
    status: step.to,
    statusReason:
      decision.action === 'reject' || decision.action === 'lost' ? (decision.reason ?? null) : null,
    won:
      decision.action === 'won' && decision.amountMinor !== undefined && decision.currency !== undefined
        ? { amountMinor: decision.amountMinor, currency: decision.currency }
        : lead.won,
    pipeline:
      decision.action === 'opportunity' &&
      decision.amountMinor !== undefined &&
      decision.currency !== undefined
        ? { amountMinor: decision.amountMinor, currency: decision.currency }
        : lead.pipeline,
    updatedAt: deps.clock().toISOString(),
  };
  const stored = await deps.leads.replace(next, lead.version);
  try {
    await deps.publish({
      kind: 'lead-status-changed',
      leadId: stored.id,
      partnerIds: stored.partnerIds,
      becameEql: false,
      version: stored.version,
      at: stored.updatedAt,
    });
  } catch (error) {
    deps.logger.warn('a lead event could not be published; the decision is stored', {
      leadId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  return stored;
};

const EXPORT_COLUMNS = [
  'lead_id',
  'email',
  'name',
  'company',
  'company_domain',
  'status',
  'qualified',
  'eql',
  'attribution',
  'campaign_ids',
  'engaged',
  'won_amount_minor',
  'won_currency',
  'created_at',
] as const;

/** Every lead the caller may see, as CSV (UTF-8 with BOM; formula-like cells neutralised). */
export const exportLeads = async (
  deps: LeadDeps,
  principal: Principal,
  filters: LeadFilters,
): Promise<string> => {
  const rows: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listLeads(deps, principal, { ...filters, limit: 100, cursor });
    for (const lead of page.items) {
      rows.push(
        [
          lead.leadId,
          lead.email,
          lead.name,
          lead.company,
          lead.companyDomain ?? '',
          lead.status,
          String(lead.qualified),
          String(lead.eql),
          lead.attribution,
          lead.campaignIds.join(' '),
          String(lead.engaged),
          lead.won ? String(lead.won.amountMinor) : '',
          lead.won?.currency ?? '',
          lead.createdAt,
        ].map(neutraliseFormula),
      );
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return `\uFEFF${stringify([[...EXPORT_COLUMNS], ...rows], { record_delimiter: 'windows' })}`;
};

/** Marketing's qualification rules (the defaults until marketing saves its own). */
export const currentRules = async (deps: Pick<LeadDeps, 'leads'>): Promise<QualificationConfig> =>
  (await deps.leads.rules()) ?? defaultQualificationConfig;

export const rulesInputSchema = qualificationConfigSchema
  .omit({ version: true })
  .meta({ id: 'LeadRulesInput' });

/** Saves new rules; takes effect for the next submission, no deploy. If-Match: the version read. */
export const saveRules = async (
  deps: Pick<LeadDeps, 'leads'>,
  input: z.infer<typeof rulesInputSchema>,
  expectedVersion: number,
): Promise<QualificationConfig> => {
  const stored = await deps.leads.rules();
  const current = stored ?? defaultQualificationConfig;
  if (current.version !== expectedVersion)
    throw new PreconditionFailedError('the rules changed since you read them');
  const next = qualificationConfigSchema.safeParse({ ...input, version: current.version + 1 });
  if (!next.success) {
    throw new ValidationError(
      'the rules are invalid',
      next.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
    );
  }
  await deps.leads.saveRules(next.data, stored?.version);
  return next.data;
};

export { summaryOf };
