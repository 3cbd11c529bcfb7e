// A partner files an MDF claim for an approved request: the campaign that carried it (when the
// request named none), the amount (at most the approved reimbursement), invoices uploaded and
// checked one by one, notes; a preview of the proof of performance the platform will freeze,
// then File.
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import type { Campaign } from '../api/types.ts';
import { useApi } from '../auth/auth-context.tsx';
import { ErrorView } from '../components/error-view.tsx';
import { Field, InputField } from '../components/field.tsx';
import {
  type InvoiceRow,
  InvoiceUploads,
  invoiceInputs,
  invoiceProblemErrors,
} from '../components/invoice-uploads.tsx';
import { minorDigits, toMinorUnits } from '../components/lead-decision.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { asPopPack, type PopPack } from '../components/mdf-claim-shared.tsx';
import { amountHint, useSubmit } from '../components/mdf-forms.tsx';
import { formatShare, type MdfRequest, Money, toMajorText } from '../components/mdf-shared.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PopViewer } from '../components/pop-viewer.tsx';
import { Link, navigate } from '../router.tsx';
import type { PageProps } from '../routes.tsx';
import { useResource } from '../use-resource.ts';

export function MdfFileClaimPage({ params }: PageProps) {
  const requestId = params.requestId ?? '';
  const client = useApi();
  const loaded = useResource(`mdf-claim-basis:${requestId}`, async (signal) => {
    const [request, campaigns, claims] = await Promise.all([
      client.api.mdf.requests[':requestId']
        .$get({ param: { requestId } }, { init: { signal } })
        .then((r) => r.json()),
      client.api.campaigns.$get({ query: { limit: '100' } }, { init: { signal } }).then((r) => r.json()),
      client.api.mdf.claims.$get({ query: { limit: '100' } }, { init: { signal } }).then((r) => r.json()),
    ]);
    return {
      request,
      campaigns: campaigns.items,
      claim: claims.items.find((c) => c.requestId === requestId) ?? null,
    };
  });
  let body: ReactNode;
  if (loaded.status === 'error') body = <ErrorView error={loaded.error} onRetry={loaded.reload} />;
  else if (loaded.status === 'loading') body = <SkeletonLines lines={4} label="Loading the request…" />;
  else if (loaded.data.claim) {
    body = (
      <p className="callout callout-info">
        This request already has a claim.{' '}
        <Link to={`/mdf/claims/${loaded.data.claim.id}`} data-testid="existing-claim">
          Open the claim
        </Link>
      </p>
    );
  } else if (loaded.data.request.status !== 'approved') {
    body = (
      <p className="callout callout-info">
        The request is {loaded.data.request.status}: only an approved request can be claimed.
      </p>
    );
  } else body = <FileClaimForm request={loaded.data.request} campaigns={loaded.data.campaigns} />;
  return (
    <section data-testid="mdf-file-claim" aria-labelledby="page-title">
      <PageHeader
        title="File a claim"
        description={
          <>
            Claim the vendor’s share of an approved activity. The platform attaches the proof of performance
            from its own records. <Link to="/mdf">Back to funds</Link>
          </>
        }
      />
      {body}
    </section>
  );
}

function RequestSummary({ request }: { request: MdfRequest }) {
  return (
    <dl className="facts card" data-testid="claim-request">
      <div>
        <dt>Activity</dt>
        <dd>{request.plannedActivity.name}</dd>
      </div>
      <div>
        <dt>Dates</dt>
        <dd>
          {request.plannedActivity.startDate} to {request.plannedActivity.endDate}
        </dd>
      </div>
      <div>
        <dt>Approved spend</dt>
        <dd>
          <Money minor={request.approvedMinor ?? 0} currency={request.currency} />
        </dd>
      </div>
      <div>
        <dt>Approved reimbursement</dt>
        <dd>
          <Money
            minor={request.committedMinor ?? 0}
            currency={request.currency}
            testId="claim-approved-max"
          />{' '}
          <span className="muted small">({formatShare(request.reimbursementShareBps)} of the spend)</span>
        </dd>
      </div>
    </dl>
  );
}

const launched = (campaigns: readonly Campaign[]) =>
  campaigns.filter((c) => !['draft', 'pending-approval', 'approved', 'rejected'].includes(c.status));

