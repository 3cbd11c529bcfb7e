/**
 * The MDF proof-of-performance (POP) pack (issue 6): assembled from the platform's records when a
 * claim is filed, frozen, itemised into the audit log, exported as CSV, HTML and one zip.
 */
export { popAnomalies } from './anomalies';
export { popArchive } from './archive';
export { assemblePop, type PopClaimInput } from './assemble';
export { popLeadsCsv } from './csv';
export { popEvidenceItems } from './evidence';
export { popReportHtml } from './report-html';
export { type PopAnomaly, type PopLead, type PopPack, popPackSchema } from './schema';
export { type PopSources, popSources } from './sources';
