import { PageHeader } from '../components/page-header.tsx';
import { Link, usePathname } from '../router.tsx';

export function NotFoundPage() {
  const pathname = usePathname();
  return (
    <section className="card empty-state" data-testid="not-found" aria-labelledby="page-title">
      <p className="eyebrow">404</p>
      <PageHeader title="Page not found" />
      <p className="muted">
        There is no page at <code>{pathname}</code>. It may have moved, or the link may be mistyped.
      </p>
      <div className="actions">
        <Link to="/" className="button">
          Go to home
        </Link>
      </div>
    </section>
  );
}

export function ForbiddenPage() {
  return (
    <section className="card empty-state" data-testid="forbidden" aria-labelledby="page-title">
      <p className="eyebrow">Not available</p>
      <PageHeader title="This page is not part of your role" />
      <p className="muted">
        Your account does not have access to this page. The navigation shows what you can use.
      </p>
      <div className="actions">
        <Link to="/" className="button">
          Go to home
        </Link>
      </div>
    </section>
  );
}
