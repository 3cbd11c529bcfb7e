import Handlebars from 'handlebars';
import { formatMoney } from '../money';
import type { PopPack } from './schema';

/**
 * The printable report an auditor archives: the pack's own data, every value escaped
 * (Handlebars' escaper: & < > " ' ` =), inline CSS, no script, and a CSP that allows none.
 * The rendered email sits in an iframe's escaped `srcdoc` with `sandbox=""`: no script, no
 * forms, no navigation of the report.
 */
const esc = (value: string | number | boolean | null | undefined): string =>
  Handlebars.Utils.escapeExpression(value === null || value === undefined ? '—' : String(value));

/** 1234 bps → `12.34%`, by integer arithmetic. */
export const formatBps = (bps: number | null): string =>
  bps === null ? '—' : `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')}%`;

const row = (label: string, value: string) => `<tr><th scope="row">${esc(label)}</th><td>${value}</td></tr>`;
const table = (rows: string[]) => `<table class="kv">${rows.join('')}</table>`;
const section = (title: string, body: string) => `<section><h2>${esc(title)}</h2>${body}</section>`;
const money = (amountMinor: number | null, currency: string) =>
  amountMinor === null ? '—' : esc(formatMoney(amountMinor, currency));

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;border-bottom:2px solid #e5e7eb;padding-bottom:.25rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #e5e7eb;padding:.3rem .5rem;text-align:left;vertical-align:top}
table.kv th{width:16rem;background:#f9fafb;font-weight:600}thead th{background:#f3f4f6}
.warning{background:#fef3c7}.info{background:#eff6ff}.muted{color:#6b7280}
iframe{width:100%;height:40rem;border:1px solid #d1d5db}pre{white-space:pre-wrap;background:#f9fafb;padding:.5rem;border:1px solid #e5e7eb}
@media print{iframe{height:60rem}section{break-inside:avoid-page}}
`;

const requestSection = (pack: PopPack) => {
  const r = pack.request;
  const c = pack.claim;
  return section(
    'Claim and pre-approval',
    table([
      row('Claim', esc(c.claimId)),
      row('Partner', esc(c.partnerId)),
      row('Amount claimed', money(c.amountMinor, c.currency)),
      row('Invoiced spend', money(c.invoicedSpendMinor, c.currency)),
      row('Most reimbursable', money(c.maxReimbursableMinor, r.currency)),
      row('Request', `${esc(r.id)} (${esc(r.status)})`),
      row('Activity', `${esc(r.activity.name)}: ${esc(r.activity.startDate)} to ${esc(r.activity.endDate)}`),
      row('Description', esc(r.activity.description)),
      row('Planned spend', money(r.plannedSpendMinor, r.currency)),
      row('Approved spend', money(r.approvedMinor, r.currency)),
      row('Committed', money(r.committedMinor, r.currency)),
      row('Reimbursement share', esc(formatBps(r.reimbursementShareBps))),
      row('Decided', `${esc(r.decidedAt)} by ${esc(r.decidedBy?.name)}`),
      row(
        'Expected outcomes',
        `${esc(r.expectedOutcomes.leads)} leads, ${esc(r.expectedOutcomes.eqls)} EQLs, pipeline ${money(r.expectedOutcomes.pipelineMinor, r.currency)}`,
      ),
    ]),
  );
};

const campaignSection = (pack: PopPack) => {
  const c = pack.campaign;
  if (!c)
    return section(
      'Campaign',
      `<p class="warning">No campaign record for ${esc(pack.claim.campaignId)}.</p>`,
    );
  const slots = Object.entries(c.slots).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const brand = Object.entries(c.brand.values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return section(
    'Campaign',
    table([
      row('Campaign', `${esc(c.name)} (${esc(c.id)})`),
      row('Status', esc(c.status)),
      row('Kit', `${esc(c.kit.name)} ${esc(c.kit.id)}@${esc(c.kit.version)}`),
      row('Kit archive SHA-256', esc(c.kit.archiveSha256)),
      row('List', esc(c.listId)),
      row(
        'Brand profile',
        `${esc(c.brand.source)}, version ${esc(c.brand.profileVersion)}, updated ${esc(c.brand.profileUpdatedAt)}`,
      ),
      row('Subject', esc(c.email.subject)),
      row('Preheader', esc(c.email.preheader)),
    ]) +
      `<h3>Slot values</h3>${table(slots.map(([k, v]) => row(k, esc(v))))}` +
      `<h3>Brand values used</h3>${table(brand.map(([k, v]) => row(k, esc(v))))}` +
      `<p class="muted">${esc(c.renderingNote)}</p>` +
      `<h3>Email as sent</h3><iframe sandbox="" title="The email as sent" srcdoc="${esc(c.email.html)}"></iframe>` +
      `<h3>Text part</h3><pre>${esc(c.email.text)}</pre>` +
      `<h3>Landing page</h3><iframe sandbox="" title="The landing page" srcdoc="${esc(c.landingHtml)}"></iframe>`,
  );
};

const metricsSection = (pack: PopPack) => {
  const s = pack.sendLog;
  const e = pack.engagement;
  const a = pack.audience;
  return section(
    'Audience, sends and engagement',
    table([
      row('Audience size', esc(a.size)),
      row(
        'List',
        a.list
          ? `${esc(a.list.name)} (${esc(a.list.id)}), ${esc(a.list.memberCount)} members, created ${esc(a.list.createdAt)}`
          : '—',
      ),
      row(
        'Imports into the list',
        a.imports.length === 0
          ? 'none'
          : a.imports
              .map(
                (i) =>
                  `${esc(i.createdAt)}: ${esc(i.imported)} imported, ${esc(i.merged)} merged (${esc(i.id)})`,
              )
              .join('<br>'),
      ),
      row('Sent', esc(s.sent)),
      row('Delivered', `${esc(s.delivered)} (${esc(formatBps(e.rates.deliveredBps))} of sent)`),
      row('Hard bounces', `${esc(s.hardBounced)} (${esc(formatBps(e.rates.hardBounceBps))} of sent)`),
      row('Soft bounces', `${esc(s.softBounced)} (${esc(formatBps(e.rates.softBounceBps))} of sent)`),
      row('Complaints', `${esc(s.complained)} (${esc(formatBps(e.rates.complaintBps))} of delivered)`),
      row('Unsubscribes', `${esc(s.unsubscribed)} (${esc(formatBps(e.rates.unsubscribeBps))} of delivered)`),
      row('Failed', esc(s.failed)),
      row('Suppressed (not sent)', esc(s.suppressed)),
      row('First and last send (UTC hour)', `${esc(s.firstSendAt)} to ${esc(s.lastSendAt)}`),
      row('Unique opens', `${esc(e.uniqueOpens)} (${esc(formatBps(e.rates.uniqueOpenBps))} of delivered)`),
      row('Unique clicks', `${esc(e.uniqueClicks)} (${esc(formatBps(e.rates.uniqueClickBps))} of delivered)`),
      row(
        'Unique human clicks',
        `${esc(e.uniqueHumanClicks)} (${esc(formatBps(e.rates.uniqueHumanClickBps))} of delivered)`,
      ),
    ]),
  );
};

const leadsSection = (pack: PopPack) => {
  const l = pack.leads;
  const sums = (list: PopPack['leads']['won']['revenue']) =>
    list.length === 0 ? '—' : list.map((m) => money(m.amountMinor, m.currency)).join(', ');
  const head = [
    'Lead',
    'Name',
    'Company',
    'Email',
    'Status',
    'Qualified',
    'EQL',
    'Attribution',
    'Credit (first / last / linear)',
    'Captured',
    'Won',
  ];
  const rows = l.items.map(
    (lead) =>
      `<tr>${[
        esc(lead.leadId),
        esc(lead.name),
        esc(lead.company),
        esc(lead.email),
        esc(lead.status),
        lead.qualified ? 'yes' : 'no',
        lead.eql ? 'yes' : 'no',
        esc(lead.attribution),
        `${esc(formatBps(lead.creditBps.firstTouch))} / ${esc(formatBps(lead.creditBps.lastTouch))} / ${esc(formatBps(lead.creditBps.linear))}`,
        esc(lead.capturedAt),
        lead.won ? money(lead.won.amountMinor, lead.won.currency) : '—',
      ]
        .map((cell) => `<td>${cell}</td>`)
        .join('')}</tr>`,
  );
  return section(
    'Leads and outcomes',
    table([
      row('Leads', esc(l.total)),
      row('Qualified', esc(l.qualified)),
      row('EQLs', `${esc(l.eqls)} (${esc(formatBps(l.eqlRateBps))} of leads)`),
      row('Partner-sourced / influenced', `${esc(l.sourced)} / ${esc(l.influenced)}`),
      row('Pipeline (opportunity or won)', `${esc(l.pipeline.leads)} leads; ${sums(l.pipeline.amounts)}`),
      row('Won', `${esc(l.won.leads)} leads; ${sums(l.won.revenue)}`),
    ]) +
      (l.omitted > 0
        ? `<p class="warning">${esc(l.omitted)} leads are not listed (the first ${esc(l.cap)} by lead id are); every count covers them all.</p>`
        : '') +
      `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
};

const anomaliesSection = (pack: PopPack) =>
  section(
    'Anomalies',
    pack.anomalies.length === 0
      ? '<p>None found.</p>'
      : `<table><thead><tr><th scope="col">Severity</th><th scope="col">Code</th><th scope="col">What</th><th scope="col">Detail</th></tr></thead><tbody>${pack.anomalies
          .map(
            (a) =>
              `<tr class="${a.severity === 'warning' ? 'warning' : 'info'}"><td>${esc(a.severity)}</td><td>${esc(a.code)}</td><td>${esc(a.message)}</td><td><pre>${esc(JSON.stringify(a.detail, null, 1))}</pre></td></tr>`,
          )
          .join('')}</tbody></table>`,
  );

const TIMELINE: [keyof PopPack['timeline'], string][] = [
  ['requestFiledAt', 'Request filed'],
  ['requestApprovedAt', 'Request approved'],
  ['campaignCreatedAt', 'Campaign created'],
  ['campaignSubmittedAt', 'Campaign submitted'],
  ['campaignApprovedAt', 'Campaign approved'],
  ['campaignLaunchedAt', 'Campaign launched'],
  ['firstSendAt', 'First send (hour)'],
  ['lastSendAt', 'Last send (hour)'],
  ['campaignSentAt', 'Campaign marked sent'],
  ['firstLeadAt', 'First lead'],
  ['claimFiledAt', 'Claim filed'],
];

const timelineSection = (pack: PopPack) =>
  section('Timeline (UTC)', table(TIMELINE.map(([key, label]) => row(label, esc(pack.timeline[key])))));

/** A self-contained, printable HTML report of the pack. */
export const popReportHtml = (pack: PopPack): string =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; frame-src 'self'">` +
  `<meta name="viewport" content="width=device-width, initial-scale=1"><title>Proof of performance: claim ${esc(pack.claim.claimId)}</title><style>${CSS}</style></head><body>` +
  `<h1>Proof of performance</h1><p class="muted">Claim ${esc(pack.claim.claimId)}, filed ${esc(pack.claim.filedAt)}; assembled from the platform’s records (schema version ${esc(pack.schemaVersion)}).</p>` +
  anomaliesSection(pack) +
  requestSection(pack) +
  campaignSection(pack) +
  metricsSection(pack) +
  leadsSection(pack) +
  timelineSection(pack) +
  '</body></html>';
