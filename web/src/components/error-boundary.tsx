import { Component, type ErrorInfo, type ReactNode } from 'react';

type Props = { children: ReactNode };
type State = { error: Error | null };

/** Catches render errors so one broken page does not blank the whole portal. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Render error', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <section className="callout callout-error page-error" role="alert" data-testid="render-error">
        <h1 className="callout-title">Something went wrong on this page</h1>
        <p>The portal hit an unexpected error while showing it. Your data is safe.</p>
        <p className="muted">
          <code>{error.message}</code>
        </p>
        <div className="actions">
          <button type="button" className="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          <a className="button button-secondary" href="/">
            Go to home
          </a>
        </div>
      </section>
    );
  }
}
