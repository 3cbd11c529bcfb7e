import type { Capability, Role } from '../api/types.ts';
import { MethodBadge, RoleBadge } from '../components/badges.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useMe } from '../me-context.tsx';

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function methodRank(method: string): number {
  const index = METHOD_ORDER.indexOf(method.toUpperCase());
  return index === -1 ? METHOD_ORDER.length : index;
}

function groupByPath(capabilities: readonly Capability[]): [string, Capability[]][] {
  const groups = new Map<string, Capability[]>();
  for (const capability of capabilities) {
    const group = groups.get(capability.path);
    if (group) group.push(capability);
    else groups.set(capability.path, [capability]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, items]) => [path, items.toSorted((x, y) => methodRank(x.method) - methodRank(y.method))]);
}

const ROLE_ORDER: readonly Role[] = ['marketing', 'partner', 'auditor'];

/** The capability's roles the portal knows, in the same order everywhere. */
function knownRoles(roles: readonly string[]): Role[] {
  return ROLE_ORDER.filter((role) => roles.includes(role));
}

/** What the API offers the signed-in role, straight from its OpenAPI document. */
export function ApiPage() {
  const me = useMe();
  const groups = groupByPath(me.capabilities);
  const operations = me.capabilities.length;

  return (
    <>
      <PageHeader
        title="API"
        description="Everything the portal does goes through the ChannelKit API; your CRM or scripts can use it too, with the same permissions you have here."
        actions={
          <>
            <a className="button" href="/docs">
              Open API reference
            </a>
            <a className="button button-secondary" href="/openapi.json">
              OpenAPI document
            </a>
          </>
        }
      />
      <p className="muted" data-testid="capability-summary">
        {operations === 1 ? '1 operation' : `${operations} operations`} on{' '}
        {groups.length === 1 ? '1 path' : `${groups.length} paths`} available to you.
      </p>
      {groups.length === 0 ? (
        <div className="card empty-inline">
          <p>The API offers no operations to your role yet.</p>
        </div>
      ) : (
        <div className="capability-groups">
          {groups.map(([path, items]) => (
            <section key={path} className="card capability-group" aria-label={path}>
              <h2 className="capability-path">
                <code>{path}</code>
              </h2>
              <ul className="capability-list">
                {items.map((capability) => (
                  <li
                    key={`${capability.method} ${capability.path}`}
                    className="capability"
                    data-testid="capability"
                  >
                    <MethodBadge method={capability.method} />
                    <span className="capability-summary">{capability.summary}</span>
                    <span className="capability-roles">
                      <span className="visually-hidden">Roles:</span>
                      {knownRoles(capability.roles).map((role) => (
                        <RoleBadge key={role} role={role} />
                      ))}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </>
  );
}
