import { type ReactNode, type RefObject, useEffect, useRef } from 'react';
import type { Role } from '../api/types.ts';
import { useAuth } from '../auth/auth-context.tsx';
import { useMe } from '../me-context.tsx';
import { Link, NavLink, usePathname } from '../router.tsx';
import { visibleRoutes } from '../routes.tsx';
import { RoleBadge } from './badges.tsx';
import { Logo } from './logo.tsx';

/** Moves focus to <main> after client-side navigation, as a full page load would. */
function useFocusOnNavigate(): RefObject<HTMLElement | null> {
  const pathname = usePathname();
  const mainRef = useRef<HTMLElement>(null);
  const shownPath = useRef(pathname);
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    mainRef.current?.focus();
  }, [pathname]);
  return mainRef;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return parts
    .slice(0, 2)
    .map((part) => part.charAt(0).toUpperCase())
    .join('');
}

/** A bell (the notifications link); decorative, the link's text names it. */
function BellIcon() {
  return (
    <svg
      className="nav-icon-svg"
      viewBox="0 0 24 24"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M12 3a6 6 0 0 0-6 6v3.6l-1.7 2.9A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6Zm-2.8 15.5a2.9 2.9 0 0 0 5.6 0Z"
        fill="currentColor"
      />
    </svg>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut, config } = useAuth();
  const mainRef = useFocusOnNavigate();
  const role: Role = me.user.role;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            <Logo />
            <span>ChannelKit</span>
          </Link>
          <nav aria-label="Main" className="main-nav">
            <ul>
              {visibleRoutes(role).map((route) => (
                <li key={route.path} className={route.icon ? 'nav-icon' : undefined}>
                  {route.icon ? (
                    <NavLink to={route.path} title={route.label}>
                      <BellIcon />
                      <span className="visually-hidden">{route.label}</span>
                    </NavLink>
                  ) : (
                    <NavLink to={route.path}>{route.label}</NavLink>
                  )}
                </li>
              ))}
            </ul>
          </nav>
          <div className="account" data-testid="account">
            <span className="avatar" aria-hidden="true">
              {initials(me.user.name)}
            </span>
            <div className="account-text">
              <span className="account-name" data-testid="user-name">
                {me.user.name}
              </span>
              <span className="account-meta">
                <RoleBadge role={role} />
                {me.partner && (
                  <span className="account-partner" data-testid="user-partner" title={me.partner.name}>
                    {me.partner.name}
                  </span>
                )}
              </span>
            </div>
            <button type="button" className="button button-quiet" onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="app-main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <div className="footer-inner">
          <span>ChannelKit</span>
          <a href="/docs">API reference</a>
          {config.auth.mode === 'dev' && <span className="badge">Local demo data</span>}
        </div>
      </footer>
    </div>
  );
}
