// Vendor sales' decisions on a lead (marketing): accept, reject with a reason, opportunity,
// won with an amount, lost with a reason. Sent with If-Match; a 412 offers to reload.
import { type FormEvent, useId, useState } from 'react';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import { useApi } from '../auth/auth-context.tsx';
import { formatMoney } from '../format.ts';
import type { FullLead, LeadStatus } from '../pages/leads-shared.tsx';
import { ErrorView, ProblemView } from './error-view.tsx';
import { Field } from './field.tsx';

type Action = 'accept' | 'reject' | 'opportunity' | 'won' | 'lost';

/** The lifecycle as the API enforces it: which statuses each decision may leave from. */
const FROM: Record<Action, readonly LeadStatus[]> = {
  accept: ['new', 'qualified', 'not-qualified'],
  reject: ['new', 'qualified', 'not-qualified', 'accepted'],
  opportunity: ['accepted'],
  won: ['opportunity'],
  lost: ['opportunity'],
};
const LABELS: Record<Action, string> = {
  accept: 'Accept',
  reject: 'Reject…',
  opportunity: 'Mark opportunity',
  won: 'Mark won…',
  lost: 'Mark lost…',
};

export const CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'AUD',
  'CHF',
  'SEK',
  'JPY',
  'INR',
  'SGD',
  'AED',
  'ZAR',
] as const;

/** How many minor units a currency has: 2 for USD (cents), 0 for JPY. */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/**
 * "2500.5" USD as 250050 cents, by moving the decimal point in the text: no floating point ever
 * touches the amount. Null for anything that is not a plain amount with at most the currency's
 * decimals (a dot separates them; no thousands separators).
 */
export function toMinorUnits(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(`${match[1]}${fraction.padEnd(digits, '0')}`);
  return Number.isSafeInteger(minor) ? minor : null;
}

type Openable = 'reject' | 'won' | 'lost';

/** The decisions the lead's status allows: accept and opportunity at once, the others with a form. */
function DecisionButtons({
  lead,
  open,
  busy,
  onAct,
  onOpen,
}: {
  lead: FullLead;
  open: Openable | null;
  busy: boolean;
  onAct: (action: 'accept' | 'opportunity') => void;
  onOpen: (action: Openable) => void;
}) {
  const available = (Object.keys(FROM) as Action[]).filter((action) => FROM[action].includes(lead.status));
  if (available.length === 0) {
    return <p className="muted">This lead is {lead.status}: there is no decision left to make.</p>;
  }
  return (
    <div className="actions">
      {available.map((action) =>
        action === 'accept' || action === 'opportunity' ? (
          <button key={action} type="button" className="button" disabled={busy} onClick={() => onAct(action)}>
            {LABELS[action]}
          </button>
        ) : (
          <button
            key={action}
            type="button"
            className={action === 'won' ? 'button' : 'button button-secondary'}
            aria-expanded={open === action}
            disabled={busy}
            onClick={() => onOpen(action)}
          >
            {LABELS[action]}
          </button>
        ),
      )}
    </div>
  );
}

