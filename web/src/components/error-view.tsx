import { ApiError, NetworkError, type Problem } from '../api/problem.ts';

type ErrorViewProps = {
  error: unknown;
  /** Offered as a "Try again" button when the failure may be temporary. */
  onRetry?: () => void;
};

/** Renders any failure the portal can meet: network, problem+json, or an unexpected throw. */
export function ErrorView({ error, onRetry }: ErrorViewProps) {
  if (error instanceof NetworkError) {
    return (
      <div className="callout callout-error" role="alert" data-testid="error-network">
        <p className="callout-title">Can’t reach ChannelKit</p>
        <p>The request did not get an answer. Check your connection, then try again.</p>
        {onRetry && (
          <button type="button" className="button button-secondary" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    );
  }
  if (error instanceof ApiError) {
    return (
      <ProblemView
        problem={error.problem}
        onRetry={error.status >= 500 || error.status === 429 ? onRetry : undefined}
      />
    );
  }
  return (
    <div className="callout callout-error" role="alert" data-testid="error-unexpected">
      <p className="callout-title">Something went wrong</p>
      <p>{error instanceof Error ? error.message : 'An unexpected error occurred.'}</p>
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

type ProblemViewProps = { problem: Problem; onRetry?: (() => void) | undefined };

export function ProblemView({ problem, onRetry }: ProblemViewProps) {
  return (
    <div className="callout callout-error" role="alert" data-testid="problem" data-status={problem.status}>
      <p className="callout-title">{problem.title}</p>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.errors && problem.errors.length > 0 && (
        <ul className="problem-errors">
          {problem.errors.map((fieldError) => (
            <li key={`${fieldError.path}:${fieldError.message}`}>
              {fieldError.path && <code>{fieldError.path}</code>} {fieldError.message}
            </li>
          ))}
        </ul>
      )}
      {problem.requestId && (
        <p className="problem-request-id">
          Request ID <code>{problem.requestId}</code>
        </p>
      )}
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
