import { type FormEvent, useId, useState } from 'react';
import { ApiError, fieldErrors, type Problem } from '../api/problem.ts';
import type { Campaign, Partner } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView, ProblemView } from './error-view.tsx';
import { Field, InputField } from './field.tsx';
import { CURRENCIES, minorDigits, toMinorUnits } from './lead-decision.tsx';
import { type Fund, type MdfRequest, quarterOf, toBasisPoints, toMajorText } from './mdf-shared.tsx';

/** A submit's state: busy, and what went wrong (a problem from the API or anything else). */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [other, setOther] = useState<unknown>(null);
  async function run(action: () => Promise<void>) {
    setBusy(true);
    setProblem(null);
    setOther(null);
    try {
      await action();
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.problem);
      else setOther(error);
    } finally {
      setBusy(false);
    }
  }
  const errors = problem ? fieldErrors(problem) : {};
  const view = (
    <>
      {problem && <ProblemView problem={problem} />}
      {other !== null && <ErrorView error={other} />}
    </>
  );
  return { busy, errors, problem, view, run };
}

export const amountHint = (currency: string) =>
  minorDigits(currency) === 0
    ? 'A whole amount, e.g. 10000'
    : 'An amount such as 10000.00 (a dot, no commas)';

// ---- marketing: allocate ------------------------------------------------------------------

