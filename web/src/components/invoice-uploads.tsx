// Invoices and receipts for an MDF claim: each picked file is sent as it is (its bytes, its
// type) to POST /api/mdf/invoices, which judges it by content; the row then shows the SHA-256
// and pages, or the API's problem naming what is wrong. The partner labels each and says what
// it shows was spent.
import { useId } from 'react';
import { z } from 'zod';
import { ApiError, type Problem } from '../api/problem.ts';
import { useUpload } from '../auth/auth-context.tsx';
import { formatBytes, plural } from '../format.ts';
import { ProblemView } from './error-view.tsx';
import { Field, InputField } from './field.tsx';
import { toMinorUnits } from './lead-decision.tsx';
import { amountHint } from './mdf-forms.tsx';

const ACCEPT = 'application/pdf,image/png,image/jpeg,image/webp';

const uploadSchema = z.object({
  sha256: z.string(),
  contentType: z.string(),
  bytes: z.number().int(),
  pages: z.number().int(),
});

export type InvoiceRow = {
  key: string;
  fileName: string;
  state: 'uploading' | 'done' | 'failed';
  upload?: z.infer<typeof uploadSchema>;
  problem?: Problem;
  /** The label the claim gives it, and the spend it shows (major units as typed). */
  name: string;
  amount: string;
};

/** The rows ready to name on a claim, or the fields that still need a value. */
export function invoiceInputs(rows: readonly InvoiceRow[], currency: string) {
  const invoices: { sha256: string; name: string; amountMinor: number }[] = [];
  const errors: Record<string, string> = {};
  for (const row of rows) {
    if (row.state !== 'done' || !row.upload) continue;
    const amountMinor = toMinorUnits(row.amount, currency);
    if (amountMinor === null || amountMinor === 0) errors[`${row.key}:amount`] = amountHint(currency);
    if (row.name.trim() === '') errors[`${row.key}:name`] = 'Name the invoice';
    if (amountMinor !== null)
      invoices.push({ sha256: row.upload.sha256, name: row.name.trim(), amountMinor });
  }
  return { invoices, errors };
}

/** The API's errors on `invoices.N.field`, as the row key and field they belong to. */
export function invoiceProblemErrors(problem: Problem | null, rows: readonly InvoiceRow[]) {
  const ready = rows.filter((row) => row.state === 'done');
  const found: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    const match = /invoices[./](\d+)[./](\w+)/.exec(error.path);
    const row = match ? ready[Number(match[1])] : undefined;
    if (!match || !row) continue;
    const field = match[2] === 'amountMinor' ? 'amount' : 'name';
    found[`${row.key}:${field}`] ??= error.message;
  }
  return found;
}

const localProblem = (detail: string): Problem => ({ title: 'Upload failed', status: 0, detail });

/** The file picker and one row per picked file, controlled by the form that holds the rows. */
export function InvoiceUploads({
  rows,
  onRows,
  currency,
  errors,
}: {
  rows: readonly InvoiceRow[];
  onRows: (update: (rows: InvoiceRow[]) => InvoiceRow[]) => void;
  currency: string;
  errors: Record<string, string>;
}) {
  const id = useId();
  const upload = useUpload();
  const patch = (key: string, change: Partial<InvoiceRow>) =>
    onRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  async function send(file: File) {
    const key = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const name = file.name.replace(/\.[a-z0-9]+$/i, '');
    onRows((current) => [...current, { key, fileName: file.name, state: 'uploading', name, amount: '' }]);
    try {
      const response = await upload('/api/mdf/invoices', file, {
        contentType: file.type || 'application/octet-stream',
        onProgress: () => {},
      });
      patch(key, { state: 'done', upload: uploadSchema.parse(await response.json()) });
    } catch (caught) {
      const problem =
        caught instanceof ApiError
          ? caught.problem
          : localProblem(caught instanceof Error ? caught.message : String(caught));
      patch(key, { state: 'failed', problem });
    }
  }

  return (
    <fieldset className="invoice-uploads" data-testid="invoice-uploads">
      <legend>Invoices and receipts</legend>
      <p className="muted small">
        PDF, PNG, JPEG or WebP, at most 4 MiB each. Each file is checked by its content when you pick it.
      </p>
      <div className="field">
        <label htmlFor={`${id}-files`}>Add files</label>
        <input
          id={`${id}-files`}
          type="file"
          multiple
          accept={ACCEPT}
          data-testid="invoice-file"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            for (const file of files) void send(file);
          }}
        />
      </div>
      {rows.length > 0 && (
        <ul className="invoice-rows">
          {rows.map((row) => (
            <li
              key={row.key}
              className="invoice-row"
              data-testid="invoice-row"
              data-state={row.state}
              data-sha256={row.upload?.sha256}
            >
              <div className="invoice-row-head">
                <strong>{row.fileName}</strong>{' '}
                {row.state === 'uploading' && <span className="muted">Uploading…</span>}
                {row.upload && (
                  <span className="muted small" data-testid="invoice-checked">
                    {plural(row.upload.pages, 'page')} · {formatBytes(row.upload.bytes)} · SHA-256{' '}
                    <code title={row.upload.sha256}>{row.upload.sha256.slice(0, 12)}…</code>
                  </span>
                )}
                <button
                  type="button"
                  className="button button-quiet button-small"
                  onClick={() => onRows((current) => current.filter((r) => r.key !== row.key))}
                  aria-label={`Remove ${row.fileName}`}
                >
                  Remove
                </button>
              </div>
              {row.problem && <ProblemView problem={row.problem} />}
              {row.state === 'done' && (
                <div className="mdf-inline">
                  <InputField
                    formId={`${id}-${row.key}`}
                    name="name"
                    label={`Label for ${row.fileName}`}
                    error={errors[`${row.key}:name`]}
                    value={row.name}
                    onValue={(name) => patch(row.key, { name })}
                  />
                  <Field
                    formId={`${id}-${row.key}`}
                    name="amount"
                    label={`Spend it shows (${currency})`}
                    error={errors[`${row.key}:amount`]}
                  >
                    {(control) => (
                      <input
                        {...control}
                        inputMode="decimal"
                        value={row.amount}
                        onChange={(e) => patch(row.key, { amount: e.target.value })}
                        data-testid="invoice-amount"
                      />
                    )}
                  </Field>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
