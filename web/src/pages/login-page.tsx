import { useState } from 'react';
import type { Role } from '../api/types.ts';
import { useAuth } from '../auth/auth-context.tsx';
import { startCognitoLogin } from '../auth/cognito.ts';
import type { CognitoConfig } from '../auth/config.ts';
import { type DevUser, devLogin, listDevUsers } from '../auth/dev-login.ts';
import { ErrorView } from '../components/error-view.tsx';
import { SkeletonLines } from '../components/loading.tsx';
import { Logo } from '../components/logo.tsx';
import { usePageTitle } from '../components/page-header.tsx';
import { useResource } from '../use-resource.ts';

const ROLE_ORDER: readonly Role[] = ['marketing', 'partner', 'auditor'];

const ROLE_GROUPS: Record<Role, string> = {
  marketing: 'Vendor marketing',
  partner: 'Partner marketers',
  auditor: 'MDF auditors',
};

const ROLE_BLURBS: Record<Role, string> = {
  marketing: 'Publish campaign kits, manage partners and tiers, allocate MDF.',
  partner: 'Co-brand kits, launch campaigns to your contacts, claim MDF.',
  auditor: 'Review MDF claims against their proof of performance.',
};

export function LoginPage() {
  const { config, notice } = useAuth();
  usePageTitle('Sign in');
  return (
    <div className="login">
      <main id="main" className="login-panel">
        <div className="login-brand">
          <Logo size={40} />
          <span>ChannelKit</span>
        </div>
        <h1>Sign in</h1>
        {notice && (
          <p className="callout callout-info" role="status">
            {notice}
          </p>
        )}
        {config.auth.mode === 'dev' ? <DevLogin /> : <CognitoLogin config={config.auth} />}
      </main>
    </div>
  );
}

function CognitoLogin({ config }: { config: CognitoConfig }) {
  const [error, setError] = useState<unknown>(null);
  const [redirecting, setRedirecting] = useState(false);
  return (
    <>
      <p className="muted">
        Use your ChannelKit account. You will be taken to the sign-in page and brought back here.
      </p>
      {error !== null && <ErrorView error={error} />}
      <button
        type="button"
        className="button button-large"
        disabled={redirecting}
        aria-busy={redirecting}
        onClick={() => {
          setRedirecting(true);
          startCognitoLogin(config).catch((cause: unknown) => {
            setRedirecting(false);
            setError(cause);
          });
        }}
      >
        {redirecting ? 'Redirecting…' : 'Continue to sign in'}
      </button>
    </>
  );
}

function initials(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((part) => part.charAt(0).toUpperCase())
    .join('');
}

function DevLogin() {
  const { signIn } = useAuth();
  const users = useResource('dev-users', listDevUsers);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function choose(user: DevUser) {
    setPending(user.id);
    setError(null);
    try {
      signIn(await devLogin(user.id));
    } catch (cause) {
      setError(cause);
      setPending(null);
    }
  }

  return (
    <>
      <p className="muted">
        Local mode: pick a demo user. Each one sees the portal as their role does; no password needed.
      </p>
      {error !== null && <ErrorView error={error} />}
      <div aria-busy={users.status === 'loading'}>
        {users.status === 'loading' && <SkeletonLines lines={6} label="Loading demo users…" />}
        {users.status === 'error' && <ErrorView error={users.error} onRetry={users.reload} />}
        {users.status === 'success' &&
          ROLE_ORDER.map((role) => {
            const group = users.data.filter((user) => user.role === role);
            if (group.length === 0) return null;
            const headingId = `login-role-${role}`;
            return (
              <section key={role} className="login-group" aria-labelledby={headingId} data-role={role}>
                <h2 id={headingId}>{ROLE_GROUPS[role]}</h2>
                <p className="muted small">{ROLE_BLURBS[role]}</p>
                <ul className="user-list">
                  {group.map((user) => (
                    <li key={user.id}>
                      <button
                        type="button"
                        className="user-choice"
                        data-testid="login-user"
                        data-role={user.role}
                        data-user-id={user.id}
                        disabled={pending !== null}
                        aria-busy={pending === user.id}
                        onClick={() => void choose(user)}
                      >
                        <span className={`avatar avatar-${user.role}`} aria-hidden="true">
                          {initials(user.name)}
                        </span>
                        <span className="user-choice-text">
                          <span className="user-choice-name">{user.name}</span>
                          <span className="user-choice-meta">
                            {user.partnerName ? `${user.partnerName} · ${user.email}` : user.email}
                          </span>
                        </span>
                        <span className="user-choice-go" aria-hidden="true">
                          {pending === user.id ? '…' : '→'}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
      </div>
    </>
  );
}
