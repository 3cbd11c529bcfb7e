// The three separate answers a lead carries, side by side, each with its reasons: partner
// attribution (with the credit models), qualification (each rule) and EQL (the overlaps).
import {
  CREDIT_MODEL_LABELS,
  type CreditModel,
  formatShare,
  type LeadDetail,
  OTHER_PARTNERS,
  RULE_LABELS,
} from '../pages/leads-shared.tsx';
import { AttributionBadge, EqlBadge, OutcomeBadge } from './lead-badges.tsx';

type AnswersProps = {
  lead: LeadDetail;
  /** A partner's name (marketing knows them all; a partner user sees its own). */
  partnerName: (id: string) => string;
};

const MODELS: readonly CreditModel[] = ['first-touch', 'last-touch', 'linear'];

const nameOf = (id: string, partnerName: (id: string) => string) =>
  id === OTHER_PARTNERS ? 'Other partners' : partnerName(id);

function Reasons({ reasons, testId }: { reasons: readonly string[]; testId: string }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="lead-reasons" data-testid={testId}>
      {reasons.map((reason) => (
        <li key={reason}>{reason}</li>
      ))}
    </ul>
  );
}

function Attribution({ lead, partnerName }: AnswersProps) {
  const { credit } = lead.attribution;
  // Partners in the order the first model lists them, then any only later models name.
  const partners = [
    ...new Set(MODELS.flatMap((model) => credit[model]?.map((share) => share.partnerId) ?? [])),
  ];
  const shareOf = (model: CreditModel, partnerId: string) =>
    credit[model]?.find((share) => share.partnerId === partnerId)?.share ?? 0;
  return (
    <section
      className="card lead-answer"
      aria-labelledby="answer-attribution"
      data-testid="answer-attribution"
    >
      <h2 id="answer-attribution">Partner attribution</h2>
      <p className="badge-row">
        <AttributionBadge attribution={lead.attribution.kind} />
      </p>
      <Reasons reasons={lead.attribution.reasons} testId="attribution-reasons" />
      {partners.length > 0 && (
        <div className="table-scroll">
          <table className="table table-compact lead-credit" data-testid="credit-table">
            <caption className="muted small">Credit per model (the whole lead is 100%)</caption>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                {MODELS.map((model) => (
                  <th scope="col" key={model} className="cell-number">
                    {CREDIT_MODEL_LABELS[model]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {partners.map((id) => (
                <tr key={id} data-testid="credit-row" data-partner-id={id}>
                  <th scope="row">{nameOf(id, partnerName)}</th>
                  {MODELS.map((model) => (
                    <td key={model} className="cell-number" data-model={model}>
                      {formatShare(shareOf(model, id))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Qualification({ lead }: AnswersProps) {
  const { qualification } = lead;
  return (
    <section
      className="card lead-answer"
      aria-labelledby="answer-qualification"
      data-testid="answer-qualification"
    >
      <h2 id="answer-qualification">Qualification</h2>
      <p className="badge-row">
        <span
          className={`badge ${qualification.qualified ? 'rule-outcome-passed' : 'rule-outcome-failed'}`}
          data-testid="qualified"
          data-qualified={qualification.qualified}
        >
          {qualification.qualified ? 'Qualified' : 'Not qualified'}
        </span>
        <span className="muted small">Rules version {qualification.configVersion}</span>
      </p>
      <ul className="lead-rules">
        {qualification.rules.map((result) => (
          <li
            key={result.rule}
            data-testid="rule-result"
            data-rule={result.rule}
            data-outcome={result.outcome}
          >
            <span className="lead-rule-head">
              <strong>{RULE_LABELS[result.rule]}</strong> <OutcomeBadge outcome={result.outcome} />
            </span>
            <span className="muted small">{result.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Eql({ lead, partnerName }: AnswersProps) {
  const { eql } = lead;
  return (
    <section className="card lead-answer" aria-labelledby="answer-eql" data-testid="answer-eql">
      <h2 id="answer-eql">Ecosystem-qualified lead</h2>
      <p className="badge-row">
        <EqlBadge eql={eql.eql} always />
        {lead.companyDomain && <span className="muted small">Account {lead.companyDomain}</span>}
      </p>
      <Reasons reasons={eql.reasons} testId="eql-reasons" />
      <h3 className="lead-subhead">Overlaps</h3>
      {eql.overlaps.length === 0 ? (
        <p className="muted small" data-testid="overlaps-none">
          The account is on no partner list you can see.
        </p>
      ) : (
        <ul className="lead-overlaps" data-testid="overlaps">
          {eql.overlaps.map((overlap) => (
            <li
              key={`${overlap.partnerId}:${overlap.kind}`}
              data-testid="overlap"
              data-partner-id={overlap.partnerId}
              data-kind={overlap.kind}
            >
              <strong>{partnerName(overlap.partnerId)}</strong>{' '}
              <span className={`badge overlap-kind overlap-${overlap.kind}`}>
                {overlap.kind === 'customer' ? 'customer' : 'open opportunity'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function LeadAnswers(props: AnswersProps) {
  return (
    <div className="lead-answers" data-testid="lead-answers">
      <Attribution {...props} />
      <Qualification {...props} />
      <Eql {...props} />
    </div>
  );
}
