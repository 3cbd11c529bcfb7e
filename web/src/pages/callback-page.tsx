import { useEffect, useRef } from 'react';
import { useAuth } from '../auth/auth-context.tsx';
import { completeCognitoLogin } from '../auth/cognito.ts';
import type { CognitoConfig } from '../auth/config.ts';
import type { Session } from '../auth/session.ts';
import { ErrorView } from '../components/error-view.tsx';
import { FullPageLoading } from '../components/loading.tsx';
import { usePageTitle } from '../components/page-header.tsx';
import { Link, Redirect, useSearch } from '../router.tsx';
import { useResource } from '../use-resource.ts';

// The code can be exchanged only once; remembering the promise keeps a re-run effect
// (React StrictMode mounts twice in development) from spending it again.
const exchanges = new Map<string, Promise<Session>>();

function exchangeOnce(config: CognitoConfig, search: string): Promise<Session> {
  let exchange = exchanges.get(search);
  if (exchange === undefined) {
    exchange = completeCognitoLogin(config, new URLSearchParams(search));
    exchanges.set(search, exchange);
  }
  return exchange;
}

/** /auth/callback: where the Cognito hosted UI sends the browser back with a code. */
export function CallbackPage() {
  const { config } = useAuth();
  const auth = config.auth;
  if (auth.mode !== 'cognito') return <Redirect to="/login" />;
  return <CognitoCallback config={auth} />;
}

function CognitoCallback({ config }: { config: CognitoConfig }) {
  const { signIn } = useAuth();
  const search = useSearch();
  usePageTitle('Signing in');
  const result = useResource(`callback:${search}`, () => exchangeOnce(config, search));

  const session = result.status === 'success' ? result.data : null;
  const signedIn = useRef(false);
  useEffect(() => {
    if (session === null || signedIn.current) return;
    signedIn.current = true;
    signIn(session);
  }, [session, signIn]);

  if (result.status === 'error') {
    return (
      <div className="login">
        <main id="main" className="login-panel">
          <h1>Sign-in did not complete</h1>
          <ErrorView error={result.error} />
          <Link to="/login" className="button">
            Back to sign in
          </Link>
        </main>
      </div>
    );
  }
  return <FullPageLoading label="Signing you in…" />;
}