/** Marketing allocates a fund: partner, period, currency, amount, co-funding share, claim deadline. */
export function AllocateForm({ partners, onDone }: { partners: readonly Partner[]; onDone: () => void }) {
  const client = useApi();
  const id = useId();
  const submit = useSubmit();
  const [partnerId, setPartnerId] = useState(partners[0]?.id ?? '');
  const [period, setPeriod] = useState(() => quarterOf(new Date()));
  const [currency, setCurrency] = useState('USD');
  const [amount, setAmount] = useState('');
  const [share, setShare] = useState('50');
  const [deadline, setDeadline] = useState('60');
  const [local, setLocal] = useState<Record<string, string>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const allocatedMinor = toMinorUnits(amount, currency);
    const reimbursementShareBps = toBasisPoints(share);
    const claimDeadlineDays = /^\d{1,3}$/.test(deadline.trim()) ? Number(deadline.trim()) : null;
    const found: Record<string, string> = {};
    if (allocatedMinor === null) found.allocatedMinor = amountHint(currency);
    if (reimbursementShareBps === null) found.reimbursementShareBps = 'A percentage from 0.01 to 100';
    if (claimDeadlineDays === null) found.claimDeadlineDays = 'A whole number of days, 1 to 365';
    setLocal(found);
    if (allocatedMinor === null || reimbursementShareBps === null || claimDeadlineDays === null) return;
    await submit.run(async () => {
      await client.api.mdf.funds.$post({
        json: {
          partnerId,
          period: period.trim(),
          currency,
          allocatedMinor,
          reimbursementShareBps,
          claimDeadlineDays,
        },
      });
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
      data-testid="mdf-allocate-form"
    >
      {submit.view}
      <div className="mdf-form-grid">
        <Field formId={id} name="partnerId" label="Partner" error={error('partnerId')}>
          {(control) => (
            <select {...control} value={partnerId} onChange={(e) => setPartnerId(e.target.value)}>
              {partners.map((partner) => (
                <option key={partner.id} value={partner.id}>
                  {partner.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={id} name="period" label="Period" error={error('period')}>
          {(control) => (
            <input
              {...control}
              value={period}
              placeholder="2026-Q4"
              onChange={(e) => setPeriod(e.target.value)}
            />
          )}
        </Field>
        <Field formId={id} name="currency" label="Currency" error={error('currency')}>
          {(control) => (
            <select {...control} value={currency} onChange={(e) => setCurrency(e.target.value)}>
              {CURRENCIES.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={id} name="allocatedMinor" label="Amount" error={error('allocatedMinor')}>
          {(control) => (
            <input
              {...control}
              inputMode="decimal"
              value={amount}
              placeholder={minorDigits(currency) === 0 ? '10000' : '10000.00'}
              onChange={(e) => setAmount(e.target.value)}
            />
          )}
        </Field>
        <InputField
          formId={id}
          name="reimbursementShareBps"
          label="Reimbursement share (%)"
          error={error('reimbursementShareBps')}
          inputMode="decimal"
          value={share}
          onValue={setShare}
        />
        <InputField
          formId={id}
          name="claimDeadlineDays"
          label="Claim deadline (days)"
          error={error('claimDeadlineDays')}
          inputMode="numeric"
          value={deadline}
          onValue={setDeadline}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button" disabled={submit.busy || partnerId === ''}>
          {submit.busy ? 'Allocating…' : 'Allocate'}
        </button>
      </div>
    </form>
  );
}

// ---- marketing: adjust --------------------------------------------------------------------

/** Raises or lowers a fund's allocation (If-Match on its version); the API refuses going below committed. */
export function AdjustAction({ fund, onDone }: { fund: Fund; onDone: () => void }) {
  const client = useApi();
  const id = useId();
  const submit = useSubmit();
  const [open, setOpen] = useState(false);
  const digits = minorDigits(fund.currency);
  const [amount, setAmount] = useState(() => toMajorText(fund.allocatedMinor, digits));
  const [local, setLocal] = useState<string | undefined>(undefined);
  if (!open) {
    return (
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => {
          setAmount(toMajorText(fund.allocatedMinor, digits));
          setOpen(true);
        }}
        data-testid="mdf-adjust"
      >
        Adjust
      </button>
    );
  }
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const allocatedMinor = toMinorUnits(amount, fund.currency);
    setLocal(allocatedMinor === null ? amountHint(fund.currency) : undefined);
    if (allocatedMinor === null) return;
    await submit.run(async () => {
      await client.api.mdf.funds[':fundId'].$patch({
        param: { fundId: fund.id },
        header: { 'if-match': `"${fund.version}"` },
        json: { allocatedMinor },
      });
      setOpen(false);
      onDone();
    });
  }
  return (
    <form
      className="mdf-inline"
      onSubmit={onSubmit}
      noValidate
      aria-busy={submit.busy}
      data-testid="mdf-adjust-form"
    >
      {submit.view}
      <InputField
        formId={id}
        name="allocatedMinor"
        label={`New allocation (${fund.currency})`}
        error={local ?? submit.errors.allocatedMinor}
        inputMode="decimal"
        value={amount}
        onValue={setAmount}
      />
      <div className="actions">
        <button type="submit" className="button button-small" disabled={submit.busy}>
          Save
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

// ---- marketing: approve or reject ---------------------------------------------------------

/** Approve (an amount, defaulting to the planned spend) or reject (a reason) a submitted request. */
export function DecisionAction({ request, onDone }: { request: MdfRequest; onDone: () => void }) {
  const client = useApi();
  const id = useId();
  const submit = useSubmit();
  const [mode, setMode] = useState<'approve' | 'reject' | null>(null);
  const [amount, setAmount] = useState(() =>
    toMajorText(request.plannedSpendMinor, minorDigits(request.currency)),
  );
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<string | undefined>(undefined);
  if (request.status !== 'submitted') return null;
  if (mode === null) {
    return (
      <div className="actions mdf-actions">
        <button
          type="button"
          className="button button-small"
          onClick={() => setMode('approve')}
          data-testid="mdf-approve"
        >
          Approve
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => setMode('reject')}
          data-testid="mdf-reject"
        >
          Reject
        </button>
      </div>
    );
  }
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const approvedMinor = mode === 'approve' ? toMinorUnits(amount, request.currency) : null;
    if (mode === 'approve' && approvedMinor === null) {
      setLocal(amountHint(request.currency));
      return;
    }
    setLocal(undefined);
    await submit.run(async () => {
      await client.api.mdf.requests[':requestId'].decision.$post({
        param: { requestId: request.id },
        header: { 'if-match': `"${request.version}"` },
        json:
          mode === 'approve' && approvedMinor !== null
            ? { decision: 'approve', approvedMinor }
            : { decision: 'reject', reason: reason.trim() },
      });
      setMode(null);
      onDone();
    });
  }
  return (
    <form
      className="mdf-inline"
      onSubmit={onSubmit}
      noValidate
      aria-busy={submit.busy}
      data-testid="mdf-decision-form"
    >
      {submit.view}
      {mode === 'approve' ? (
        <InputField
          formId={id}
          name="approvedMinor"
          label={`Approved spend (${request.currency})`}
          error={local ?? submit.errors.approvedMinor}
          inputMode="decimal"
          value={amount}
          onValue={setAmount}
        />
      ) : (
        <Field formId={id} name="reason" label="Reason (shown to the partner)" error={submit.errors.reason}>
          {(control) => (
            <textarea {...control} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          )}
        </Field>
      )}
      <div className="actions">
        <button
          type="submit"
          className="button button-small"
          disabled={submit.busy}
          data-testid="mdf-decision-submit"
        >
          {mode === 'approve' ? 'Approve' : 'Reject'}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => setMode(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

// ---- partner: withdraw --------------------------------------------------------------------

export function WithdrawAction({ request, onDone }: { request: MdfRequest; onDone: () => void }) {
  const client = useApi();
  const submit = useSubmit();
  if (request.status !== 'submitted') return null;
  return (
    <div className="mdf-inline">
      {submit.view}
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={submit.busy}
        data-testid="mdf-withdraw"
        onClick={() =>
          void submit.run(async () => {
            await client.api.mdf.requests[':requestId'].withdraw.$post({ param: { requestId: request.id } });
            onDone();
          })
        }
      >
        Withdraw
      </button>
    </div>
  );
}

// ---- partner: request pre-approval --------------------------------------------------------

const COUNT = /^\d{1,8}$/;

/** A partner asks for pre-approval: fund, an existing campaign or a planned activity, spend, outcomes. */
export function RequestForm({
  funds,
  campaigns,
  onDone,
}: {
  funds: readonly Fund[];
  campaigns: readonly Campaign[];
  onDone: () => void;
}) {
  const client = useApi();
  const id = useId();
  const submit = useSubmit();
  const [fundId, setFundId] = useState(funds[0]?.id ?? '');
  const [campaignId, setCampaignId] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [spend, setSpend] = useState('');
  const [leads, setLeads] = useState('0');
  const [eqls, setEqls] = useState('0');
  const [pipeline, setPipeline] = useState('0');
  const [local, setLocal] = useState<Record<string, string>>({});
  const fund = funds.find((f) => f.id === fundId);
  const currency = fund?.currency ?? 'USD';

  function pickCampaign(next: string) {
    setCampaignId(next);
    const campaign = campaigns.find((c) => c.id === next);
    if (campaign && name.trim() === '') setName(campaign.name);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const plannedSpendMinor = toMinorUnits(spend, currency);
    const pipelineMinor = toMinorUnits(pipeline, currency);
    const found: Record<string, string> = {};
    if (plannedSpendMinor === null) found.plannedSpendMinor = amountHint(currency);
    if (pipelineMinor === null) found.pipelineMinor = amountHint(currency);
    if (!COUNT.test(leads.trim())) found.leads = 'A whole number';
    if (!COUNT.test(eqls.trim())) found.eqls = 'A whole number';
    setLocal(found);
    if (plannedSpendMinor === null || pipelineMinor === null || Object.keys(found).length > 0) return;
    await submit.run(async () => {
      await client.api.mdf.requests.$post({
        json: {
          fundId,
          ...(campaignId === '' ? {} : { campaignId }),
          plannedActivity: { name: name.trim(), description: description.trim(), startDate, endDate },
          plannedSpendMinor,
          currency,
          expectedOutcomes: { leads: Number(leads.trim()), eqls: Number(eqls.trim()), pipelineMinor },
        },
      });
      setSpend('');
      onDone();
    });
  }
  const error = (field: string) => local[field] ?? submit.errors[field];
  return (
    <form
      className="form mdf-form"
      onSubmit={onSubmit}
      noValidate
      aria-busy={submit.busy}
      data-testid="mdf-request-form"
    >
      {submit.view}
      <div className="mdf-form-grid">
        <Field formId={id} name="fundId" label="Fund" error={error('fundId')}>
          {(control) => (
            <select {...control} value={fundId} onChange={(e) => setFundId(e.target.value)}>
              {funds.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.period} · {f.currency}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field formId={id} name="campaignId" label="Campaign" error={error('campaignId')}>
          {(control) => (
            <select {...control} value={campaignId} onChange={(e) => pickCampaign(e.target.value)}>
              <option value="">A planned activity (no campaign yet)</option>
              {campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <InputField
          formId={id}
          name="name"
          label="Activity name"
          error={error('name')}
          value={name}
          onValue={setName}
        />
        <InputField
          formId={id}
          name="startDate"
          label="Starts"
          error={error('startDate')}
          type="date"
          value={startDate}
          onValue={setStartDate}
        />
        <InputField
          formId={id}
          name="endDate"
          label="Ends"
          error={error('endDate')}
          type="date"
          value={endDate}
          onValue={setEndDate}
        />
        <InputField
          formId={id}
          name="plannedSpendMinor"
          label={`Planned spend (${currency})`}
          error={error('plannedSpendMinor')}
          inputMode="decimal"
          value={spend}
          onValue={setSpend}
        />
        <InputField
          formId={id}
          name="leads"
          label="Expected leads"
          error={error('leads')}
          inputMode="numeric"
          value={leads}
          onValue={setLeads}
        />
        <InputField
          formId={id}
          name="eqls"
          label="Expected EQLs"
          error={error('eqls')}
          inputMode="numeric"
          value={eqls}
          onValue={setEqls}
        />
        <InputField
          formId={id}
          name="pipelineMinor"
          label={`Expected pipeline (${currency})`}
          error={error('pipelineMinor')}
          inputMode="decimal"
          value={pipeline}
          onValue={setPipeline}
        />
      </div>
      <Field formId={id} name="description" label="What the activity is" error={error('description')}>
        {(control) => (
          <textarea
            {...control}
            rows={2}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button" disabled={submit.busy || fundId === ''}>
          {submit.busy ? 'Submitting…' : 'Request pre-approval'}
        </button>
      </div>
    </form>
  );
}
