/** A spinner with a visible label; the surrounding region carries `aria-busy`. */
export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner-wrap">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}

// Distinct widths make the placeholders look like text and double as stable keys.
const SKELETON_WIDTHS = ['92%', '76%', '84%', '64%', '88%', '70%', '80%', '58%'];

/** Grey placeholder lines shaped like the content that is on its way. */
export function SkeletonLines({ lines = 3, label }: { lines?: number; label: string }) {
  return (
    <div className="skeleton-block" aria-busy="true" data-testid="loading">
      <span className="visually-hidden">{label}</span>
      {SKELETON_WIDTHS.slice(0, lines).map((width) => (
        <span key={width} className="skeleton" style={{ width }} aria-hidden="true" />
      ))}
    </div>
  );
}

export function FullPageLoading({ label }: { label: string }) {
  return (
    <div className="full-page" role="status" aria-busy="true" data-testid="loading">
      <Spinner label={label} />
    </div>
  );
}
