import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '#functions/contacts/csv-export';
import type { PopLead, PopPack } from './schema';

/** The leads CSV's columns, in order. Money in integer minor units, credit in basis points. */
export const popLeadColumns = [
  'lead_id',
  'email',
  'name',
  'company',
  'company_domain',
  'status',
  'qualified',
  'eql',
  'attribution',
  'credit_first_touch_bps',
  'credit_last_touch_bps',
  'credit_linear_bps',
  'captured_at',
  'won_amount_minor',
  'won_currency',
  'created_at',
] as const;

const row = (lead: PopLead): string[] =>
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
    String(lead.creditBps.firstTouch),
    String(lead.creditBps.lastTouch),
    String(lead.creditBps.linear),
    lead.capturedAt ?? '',
    lead.won ? String(lead.won.amountMinor) : '',
    lead.won?.currency ?? '',
    lead.createdAt,
  ].map(neutraliseFormula);

/**
 * One row per lead listed in the pack (by lead id), RFC 4180 with CRLF and a UTF-8 BOM; every
 * cell neutralised against spreadsheet formula injection (a lead typed its own name).
 */
export const popLeadsCsv = (pack: PopPack): string =>
  `\uFEFF${stringify([[...popLeadColumns], ...pack.leads.items.map(row)], { record_delimiter: 'windows' })}`;