function FileClaimForm({ request, campaigns }: { request: MdfRequest; campaigns: readonly Campaign[] }) {
  const client = useApi();
  const id = useId();
  const submit = useSubmit();
  const preview = useSubmit();
  const currency = request.currency;
  const choices = launched(campaigns);
  const [campaignId, setCampaignId] = useState(request.campaignId ?? choices[0]?.id ?? '');
  const [amount, setAmount] = useState(() => toMajorText(request.committedMinor ?? 0, minorDigits(currency)));
  const [notes, setNotes] = useState('');
  const [rows, setRows] = useState<InvoiceRow[]>([]);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [pack, setPack] = useState<PopPack | null>(null);

  /** The claim's fields, or null after showing what is missing next to the fields. */
  function read() {
    const amountMinor = toMinorUnits(amount, currency);
    const found: Record<string, string> = {};
    if (amountMinor === null || amountMinor === 0) found.amountMinor = amountHint(currency);
    else if (amountMinor > (request.committedMinor ?? 0)) {
      found.amountMinor = `At most the approved reimbursement, ${toMajorText(request.committedMinor ?? 0, minorDigits(currency))}`;
    }
    if (campaignId === '') found.campaignId = 'Pick the campaign that carried the activity';
    const invoices = invoiceInputs(rows, currency);
    Object.assign(found, invoices.errors);
    setLocal(found);
    if (amountMinor === null || Object.keys(found).length > 0) return null;
    return {
      requestId: request.id,
      ...(request.campaignId === null ? { campaignId } : {}),
      amountMinor,
      currency,
      invoices: invoices.invoices,
    };
  }

  async function onPreview() {
    const claim = read();
    if (!claim) return;
    await preview.run(async () => {
      const response = await client.api.mdf.claims.preview.$post({
        json: {
          requestId: claim.requestId,
          ...(claim.campaignId ? { campaignId: claim.campaignId } : {}),
          amountMinor: claim.amountMinor,
          currency,
          invoicedSpendMinor: claim.invoices.reduce((total, i) => total + i.amountMinor, 0),
        },
      });
      setPack(asPopPack(await response.json()));
    });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const claim = read();
    if (!claim) return;
    if (claim.invoices.length === 0) {
      setLocal({ invoices: 'Attach at least one invoice or receipt' });
      return;
    }
    await submit.run(async () => {
      const response = await client.api.mdf.claims.$post({ json: { ...claim, notes: notes.trim() } });
      const filed = await response.json();
      navigate(`/mdf/claims/${filed.id}`);
    });
  }

  const problemErrors = { ...preview.errors, ...submit.errors };
  const error = (name: string) => local[name] ?? problemErrors[name];
  const busy = submit.busy || preview.busy || rows.some((r) => r.state === 'uploading');
  return (
    <>
      <RequestSummary request={request} />
      <form
        className="form card mdf-form"
        onSubmit={onSubmit}
        noValidate
        aria-busy={submit.busy}
        data-testid="claim-form"
      >
        {submit.view}
        {preview.view}
        <div className="mdf-form-grid">
          {request.campaignId === null ? (
            <Field formId={id} name="campaignId" label="Campaign" error={error('campaignId')}>
              {(control) => (
                <select {...control} value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
                  {choices.length === 0 && <option value="">No launched campaign yet</option>}
                  {choices.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <div className="field">
              <span className="field-label">Campaign</span>
              <p data-testid="claim-campaign">
                {campaigns.find((c) => c.id === request.campaignId)?.name ?? request.campaignId}
              </p>
            </div>
          )}
          <InputField
            formId={id}
            name="amountMinor"
            label={`Amount claimed (${currency})`}
            error={error('amountMinor')}
            inputMode="decimal"
            value={amount}
            onValue={setAmount}
          />
        </div>
        <InvoiceUploads
          rows={rows}
          onRows={setRows}
          currency={currency}
          errors={{ ...invoiceProblemErrors(submit.problem ?? preview.problem, rows), ...local }}
        />
        {error('invoices') && (
          <p className="field-error" data-testid="claim-invoices-error">
            {error('invoices')}
          </p>
        )}
        <Field formId={id} name="notes" label="Notes for the auditor" error={error('notes')}>
          {(control) => (
            <textarea {...control} rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
          )}
        </Field>
        <div className="actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() => void onPreview()}
            data-testid="claim-preview"
          >
            {preview.busy ? 'Assembling…' : 'Preview proof of performance'}
          </button>
          <button type="submit" className="button" disabled={busy} data-testid="claim-file">
            {submit.busy ? 'Filing…' : 'File the claim'}
          </button>
        </div>
      </form>
      {pack && (
        <section className="pop-preview" aria-labelledby="pop-preview-title" data-testid="pop-preview">
          <h2 id="pop-preview-title">Proof of performance (preview)</h2>
          <p className="muted">
            What the platform’s records show now. Filing freezes this pack with the claim; nothing here can be
            edited.
          </p>
          <PopViewer pack={pack} />
        </section>
      )}
    </>
  );
}
