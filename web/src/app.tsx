import { type ReactNode, useEffect } from 'react';
import { AuthProvider, useAuth } from './auth/auth-context.tsx';
import { CALLBACK_PATH } from './auth/cognito.ts';
import { loadConfig } from './auth/config.ts';
import { rememberReturnTo } from './auth/session.ts';
import { ErrorBoundary } from './components/error-boundary.tsx';
import { ErrorView } from './components/error-view.tsx';
import { Layout } from './components/layout.tsx';
import { FullPageLoading } from './components/loading.tsx';
import { MeContext } from './me-context.tsx';
import { CallbackPage } from './pages/callback-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { ForbiddenPage, NotFoundPage } from './pages/not-found-page.tsx';
import { Redirect, usePathname } from './router.tsx';
import { findRoute, type RouteMatch } from './routes.tsx';
import { useResource } from './use-resource.ts';

export function App() {
  const config = useResource('config', loadConfig);
  if (config.status === 'loading') return <FullPageLoading label="Loading ChannelKit…" />;
  if (config.status === 'error') {
    return (
      <main id="main" className="full-page">
        <div className="narrow">
          <ErrorView error={config.error} onRetry={config.reload} />
        </div>
      </main>
    );
  }
  return (
    <AuthProvider config={config.data}>
      <Routes />
    </AuthProvider>
  );
}

function Routes() {
  const pathname = usePathname();
  const { session } = useAuth();

  if (pathname === CALLBACK_PATH) return <CallbackPage />;
  if (pathname === '/login') return session === null ? <LoginPage /> : <Redirect to="/" />;
  if (session === null) return <ToLogin from={pathname} />;
  return <SignedIn match={findRoute(pathname)} />;
}

/** Sends a signed-out visitor to login, remembering where they were going. */
function ToLogin({ from }: { from: string }) {
  useEffect(() => rememberReturnTo(from + window.location.search), [from]);
  return <Redirect to="/login" />;
}

/** Loads who the user is once per token, then renders the page inside the layout. */
function SignedIn({ match }: { match: RouteMatch | undefined }) {
  const { client, session, signOut } = useAuth();
  const pathname = usePathname();
  const me = useResource(`me:${session?.token ?? ''}`, async (signal) => {
    const response = await client.api.me.$get(undefined, { init: { signal } });
    return response.json();
  });

  if (me.status === 'loading') return <FullPageLoading label="Loading your workspace…" />;
  if (me.status === 'error') {
    return (
      <main id="main" className="full-page">
        <div className="narrow">
          <ErrorView error={me.error} onRetry={me.reload} />
          <button type="button" className="button button-quiet" onClick={signOut}>
            Sign out
          </button>
        </div>
      </main>
    );
  }

  const role = me.data.user.role;
  let page: ReactNode;
  if (match === undefined) page = <NotFoundPage />;
  else if (!match.route.roles.includes(role)) page = <ForbiddenPage />;
  else page = <match.route.Page params={match.params} />;

  return (
    <MeContext value={me.data}>
      <Layout>
        <ErrorBoundary key={pathname}>{page}</ErrorBoundary>
      </Layout>
    </MeContext>
  );
}
