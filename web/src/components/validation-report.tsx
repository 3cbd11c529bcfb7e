import { useId } from 'react';
import type { KitProblem, KitReport, KitStatus } from '../api/types.ts';
import { formatBytes, plural } from '../format.ts';

/** Gmail clips a message past 102 KB, hiding what follows (the unsubscribe link among it). */
const GMAIL_CLIP_BYTES = 102 * 1024;

type Keyed = { key: string; item: KitProblem };
type FileGroup = { file: string; errors: number; items: Keyed[] };

function groupByFile(report: KitReport): FileGroup[] {
  const groups = new Map<string, FileGroup>();
  // Problems have no id: where, what and how many times before make a stable key.
  const seen = new Map<string, number>();
  for (const item of [...report.errors, ...report.warnings]) {
    const group = groups.get(item.file) ?? { file: item.file, errors: 0, items: [] };
    const base = `${item.severity}:${location(item)}:${item.code}:${item.message}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    group.items.push({ key: `${base}:${count}`, item });
    if (item.severity === 'error') group.errors += 1;
    groups.set(item.file, group);
  }
  for (const group of groups.values()) {
    group.items.sort(
      ({ item: a }, { item: b }) =>
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0) ||
        Number(a.severity === 'warning') - Number(b.severity === 'warning'),
    );
  }
  // Files with errors first, then by name.
  return [...groups.values()].sort((a, b) => b.errors - a.errors || a.file.localeCompare(b.file));
}

/** `email/body.html.hbs:7:8`, or just the file when the problem has no position. */
export function location(item: KitProblem): string {
  if (item.line === undefined) return item.file;
  return item.column === undefined ? `${item.file}:${item.line}` : `${item.file}:${item.line}:${item.column}`;
}

function Verdict({ report, status }: { report: KitReport; status: KitStatus }) {
  const errors = report.errors.length;
  const warnings = report.warnings.length;
  const warningNote = warnings > 0 ? ` ${plural(warnings, 'warning')} to review.` : '';
  if (errors > 0) {
    return (
      <div className="callout callout-error verdict" data-testid="report-verdict" data-ok="false">
        <p className="callout-title">{plural(errors, 'error')} — fix and upload again</p>
        <p>This version cannot be published until the kit validates without errors.{warningNote}</p>
      </div>
    );
  }
  const title = status === 'draft' ? 'Ready to publish' : status === 'published' ? 'Published' : 'Retired';
  const body =
    status === 'draft'
      ? 'No errors: partners can use this version as soon as it is published.'
      : 'This version passed validation.';
  return (
    <div className="callout callout-success verdict" data-testid="report-verdict" data-ok="true">
      <p className="callout-title">{title}</p>
      <p>
        {body}
        {warningNote}
      </p>
    </div>
  );
}

function Measured({ measured }: { measured: NonNullable<KitReport['measured']> }) {
  const share = Math.min(1, measured.htmlBytes / GMAIL_CLIP_BYTES);
  return (
    <dl className="measured" data-testid="report-measured">
      <div>
        <dt>Email HTML</dt>
        <dd>
          <span>
            {formatBytes(measured.htmlBytes)}{' '}
            <span className="measured-note">of Gmail’s 102 KB clipping limit</span>
          </span>
          <meter
            min={0}
            max={GMAIL_CLIP_BYTES}
            low={GMAIL_CLIP_BYTES * 0.6}
            high={GMAIL_CLIP_BYTES * 0.8}
            optimum={0}
            value={Math.min(measured.htmlBytes, GMAIL_CLIP_BYTES)}
            aria-label={`Email HTML uses ${Math.round(share * 100)}% of Gmail’s clipping limit`}
          />
        </dd>
      </div>
      <div>
        <dt>Plain text</dt>
        <dd>{formatBytes(measured.textBytes)}</dd>
      </div>
      <div className="measured-subject">
        <dt>Subject with the default values</dt>
        <dd>{measured.subject}</dd>
      </div>
    </dl>
  );
}

type ValidationReportProps = {
  report: KitReport;
  /** The version's status: a draft without errors is "Ready to publish". */
  status?: KitStatus;
  title?: string;
};

/** A kit's validation report: a verdict, the measured size, and every problem grouped by file. */
export function ValidationReport({
  report,
  status = 'draft',
  title = 'Validation report',
}: ValidationReportProps) {
  const id = useId();
  const groups = groupByFile(report);
  return (
    <section
      className="report"
      aria-labelledby={`${id}-title`}
      data-testid="validation-report"
      data-errors={report.errors.length}
      data-warnings={report.warnings.length}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <Verdict report={report} status={status} />
      {report.measured && <Measured measured={report.measured} />}
      {groups.length === 0 ? (
        <p className="muted report-clean">No errors or warnings in any file.</p>
      ) : (
        <div className="report-files">
          {groups.map((group) => (
            <section key={group.file} className="report-file" aria-label={group.file}>
              <h3 className="report-file-name">
                <code>{group.file}</code>
                <span className="muted">
                  {[
                    group.errors > 0 ? plural(group.errors, 'error') : '',
                    group.items.length > group.errors
                      ? plural(group.items.length - group.errors, 'warning')
                      : '',
                  ]
                    .filter(Boolean)
                    .join(', ')}
                </span>
              </h3>
              <ul className="report-items">
                {group.items.map(({ key, item }) => (
                  <li
                    key={key}
                    className={`report-item report-item-${item.severity}`}
                    data-testid="report-item"
                    data-severity={item.severity}
                    data-file={item.file}
                    data-line={item.line}
                  >
                    <span className={`badge severity severity-${item.severity}`}>
                      {item.severity === 'error' ? 'Error' : 'Warning'}
                    </span>
                    <span className="report-text">
                      <span className="report-where">
                        <code className="report-location">{location(item)}</code>
                        <code className="report-code">{item.code}</code>
                      </span>
                      <span className="report-message">{item.message}</span>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
