// A lead's touches in time order and the consent it gave, as the page showed it.
import { formatDateTime } from '../format.ts';
import { type ConsentRecord, TOUCH_LABELS, type Touch } from '../pages/leads-shared.tsx';

const UTM_KEYS = ['source', 'medium', 'campaign', 'content', 'term'] as const;

export function TouchTimeline({
  touches,
  campaignName,
  partnerName,
  showPartner,
}: {
  touches: readonly Touch[];
  campaignName: (id: string) => string;
  partnerName: (id: string) => string;
  showPartner: boolean;
}) {
  return (
    <section className="card" aria-labelledby="touches-title" data-testid="touches">
      <h2 id="touches-title">Touches</h2>
      {touches.length === 0 ? (
        <p className="muted">No touches recorded.</p>
      ) : (
        <ol className="lead-timeline">
          {touches.map((touch) => {
            const utm = UTM_KEYS.flatMap((key) => (touch.utm?.[key] ? [[key, touch.utm[key]] as const] : []));
            return (
              <li
                // A lead keeps each touch once by these (its merge rule), so they make a key.
                key={[touch.kind, touch.at, touch.sendId, touch.campaignId, touch.partnerId].join('|')}
                data-testid="touch"
                data-kind={touch.kind}
              >
                <span className="lead-timeline-when">
                  <time dateTime={touch.at}>{formatDateTime(touch.at)}</time>
                </span>
                <span className="lead-timeline-what">
                  <strong>{TOUCH_LABELS[touch.kind]}</strong>
                  {touch.campaignId && (
                    <span data-testid="touch-campaign"> · {campaignName(touch.campaignId)}</span>
                  )}
                  {/* A campaign's name already says whose it is; a touch without one names its partner. */}
                  {showPartner && !touch.campaignId && touch.partnerId && (
                    <span> · {partnerName(touch.partnerId)}</span>
                  )}
                </span>
                {utm.length > 0 && (
                  <span className="lead-utm" data-testid="touch-utm">
                    {utm.map(([key, value]) => (
                      <span key={key} className="tag">
                        utm_{key}={value}
                      </span>
                    ))}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

export function ConsentRecords({
  consents,
  campaignName,
}: {
  consents: readonly ConsentRecord[];
  campaignName: (id: string) => string;
}) {
  return (
    <section className="card lead-consents" aria-labelledby="consents-title" data-testid="consents">
      <h2 id="consents-title">Consent</h2>
      {consents.length === 0 ? (
        <p className="muted">No consent recorded.</p>
      ) : (
        consents.map((consent) => (
          <figure
            key={`${consent.campaignId}:${consent.submittedAt}`}
            className="lead-consent"
            data-testid="consent"
            data-given={consent.given}
          >
            <blockquote data-testid="consent-text">{consent.text}</blockquote>
            <figcaption>
              <dl className="facts lead-consent-facts">
                <div>
                  <dt>Given</dt>
                  <dd>{consent.given ? 'Yes, the box was ticked' : 'No'}</dd>
                </div>
                <div>
                  <dt>Shown</dt>
                  <dd>
                    {consent.shownAt ? (
                      formatDateTime(consent.shownAt)
                    ) : (
                      <span className="muted">Not known</span>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Submitted</dt>
                  <dd>{formatDateTime(consent.submittedAt)}</dd>
                </div>
                <div>
                  <dt>Campaign</dt>
                  <dd>{campaignName(consent.campaignId)}</dd>
                </div>
                <div className="fact-wide">
                  <dt>Page</dt>
                  <dd>
                    <a href={consent.page} data-testid="consent-page">
                      {consent.page}
                    </a>
                  </dd>
                </div>
              </dl>
            </figcaption>
          </figure>
        ))
      )}
    </section>
  );
}
