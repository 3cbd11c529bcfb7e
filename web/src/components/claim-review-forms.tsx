// What may be done to an MDF claim: the auditor decides (approve, approve partially, reject,
// request information; a correction names the latest final decision) and marks it paid, each
// sent with If-Match from the claim's ETag; the partner answers an information request.
import { type FormEvent, useId, useState } from 'react';
import { useApi } from '../auth/auth-context.tsx';
import { formatDateTime } from '../format.ts';
import { Field, InputField } from './field.tsx';
import { type InvoiceRow, InvoiceUploads, invoiceInputs, invoiceProblemErrors } from './invoice-uploads.tsx';
import { toMinorUnits } from './lead-decision.tsx';
import { type Claim, DECISION_LABELS, effectiveDecision, REJECTION_CODES } from './mdf-claim-shared.tsx';
import { amountHint, useSubmit } from './mdf-forms.tsx';

type Outcome = 'approve' | 'partially-approve' | 'reject' | 'request-info';
const OUTCOMES: [Outcome, string][] = [
  ['approve', 'Approve the claimed amount'],
  ['partially-approve', 'Approve part of it'],
  ['reject', 'Reject'],
  ['request-info', 'Request more information'],
];
type ReasonCode = (typeof REJECTION_CODES)[number][0];

/** A stale ETag (412): the claim changed since the page read it. */
function StaleHint({ status, onReload }: { status: number | undefined; onReload: () => void }) {
  if (status !== 412) return null;
  return (
    <button type="button" className="button button-secondary button-small" onClick={onReload}>
      Reload the claim
    </button>
  );
}

