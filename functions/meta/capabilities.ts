import type { Role } from '#functions/auth/principal';

export interface Capability {
  method: string;
  path: string;
  summary: string;
  roles: Role[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const isRole = (value: unknown): value is Role =>
  value === 'marketing' || value === 'partner' || value === 'auditor';

/**
 * What the API offers each role, read from the OpenAPI document's `x-roles` (which the
 * same declaration enforces), so this list cannot drift from the routes.
 */
const operationOf = (
  item: object,
  method: (typeof METHODS)[number],
  path: string,
): Capability | undefined => {
  const operation: unknown = Reflect.get(item, method);
  if (typeof operation !== 'object' || operation === null) return undefined;
  const roles: unknown = Reflect.get(operation, 'x-roles');
  const summary: unknown = Reflect.get(operation, 'summary');
  return {
    method: method.toUpperCase(),
    path,
    summary: typeof summary === 'string' ? summary : '',
    roles: Array.isArray(roles) ? roles.filter(isRole) : [],
  };
};

export const capabilitiesFrom = (paths: Record<string, unknown>): Capability[] =>
  Object.entries(paths).flatMap(([path, item]) =>
    typeof item === 'object' && item !== null
      ? METHODS.map((method) => operationOf(item, method, path)).filter(
          (op): op is Capability => op !== undefined,
        )
      : [],
  );
