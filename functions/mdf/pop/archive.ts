import { strToU8, zipSync } from 'fflate';
import { canonicalJson } from '#functions/audit/hashing';
import { popLeadsCsv } from './csv';
import { digestBytes } from './digest';
import { popReportHtml } from './report-html';
import type { PopPack } from './schema';

/** The files of the archive, in order (SHA256SUMS lists the others in this order). */
export const popArchiveFiles = (pack: PopPack): [string, Uint8Array][] => [
  ['pop.json', strToU8(canonicalJson(pack))],
  ['leads.csv', strToU8(popLeadsCsv(pack))],
  ['report.html', strToU8(popReportHtml(pack))],
  ['email.html', strToU8(pack.campaign?.email.html ?? '')],
  ['landing.html', strToU8(pack.campaign?.landingHtml ?? '')],
];

/**
 * One zip an auditor archives: the canonical pack JSON (RFC 8785, the form the audit log hashes),
 * the leads CSV, the HTML report, the email and landing page as rendered, and SHA256SUMS in
 * `sha256sum -c` format. Every entry's time is the filing time, so the same pack zips to the
 * same bytes.
 */
export const popArchive = (pack: PopPack): Uint8Array => {
  const files = popArchiveFiles(pack);
  const sums = files.map(([name, bytes]) => `${digestBytes(bytes).sha256}  ${name}\n`).join('');
  const mtime = new Date(pack.claim.filedAt);
  return zipSync(Object.fromEntries([...files, ['SHA256SUMS', strToU8(sums)]]), { level: 6, mtime });
};
