import { ROLE_LABELS, type Role, type Tier } from '../api/types.ts';

export function TierBadge({ tier }: { tier: Tier }) {
  return <span className={`badge tier tier-${tier}`}>{tier}</span>;
}

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge role role-${role}`}>{ROLE_LABELS[role]}</span>;
}

const KNOWN_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function MethodBadge({ method }: { method: string }) {
  const lower = method.toLowerCase();
  const tone = KNOWN_METHODS.has(lower) ? lower : 'other';
  return <span className={`badge method method-${tone}`}>{method.toUpperCase()}</span>;
}