/** The won amount in major units with its currency, and what it will be stored as. */
function AmountFields({
  formId,
  amount,
  currency,
  errors,
  onAmount,
  onCurrency,
}: {
  formId: string;
  amount: string;
  currency: string;
  errors: { amount: string | undefined; currency: string | undefined };
  onAmount: (amount: string) => void;
  onCurrency: (currency: string) => void;
}) {
  const minor = toMinorUnits(amount, currency);
  return (
    <div className="form-grid">
      <Field formId={formId} name="amount" label="Amount won" error={errors.amount}>
        {(control) => (
          <input
            {...control}
            inputMode="decimal"
            autoComplete="off"
            placeholder="2500.00"
            value={amount}
            onChange={(event) => onAmount(event.target.value)}
          />
        )}
      </Field>
      <Field formId={formId} name="currency" label="Currency" error={errors.currency}>
        {(control) => (
          <select {...control} value={currency} onChange={(event) => onCurrency(event.target.value)}>
            {CURRENCIES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p className="muted small fact-wide" data-testid="amount-preview" aria-live="polite">
        {minor === null
          ? 'In major units, e.g. dollars: it is stored exactly, in minor units (cents).'
          : `${formatMoney({ amount: minor, currency })} (${minor.toLocaleString('en')} minor units)`}
      </p>
    </div>
  );
}

type DecisionBody =
  | { action: 'accept' }
  | { action: 'opportunity' }
  | { action: 'reject' | 'lost'; reason: string }
  | { action: 'won'; amountMinor: number; currency: string };

export function LeadDecisions({
  lead,
  onDecided,
  onReload,
}: {
  lead: FullLead;
  onDecided: (lead: FullLead, action: Action) => void;
  onReload: () => void;
}) {
  const client = useApi();
  const id = useId();
  const [open, setOpen] = useState<Openable | null>(null);
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<string>('USD');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const [amountError, setAmountError] = useState<string | undefined>(undefined);
  async function send(body: DecisionBody) {
    setBusy(true);
    setProblem(null);
    setOtherError(null);
    try {
      const response = await client.api.leads[':leadId'].decision.$post({
        param: { leadId: lead.id },
        header: { 'if-match': `"${lead.version}"` },
        json: body,
      });
      const next = await response.json();
      setOpen(null);
      setReason('');
      setAmount('');
      onDecided(next, body.action);
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOtherError(error);
    } finally {
      setBusy(false);
    }
  }

  function submitForm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (open === 'won') {
      const minor = toMinorUnits(amount, currency);
      if (minor === null) {
        setAmountError(
          `Enter an amount such as 2500 or 2500.${'5'.repeat(Math.max(1, minorDigits(currency)))} (a dot before at most ${minorDigits(currency)} decimals).`,
        );
        return;
      }
      setAmountError(undefined);
      void send({ action: 'won', amountMinor: minor, currency });
    } else if (open) {
      void send({ action: open, reason: reason.trim() });
    }
  }

  const errors = problem ? fieldErrors(problem) : {};
  return (
    <section className="card lead-decisions" aria-labelledby={`${id}-title`} data-testid="lead-decisions">
      <h2 id={`${id}-title`}>Sales decision</h2>
      {problem && <ProblemView problem={problem} />}
      {problem?.status === 412 && (
        <p className="stale-hint" data-testid="lead-stale">
          Someone changed this lead after you opened it.{' '}
          <button type="button" className="button button-secondary button-small" onClick={onReload}>
            Reload the lead
          </button>
        </p>
      )}
      {otherError !== null && <ErrorView error={otherError} />}
      <DecisionButtons
        lead={lead}
        open={open}
        busy={busy}
        onAct={(action) => void send({ action })}
        onOpen={(action) => setOpen(open === action ? null : action)}
      />
      {open && (
        <form
          className="form lead-decision-form"
          onSubmit={submitForm}
          noValidate
          aria-busy={busy}
          data-testid={`decision-${open}`}
        >
          {open === 'won' ? (
            <AmountFields
              formId={id}
              amount={amount}
              currency={currency}
              errors={{ amount: amountError ?? errors.amountMinor, currency: errors.currency }}
              onAmount={setAmount}
              onCurrency={setCurrency}
            />
          ) : (
            <Field
              formId={id}
              name="reason"
              label={open === 'reject' ? 'Why is it rejected?' : 'Why was it lost?'}
              error={errors.reason}
            >
              {(control) => (
                <textarea
                  {...control}
                  rows={2}
                  maxLength={500}
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                />
              )}
            </Field>
          )}
          <div className="actions">
            <button
              type="submit"
              className={open === 'won' ? 'button' : 'button button-danger'}
              disabled={busy || (open !== 'won' && reason.trim().length < 3)}
            >
              {open === 'won' ? 'Save as won' : open === 'reject' ? 'Reject lead' : 'Save as lost'}
            </button>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setOpen(null)}
              disabled={busy}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