export function DecisionForm({ claim, etag, onDone }: { claim: Claim; etag: string; onDone: () => void }) {
  const client = useApi();
  const id = useId();
  const submit = useSubmit();
  const latest = effectiveDecision(claim);
  const correcting =
    claim.status === 'approved' || claim.status === 'partially-approved' || claim.status === 'rejected';
  const outcomes = OUTCOMES.filter(([o]) => o !== 'request-info' || claim.status === 'submitted');
  const [outcome, setOutcome] = useState<Outcome>('approve');
  const [amount, setAmount] = useState('');
  const [reasonCode, setReasonCode] = useState<ReasonCode>('insufficient-proof');
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const amountMinor = outcome === 'partially-approve' ? toMinorUnits(amount, claim.currency) : null;
    if (outcome === 'partially-approve' && (amountMinor === null || amountMinor === 0)) {
      found.amountMinor = amountHint(claim.currency);
    }
    if (outcome !== 'approve' && reason.trim().length < 3) {
      found.reason =
        outcome === 'request-info' ? 'Say what information is needed' : 'Say why (shown to the partner)';
    }
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    const text = reason.trim();
    await submit.run(async () => {
      await client.api.mdf.claims[':claimId'].decisions.$post({
        param: { claimId: claim.id },
        header: { 'if-match': etag },
        json: {
          outcome,
          ...(amountMinor !== null ? { amountMinor } : {}),
          ...(outcome === 'reject' ? { reasonCode } : {}),
          ...(text !== '' ? { reason: text } : {}),
          ...(correcting && latest && outcome !== 'request-info' ? { corrects: latest.id } : {}),
        },
      });
      setReason('');
      setAmount('');
      onDone();
    });
  }
  const error = (name: string) => local[name] ?? submit.errors[name];
  return (
    <form
      className="form mdf-form"
      onSubmit={onSubmit}
      noValidate
      aria-busy={submit.busy}
      data-testid="claim-decision-form"
    >
      {submit.view}
      <StaleHint status={submit.problem?.status} onReload={onDone} />
      {correcting && latest && (
        <p className="callout callout-info" data-testid="claim-correcting" data-corrects={latest.id}>
          A correction: this new decision replaces “{DECISION_LABELS[latest.outcome]}” of{' '}
          {formatDateTime(latest.at)} by {latest.by.name}, which stays on record.
        </p>
      )}
      <fieldset className="choice-group">
        <legend>Decision</legend>
        {outcomes.map(([value, label]) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name={`${id}-outcome`}
              value={value}
              checked={outcome === value}
              onChange={() => setOutcome(value)}
              data-testid={`claim-outcome-${value}`}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="mdf-form-grid">
        {outcome === 'partially-approve' && (
          <InputField
            formId={id}
            name="amountMinor"
            label={`Approved amount (${claim.currency})`}
            error={error('amountMinor')}
            inputMode="decimal"
            value={amount}
            onValue={setAmount}
          />
        )}
        {outcome === 'reject' && (
          <Field formId={id} name="reasonCode" label="Reason code" error={error('reasonCode')}>
            {(control) => (
              <select
                {...control}
                value={reasonCode}
                onChange={(e) =>
                  setReasonCode(REJECTION_CODES.find(([code]) => code === e.target.value)?.[0] ?? 'other')
                }
              >
                {REJECTION_CODES.map(([code, label]) => (
                  <option key={code} value={code}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <Field
        formId={id}
        name="reason"
        label={
          outcome === 'request-info'
            ? 'What information is needed (shown to the partner)'
            : outcome === 'approve'
              ? 'Comment (optional, shown to the partner)'
              : 'Reason (shown to the partner)'
        }
        error={error('reason')}
      >
        {(control) => (
          <textarea {...control} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button" disabled={submit.busy} data-testid="claim-decide">
          {submit.busy ? 'Recording…' : correcting ? 'Record the correction' : 'Record the decision'}
        </button>
      </div>
    </form>
  );
}

export function PaymentForm({ claim, etag, onDone }: { claim: Claim; etag: string; onDone: () => void }) {
  const client = useApi();
  const id = useId();
  const submit = useSubmit();
  const [reference, setReference] = useState('');
  const [paidOn, setPaidOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [local, setLocal] = useState<string | undefined>(undefined);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reference.trim().length < 3) {
      setLocal('The payment reference, at least 3 characters');
      return;
    }
    setLocal(undefined);
    await submit.run(async () => {
      await client.api.mdf.claims[':claimId'].payment.$post({
        param: { claimId: claim.id },
        header: { 'if-match': etag },
        json: { reference: reference.trim(), ...(paidOn ? { paidOn } : {}) },
      });
      onDone();
    });
  }
  return (
    <form
      className="mdf-inline"
      onSubmit={onSubmit}
      noValidate
      aria-busy={submit.busy}
      data-testid="claim-payment-form"
    >
      {submit.view}
      <StaleHint status={submit.problem?.status} onReload={onDone} />
      <InputField
        formId={id}
        name="reference"
        label="Payment reference"
        error={local ?? submit.errors.reference}
        value={reference}
        onValue={setReference}
      />
      <InputField
        formId={id}
        name="paidOn"
        label="Paid on"
        type="date"
        error={submit.errors.paidOn}
        value={paidOn}
        onValue={setPaidOn}
      />
      <div className="actions">
        <button type="submit" className="button" disabled={submit.busy} data-testid="claim-mark-paid">
          {submit.busy ? 'Saving…' : 'Mark paid'}
        </button>
      </div>
    </form>
  );
}

export function ResponseForm({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const client = useApi();
  const id = useId();
  const submit = useSubmit();
  const [message, setMessage] = useState('');
  const [rows, setRows] = useState<InvoiceRow[]>([]);
  const [local, setLocal] = useState<Record<string, string>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const invoices = invoiceInputs(rows, claim.currency);
    const found: Record<string, string> = { ...invoices.errors };
    if (message.trim().length < 3) found.message = 'Answer the auditor (at least 3 characters)';
    setLocal(found);
    if (Object.keys(found).length > 0) return;
    await submit.run(async () => {
      await client.api.mdf.claims[':claimId'].responses.$post({
        param: { claimId: claim.id },
        json: { message: message.trim(), invoices: invoices.invoices },
      });
      setMessage('');
      setRows([]);
      onDone();
    });
  }
  return (
    <form
      className="form mdf-form"
      onSubmit={onSubmit}
      noValidate
      aria-busy={submit.busy}
      data-testid="claim-response-form"
    >
      {submit.view}
      <Field formId={id} name="message" label="Your answer" error={local.message ?? submit.errors.message}>
        {(control) => (
          <textarea {...control} rows={3} value={message} onChange={(e) => setMessage(e.target.value)} />
        )}
      </Field>
      <InvoiceUploads
        rows={rows}
        onRows={setRows}
        currency={claim.currency}
        errors={{ ...invoiceProblemErrors(submit.problem, rows), ...local }}
      />
      <div className="actions">
        <button
          type="submit"
          className="button"
          disabled={submit.busy || rows.some((r) => r.state === 'uploading')}
          data-testid="claim-respond"
        >
          {submit.busy ? 'Sending…' : 'Send the answer'}
        </button>
      </div>
    </form>
  );
}
