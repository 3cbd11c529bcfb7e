import type { Problem } from './template-check';
import type { ValidationReport } from './validate';

/** `file:line:col  error  code  message` lines, errors first: what editors and people both read. */
export const formatProblem = (p: Problem): string =>
  `${[p.file, p.line, p.column].filter((x) => x !== undefined).join(':')}  ${p.severity}  ${p.code}  ${p.message}`;

export const formatReport = (report: ValidationReport, label: string): string => {
  const lines = [...report.errors, ...report.warnings].map(formatProblem);
  const verdict = report.ok
    ? `${label}: valid${report.warnings.length ? ` with ${report.warnings.length} warning(s)` : ''}`
    : `${label}: ${report.errors.length} error(s), ${report.warnings.length} warning(s) — cannot be published`;
  const size = report.measured
    ? ` (email ${(report.measured.htmlBytes / 1024).toFixed(1)} KB rendered with the defaults)`
    : '';
  return [...lines, `${verdict}${size}`].join('\n');
};
